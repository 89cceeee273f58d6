import { hash } from '@node-rs/argon2';
import { sql } from 'drizzle-orm';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUser, loginAs, TEST_PASSWORD } from '../../../test/factories/identity';
import {
  createTestApp,
  moduleServices,
  TEST_JWT_SECRET,
  type TestApp,
  testClock,
} from '../../../test/helpers';
import { errorPaths } from '../../../test/http';

const clock = testClock();
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

const login = (payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });

describe('login', () => {
  it('signs in by username or email, any case, and sets the refresh cookie', async () => {
    const user = await createUser(t, {
      role: 'employee',
      username: 'Ada_Lovelace',
      email: 'Ada@Example.test',
    });
    for (const name of ['ada_lovelace', 'ADA@example.TEST']) {
      const res = await login({ login: name, password: TEST_PASSWORD });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        tokenType: 'Bearer',
        expiresIn: 15 * 60,
        user: { id: user.id, role: 'employee' },
      });
      expect(body.user).not.toHaveProperty('passwordHash');
      expect(res.headers['cache-control']).toBe('no-store');
      const cookie = res.cookies.find((c) => c.name === 'clockpilot_refresh');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(cookie?.value).toMatch(/^[\w-]{43}$/);
    }
  });

  it('answers an unknown user, a wrong password and a deactivated account alike', async () => {
    const active = await createUser(t, { role: 'employee' });
    const inactive = await createUser(t, { role: 'employee' });
    await moduleServices(t, 'identity').identity.updateUser(inactive.id, { active: false }, { userId: null });

    const answers = await Promise.all([
      login({ login: 'nobody_here', password: TEST_PASSWORD }),
      login({ login: active.username, password: 'Wrong-Password-99' }),
      login({ login: inactive.username, password: TEST_PASSWORD }),
    ]);
    for (const res of answers) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'unauthenticated', detail: 'Wrong username or password' });
      expect(res.cookies).toHaveLength(0);
    }
  });

  it('spends comparable time on unknown users and wrong passwords', async () => {
    const user = await createUser(t, { role: 'employee' });
    const time = async (payload: Record<string, unknown>) => {
      const started = performance.now();
      await login(payload);
      return performance.now() - started;
    };
    await time({ login: 'warm_up', password: 'x' });
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 5; i++) {
      unknown.push(await time({ login: `ghost_${i}`, password: 'Wrong-Password-99' }));
      wrong.push(await time({ login: user.username, password: 'Wrong-Password-99' }));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[2]!;
    // Both run one argon2id verification; without the dummy hash the unknown user would answer ~10x faster.
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.3);
    expect(median(unknown)).toBeLessThan(median(wrong) * 3);
  });

  it('writes login successes and failures to the security log and counter', async () => {
    const user = await createUser(t, { role: 'employee' });
    const warn = vi.spyOn(t.ctx.log.security, 'warn');
    const info = vi.spyOn(t.ctx.log.security, 'info');
    const count = async (type: string) =>
      (await t.ctx.metrics.securityEvents.get()).values.find((v) => v.labels.type === type)?.value ?? 0;
    const [failed, succeeded] = [await count('login_failed'), await count('login_succeeded')];

    await login({ login: user.username, password: 'Wrong-Password-99' });
    await login({ login: user.username, password: TEST_PASSWORD });

    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ event: 'login_failed', userId: user.id, reason: 'wrong_password' }),
      'login failed',
    );
    expect(info).toHaveBeenCalledWith(
      expect.objectContaining({ event: 'login_succeeded', userId: user.id }),
      'login succeeded',
    );
    expect(JSON.stringify([...warn.mock.calls, ...info.mock.calls])).not.toContain('Wrong-Password-99');
    expect([await count('login_failed'), await count('login_succeeded')]).toEqual([
      failed + 1,
      succeeded + 1,
    ]);
    vi.restoreAllMocks();
  });

  it('re-hashes a password stored with older argon2 parameters at the next login', async () => {
    const user = await createUser(t, { role: 'employee' });
    const old = await hash(TEST_PASSWORD, { memoryCost: 8192, timeCost: 1, parallelism: 1 });
    await t.ctx.db.execute(sql`update users set password_hash = ${old} where id = ${user.id}`);
    expect((await login({ login: user.username, password: TEST_PASSWORD })).statusCode).toBe(200);
    const res = await t.ctx.db.execute(sql`select password_hash from users where id = ${user.id}`);
    const [row] = (res as unknown as { rows: Array<{ password_hash: string }> }).rows;
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await login({ login: user.username, password: TEST_PASSWORD })).statusCode).toBe(200);
  });

  it('validates the body', async () => {
    const res = await login({ login: '', password: 'x'.repeat(200) });
    expect(res.statusCode).toBe(400);
    expect(errorPaths(res.json())).toEqual(['body.login', 'body.password']);
  });
});

