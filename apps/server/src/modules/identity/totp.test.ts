import { type SQL, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoggedIn, loginAs, TEST_PASSWORD } from '../../../test/factories/identity';
import { createTestApp, type TestApp, testClock } from '../../../test/helpers';
import { totpCode } from './totp';

const clock = testClock();
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

const post = (app: TestApp, url: string, s: LoggedIn | undefined, payload?: object) =>
  app.app.inject({ method: 'POST', url, headers: s?.headers ?? {}, ...(payload ? { payload } : {}) });
const login = (app: TestApp, s: LoggedIn, totp?: string) =>
  post(app, '/api/v1/auth/login', undefined, { login: s.user.username, password: TEST_PASSWORD, totp });
const rows = async <R>(query: SQL) => ((await t.ctx.db.execute(query)) as unknown as { rows: R[] }).rows;
const securityCount = async (app: TestApp, type: string) =>
  (await app.ctx.metrics.securityEvents.get()).values.find((v) => v.labels.type === type)?.value ?? 0;

/** Enrols the user; answers the secret and the recovery codes. */
async function enrol(app: TestApp, s: LoggedIn) {
  const setup = await post(app, '/api/v1/auth/totp/setup', s);
  expect(setup.statusCode).toBe(200);
  const { secret } = setup.json();
  const confirm = await post(app, '/api/v1/auth/totp/confirm', s, { code: totpCode(secret, clock.now()) });
  expect(confirm.statusCode).toBe(200);
  return { secret: secret as string, recoveryCodes: confirm.json().recoveryCodes as string[] };
}

describe('TOTP enrolment', () => {
  it('hands out an otpauth URI and QR code, stores the secret sealed, and needs a right code to switch on', async () => {
    const s = await loginAs(t, { role: 'employee' });
    const setup = await post(t, '/api/v1/auth/totp/setup', s);
    const body = setup.json();
    expect(body.otpauthUri).toMatch(/^otpauth:\/\/totp\/ClockPilot:.+\?secret=[A-Z2-7]+&/);
    expect(body.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(setup.headers['cache-control']).toBe('no-store');

    const [row] = await rows<{ totp_secret: string }>(
      sql`select totp_secret from users where id = ${s.user.id}`,
    );
    expect(row!.totp_secret).not.toContain(body.secret);

    const wrong = await post(t, '/api/v1/auth/totp/confirm', s, { code: '000000' });
    expect(wrong.statusCode).toBe(422);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.headers });
    expect(me.json().totpEnabled).toBe(false);

    const ok = await post(t, '/api/v1/auth/totp/confirm', s, { code: totpCode(body.secret, clock.now()) });
    expect(ok.json().recoveryCodes).toHaveLength(10);
    expect(new Set(ok.json().recoveryCodes).size).toBe(10);
    expect((await post(t, '/api/v1/auth/totp/setup', s)).statusCode).toBe(409);
  });
});

