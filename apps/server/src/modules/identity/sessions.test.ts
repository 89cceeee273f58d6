import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoggedIn, loginAs, signIn, TEST_PASSWORD } from '../../../test/factories/identity';
import { createTestApp, moduleServices, type TestApp, testClock } from '../../../test/helpers';

const clock = testClock();
let t: TestApp;
const ORIGIN = 'http://localhost:5000';

beforeAll(async () => {
  t = await createTestApp({
    clock,
    env: { REFRESH_GRACE_SECONDS: '10', REFRESH_IDLE_HOURS: '72', REFRESH_DAYS: '14' },
  });
});
afterAll(() => t.close());

const cookieOf = (res: LightMyRequestResponse) => {
  const c = res.cookies.find((x) => x.name === 'clockpilot_refresh');
  return c ? `${c.name}=${c.value}` : undefined;
};
const refresh = (cookie: string, headers: Record<string, string> = { origin: ORIGIN }) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', headers: { ...headers, cookie } });
const me = (auth: { authorization: string }) =>
  t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: auth });
const bearer = (res: LightMyRequestResponse) => ({ authorization: `Bearer ${res.json().accessToken}` });
const securityCount = async (type: string) => {
  const metric = await t.ctx.metrics.securityEvents.get();
  return metric.values.find((v) => v.labels.type === type)?.value ?? 0;
};