describe('access tokens', () => {
  it('authenticates /auth/me with the bearer token', async () => {
    const { user, headers } = await loginAs(t, { role: 'manager' });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: user.id,
      username: user.username,
      role: 'manager',
      totpEnabled: false,
      totpEnrollmentRequired: false,
      hasPassword: true,
    });
  });

  it('refuses a missing, malformed or tampered token without detail', async () => {
    const { accessToken } = await loginAs(t, { role: 'employee' });
    const [header, payload] = accessToken.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'admin' }),
    ).toString('base64url');
    const noneAlg = `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${payload}.`;
    for (const authorization of [
      undefined,
      'Bearer',
      'Basic abc',
      'Bearer not-a-jwt',
      `Bearer ${header}.${forged}.${accessToken.split('.')[2]}`,
      `Bearer ${noneAlg}`,
    ]) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: authorization ? { authorization } : {},
      });
      expect(res.statusCode, String(authorization)).toBe(401);
      expect(res.headers['www-authenticate']).not.toMatch(/error_description/);
      expect(res.json().code).toBe('unauthenticated');
    }
  });

  it('accepts only HS256 tokens of this issuer and audience, typed as access tokens', async () => {
    const { user, accessToken } = await loginAs(t, { role: 'employee' });
    const { sid } = decodeJwt(accessToken);
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const now = Math.floor(clock.now().getTime() / 1000);
    const make = (alg: string, typ: string, iss: string, aud: string) =>
      new SignJWT({ role: 'admin', sid })
        .setProtectedHeader({ alg, typ })
        .setSubject(user.id)
        .setIssuer(iss)
        .setAudience(aud)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(key);
    const issuer = t.ctx.config.app.publicUrl;
    const me = async (token: string) =>
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode;
    expect(await me(await make('HS256', 'at+jwt', issuer, 'clockpilot-api'))).toBe(200);
    expect(await me(await make('HS512', 'at+jwt', issuer, 'clockpilot-api'))).toBe(401);
    expect(await me(await make('HS256', 'JWT', issuer, 'clockpilot-api'))).toBe(401);
    expect(await me(await make('HS256', 'at+jwt', 'https://elsewhere.example', 'clockpilot-api'))).toBe(401);
    expect(await me(await make('HS256', 'at+jwt', issuer, 'another-api'))).toBe(401);
  });

  it('says when a token expired, by the injected clock', async () => {
    const { headers } = await loginAs(t, { role: 'employee' });
    clock.advance(14 * 60_000);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers })).statusCode).toBe(200);
    clock.advance(2 * 60_000);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'token_expired' });
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="clockpilot", error="invalid_token", error_description="The access token expired"',
    );
  });

  it('re-reads role and active flag from the database for account administration', async () => {
    const admin = await loginAs(t, { role: 'admin' });
    const other = await createUser(t, { role: 'employee' });
    const rename = (displayName: string) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${other.id}`,
        headers: admin.headers,
        payload: { displayName },
      });
    expect((await rename('Renamed Once')).statusCode).toBe(200);
    // Demoted behind the token's back: the token still says admin.
    await t.ctx.db.execute(sql`update users set role = 'employee' where id = ${admin.user.id}`);
    expect((await rename('Renamed Twice')).statusCode).toBe(403);
  });
});

describe('secure cookie', () => {
  it('uses the __Host- prefixed Secure cookie when COOKIE_SECURE is on', async () => {
    const secure = await createTestApp({ env: { COOKIE_SECURE: 'true' } });
    try {
      const user = await createUser(secure, { role: 'employee' });
      const res = await secure.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { login: user.username, password: TEST_PASSWORD },
      });
      const cookie = res.cookies.find((c) => c.name === '__Host-clockpilot_refresh');
      expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(cookie).not.toHaveProperty('domain');
      const refreshed = await secure.app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        headers: { cookie: `${cookie!.name}=${cookie!.value}` },
      });
      expect(refreshed.statusCode).toBe(200);
    } finally {
      await secure.close();
    }
  });
});