describe('login with a second factor', () => {
  let s: LoggedIn;
  let secret: string;
  let recoveryCodes: string[];
  beforeAll(async () => {
    s = await loginAs(t, { role: 'manager' });
    ({ secret, recoveryCodes } = await enrol(t, s));
    clock.advance(30_000);
  });

  it('asks for the code when it is missing', async () => {
    const res = await login(t, s);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'totp_required' });
    expect(res.cookies).toHaveLength(0);
  });

  it('refuses a wrong code with a security event', async () => {
    const before = await securityCount(t, 'totp_failed');
    const res = await login(t, s, '123456');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'totp_invalid' });
    expect(await securityCount(t, 'totp_failed')).toBe(before + 1);
  });

  it('accepts the current code once; the next period brings a new one', async () => {
    const code = totpCode(secret, clock.now());
    expect((await login(t, s, code)).statusCode).toBe(200);
    expect((await login(t, s, code)).statusCode).toBe(401); // replay
    clock.advance(30_000);
    expect((await login(t, s, totpCode(secret, clock.now()))).statusCode).toBe(200);
  });

  it('still checks the password first: a right code with a wrong password is the usual 401', async () => {
    const res = await post(t, '/api/v1/auth/login', undefined, {
      login: s.user.username,
      password: 'Wrong-Password-99',
      totp: totpCode(secret, clock.now()),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthenticated');
  });

  it('accepts each recovery code once, in any case and with or without dashes', async () => {
    const code = recoveryCodes[0]!;
    const res = await login(t, s, code.toUpperCase().replace(/-/g, ''));
    expect(res.statusCode).toBe(200);
    expect((await login(t, s, code)).statusCode).toBe(401);
    expect((await login(t, s, recoveryCodes[1]!)).statusCode).toBe(200);
  });

  it('hands out new recovery codes after the password; the old ones stop working', async () => {
    const session = (await login(t, s, recoveryCodes[3]!)).json();
    const auth = { ...s, headers: { authorization: `Bearer ${session.accessToken}` } };
    expect(
      (await post(t, '/api/v1/auth/totp/recovery-codes', auth, { password: 'Wrong-Password-99' })).statusCode,
    ).toBe(422);
    const res = await post(t, '/api/v1/auth/totp/recovery-codes', auth, { password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    const fresh = res.json().recoveryCodes as string[];
    expect(fresh).toHaveLength(10);
    expect((await login(t, s, recoveryCodes[4]!)).statusCode).toBe(401);
    expect((await login(t, s, fresh[0]!)).statusCode).toBe(200);
    recoveryCodes = fresh.slice(1);
  });

  it('is switched off only with the password', async () => {
    const session = (await login(t, s, recoveryCodes[2]!)).json();
    const auth = { ...s, headers: { authorization: `Bearer ${session.accessToken}` } };
    expect(
      (await post(t, '/api/v1/auth/totp/disable', auth, { password: 'Wrong-Password-99' })).statusCode,
    ).toBe(422);
    expect((await post(t, '/api/v1/auth/totp/disable', auth, { password: TEST_PASSWORD })).statusCode).toBe(
      204,
    );
    expect((await login(t, s)).statusCode).toBe(200);
    // Old recovery codes died with it.
    const [count] = await rows<{ n: number }>(
      sql`select count(*)::int as n from totp_recovery_codes where user_id = ${s.user.id}`,
    );
    expect(count?.n).toBe(0);
  });
});

describe('second factor reset by an admin', () => {
  it('lets a user who lost phone and codes sign in with the password again, audited', async () => {
    const admin = await loginAs(t, { role: 'admin' });
    const lost = await loginAs(t, { role: 'employee' });
    await enrol(t, lost);
    expect((await login(t, lost)).json().code).toBe('totp_required');

    const byPeer = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/${admin.user.id}/totp`,
      headers: lost.headers,
    });
    expect(byPeer.statusCode).toBe(403);
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/${lost.user.id}/totp`,
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(204);
    expect((await login(t, lost)).statusCode).toBe(200);

    const audit = await t.app.inject({
      method: 'GET',
      url: `/api/v1/audit?entityId=${lost.user.id}&action=user.totp_disabled`,
      headers: admin.headers,
    });
    expect(audit.json().items).toEqual([expect.objectContaining({ actorId: admin.user.id })]);
  });
});

describe('REQUIRE_TOTP_ROLES', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await createTestApp({ clock, env: { REQUIRE_TOTP_ROLES: 'admin' } });
  });
  afterAll(() => strict.close());

  const get = (url: string, headers: Record<string, string>) =>
    strict.app.inject({ method: 'GET', url, headers });
  const bearer = (res: LightMyRequestResponse) => ({ authorization: `Bearer ${res.json().accessToken}` });

  it('lets an admin without a second factor only enrol until they have one', async () => {
    const admin = await loginAs(strict, { role: 'admin' });
    const first = await login(strict, admin);
    expect(first.json().user).toMatchObject({ totpEnabled: false, totpEnrollmentRequired: true });

    const blocked = await get('/api/v1/users', admin.headers);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('totp_enrollment_required');
    expect((await get('/api/v1/auth/me', admin.headers)).statusCode).toBe(200);

    await enrol(strict, admin);
    // A refresh swaps the restricted token for a full one.
    const refreshed = await strict.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      headers: { cookie: admin.refreshCookie },
    });
    expect(refreshed.json().user).toMatchObject({ totpEnabled: true, totpEnrollmentRequired: false });
    expect((await get('/api/v1/users', bearer(refreshed))).statusCode).toBe(200);

    const disable = await post(
      strict,
      '/api/v1/auth/totp/disable',
      { ...admin, headers: bearer(refreshed) },
      {
        password: TEST_PASSWORD,
      },
    );
    expect(disable.statusCode).toBe(409);
  });

  it('leaves other roles alone', async () => {
    const emp = await loginAs(strict, { role: 'employee' });
    const me = await get('/api/v1/auth/me', emp.headers);
    expect(me.json().totpEnrollmentRequired).toBe(false);
  });
});