describe('refresh rotation', () => {
  it('rotates the refresh token on every use and issues a fresh access token', async () => {
    const s = await loginAs(t, { role: 'employee' });
    const first = await refresh(s.refreshCookie);
    expect(first.statusCode).toBe(200);
    const next = cookieOf(first)!;
    expect(next).toBeDefined();
    expect(next).not.toBe(s.refreshCookie);
    expect(first.json().user.id).toBe(s.user.id);
    expect((await me(bearer(first))).statusCode).toBe(200);
    clock.advance(60_000);
    const second = await refresh(next);
    expect(second.statusCode).toBe(200);
    expect(cookieOf(second)).not.toBe(next);
  });

  it('treats a spent token presented again after the grace window as theft and revokes the family', async () => {
    const s = await loginAs(t, { role: 'employee' });
    const rotated = await refresh(s.refreshCookie);
    const current = cookieOf(rotated)!;
    const before = await securityCount('refresh_token_reuse');

    clock.advance(11_000);
    const replay = await refresh(s.refreshCookie);
    expect(replay.statusCode).toBe(401);
    expect(await securityCount('refresh_token_reuse')).toBe(before + 1);

    // The legitimate holder's newer token and access token died with the family.
    expect((await refresh(current)).statusCode).toBe(401);
    expect((await me(bearer(rotated))).statusCode).toBe(401);
    expect((await me(s.headers)).statusCode).toBe(401);
  });

  it('lets two tabs refresh with the same token inside the grace window and get the same successor', async () => {
    const s = await loginAs(t, { role: 'employee' });
    const [a, b] = await Promise.all([refresh(s.refreshCookie), refresh(s.refreshCookie)]);
    expect(a.statusCode).toBe(200);
    expect(b.statusCode).toBe(200);
    expect(cookieOf(a)).toBe(cookieOf(b));
    clock.advance(5_000);
    const late = await refresh(s.refreshCookie);
    expect(late.statusCode).toBe(200);
    expect(cookieOf(late)).toBe(cookieOf(a));
    // The successor itself still rotates normally and the session is alive.
    const onward = await refresh(cookieOf(a)!);
    expect(onward.statusCode).toBe(200);
    // Now the original token is two generations old: reuse.
    expect((await refresh(s.refreshCookie)).statusCode).toBe(401);
  });

  it('ends a session idle longer than REFRESH_IDLE_HOURS and one older than REFRESH_DAYS', async () => {
    const idle = await loginAs(t, { role: 'employee' });
    clock.advance(73 * 3_600_000);
    expect((await refresh(idle.refreshCookie)).statusCode).toBe(401);

    const busy = await loginAs(t, { role: 'employee' });
    let cookie = busy.refreshCookie;
    // Used every 2 days it never idles out, but ends after 14 days.
    for (let day = 2; day <= 12; day += 2) {
      clock.advance(2 * 24 * 3_600_000);
      const res = await refresh(cookie);
      expect(res.statusCode, `day ${day}`).toBe(200);
      cookie = cookieOf(res)!;
    }
    clock.advance(2 * 24 * 3_600_000 + 1000);
    const end = await refresh(cookie);
    expect(end.statusCode).toBe(401);
    expect(end.cookies.find((c) => c.name === 'clockpilot_refresh')?.value).toBe('');
  });

  it('refuses a foreign Origin and cross-site fetches, allows none (non-browser clients)', async () => {
    const s = await loginAs(t, { role: 'employee' });
    expect((await refresh(s.refreshCookie, { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await refresh(s.refreshCookie, { origin: 'null' })).statusCode).toBe(403);
    expect((await refresh(s.refreshCookie, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await refresh(s.refreshCookie, {})).statusCode).toBe(200);
  });

  it('trusts the address the app was opened at outside production, scheme and port included', async () => {
    const s = await loginAs(t, { role: 'employee' });
    const own = { origin: 'http://127.0.0.1:5123', host: '127.0.0.1:5123' };
    const ok = await refresh(s.refreshCookie, own);
    expect(ok.statusCode).toBe(200);
    const next = cookieOf(ok)!;
    for (const origin of ['http://192.168.1.9:5123', 'https://127.0.0.1:5123', 'http://127.0.0.1:5124']) {
      expect((await refresh(next, { ...own, origin })).statusCode).toBe(403);
    }
    expect((await refresh(next, own)).statusCode).toBe(200);
  });

  it('in production trusts only PUBLIC_URL and says why it refuses', async () => {
    const prod = await createTestApp({
      env: {
        APP_MODE: 'production',
        ALLOW_EMBEDDED_DB: 'true',
        PUBLIC_URL: 'https://time.example.com',
        FLEET_ALLOW_LOCAL_PROVIDERS: 'true',
      },
    });
    try {
      const res = await prod.app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        headers: { origin: 'http://127.0.0.1:5123', host: '127.0.0.1:5123' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().detail).toBe(
        'ClockPilot is set up for https://time.example.com, not http://127.0.0.1:5123: open it at that address, or add this one to PUBLIC_URL or CORS_ALLOWED_ORIGINS',
      );
    } finally {
      await prod.close();
    }
  });

  it('answers 401 without a cookie or with an unknown token', async () => {
    const none = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      headers: { origin: ORIGIN },
    });
    expect(none.statusCode).toBe(401);
    expect((await refresh('clockpilot_refresh=made-up')).statusCode).toBe(401);
  });
});

describe('logout and sessions', () => {
  const sessions = (s: { authorization: string }) =>
    t.app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: s });

  it('logs out: the refresh token and the access token stop working', async () => {
    const s = await loginAs(t, { role: 'employee' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { origin: ORIGIN, cookie: s.refreshCookie },
    });
    expect(res.statusCode).toBe(204);
    expect(res.cookies.find((c) => c.name === 'clockpilot_refresh')?.value).toBe('');
    expect((await refresh(s.refreshCookie)).statusCode).toBe(401);
    expect((await me(s.headers)).statusCode).toBe(401);
  });

  it('lists my live sessions with the current one flagged, and revokes one', async () => {
    const a = await loginAs(t, { role: 'employee' });
    const login = (ua: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'user-agent': ua },
        payload: { login: a.user.username, password: TEST_PASSWORD },
      });
    const phone = await login('Phone/1.0');
    await login('Laptop/2.0');
    const other = await loginAs(t, { role: 'employee' });

    const list = (await sessions(a.headers)).json().items as Array<{
      id: string;
      current: boolean;
      userAgent: string;
    }>;
    expect(list).toHaveLength(3);
    expect(list.filter((x) => x.current)).toHaveLength(1);
    expect(list.map((x) => x.userAgent)).toEqual(expect.arrayContaining(['Phone/1.0', 'Laptop/2.0']));

    const phoneSession = list.find((x) => x.userAgent === 'Phone/1.0')!;
    // Someone else's session id is not found (object-level check), mine is revoked.
    const foreign = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${phoneSession.id}`,
      headers: other.headers,
    });
    expect(foreign.statusCode).toBe(404);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${phoneSession.id}`,
      headers: a.headers,
    });
    expect(del.statusCode).toBe(204);
    expect((await me(bearer(phone))).statusCode).toBe(401);
    expect((await refresh(cookieOf(phone)!)).statusCode).toBe(401);
    expect((await sessions(a.headers)).json().items).toHaveLength(2);
  });

  it('logs out everywhere', async () => {
    const a = await loginAs(t, { role: 'employee' });
    const again = await signIn(t, a.user);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sessions/revoke-all',
      headers: a.headers,
    });
    expect(res.json()).toEqual({ revoked: 2 });
    expect((await me(a.headers)).statusCode).toBe(401);
    expect((await me(again.headers)).statusCode).toBe(401);
    expect((await refresh(again.refreshCookie)).statusCode).toBe(401);
  });
});

describe('password change', () => {
  const change = (s: LoggedIn, body: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: s.headers, payload: body });

  it('needs the current password, applies the policy and ends my other sessions only', async () => {
    const s = await loginAs(t, { role: 'employee' });
    const other = await signIn(t, s.user);

    const wrong = await change(s, { currentPassword: 'Not-The-One-11', newPassword: 'Cobalt-River-73-Kite' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors[0].path).toBe('body.currentPassword');

    const weak = await change(s, { currentPassword: TEST_PASSWORD, newPassword: 'Password1!' });
    expect(weak.statusCode).toBe(422);
    expect(weak.json()).toMatchObject({ code: 'weak_password' });
    expect(weak.json().errors).toContainEqual(
      expect.objectContaining({ path: 'body.newPassword', code: 'common_password' }),
    );

    expect(
      (await change(s, { currentPassword: TEST_PASSWORD, newPassword: 'Cobalt-River-73-Kite' })).statusCode,
    ).toBe(204);
    expect((await me(s.headers)).statusCode).toBe(200);
    expect((await refresh(s.refreshCookie)).statusCode).toBe(200);
    expect((await me(other.headers)).statusCode).toBe(401);
    expect((await refresh(other.refreshCookie)).statusCode).toBe(401);

    const oldLogin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: s.user.username, password: TEST_PASSWORD },
    });
    expect(oldLogin.statusCode).toBe(401);
  });
});

describe('pruning', () => {
  it('forgets sessions 30 days after they ended and keeps the others', async () => {
    const identity = moduleServices(t, 'identity').identity;
    const revoked = await loginAs(t, { role: 'employee' });
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/sessions/revoke-all', headers: revoked.headers });
    const expired = await loginAs(t, { role: 'employee' });
    const count = async (s: LoggedIn) => {
      const res = await t.ctx.db.execute(
        sql`select count(*)::int as n from auth_sessions where user_id = ${s.user.id}`,
      );
      return (res as unknown as { rows: Array<{ n: number }> }).rows[0]!.n;
    };

    await identity.pruneSessions();
    expect([await count(revoked), await count(expired)]).toEqual([1, 1]);

    // 31 days on: the revoked one ended 31 days ago; the other idled out on day 3, only 28 days ago.
    clock.advance(31 * 24 * 3_600_000);
    const live = await loginAs(t, { role: 'employee' });
    await identity.pruneSessions();
    expect([await count(revoked), await count(expired), await count(live)]).toEqual([0, 1, 1]);
    clock.advance(3 * 24 * 3_600_000);
    await identity.pruneSessions();
    expect([await count(expired), await count(live)]).toEqual([0, 1]);
  });
});
