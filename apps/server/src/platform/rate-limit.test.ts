import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LoggedIn, loginAs } from '../../test/factories/identity';
import { createTestApp, type TestApp } from '../../test/helpers';
import { addProbeRoutes, appsForFile, login } from '../../test/security-probes';
import { sharedRedis } from '../../test/shared-redis';

const appWith = appsForFile();

describe('global per-IP limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({ RATE_LIMIT_MAX_REQUESTS: '3', RATE_LIMIT_WINDOW_MS: '60000' });
  });

  it('answers 429 with Retry-After and RateLimit-* headers, counts it and logs it', async () => {
    const warn = vi.spyOn(t.ctx.log.security, 'warn');
    const before = (await t.ctx.metrics.rateLimited.get()).values.reduce((n, v) => n + v.value, 0);
    const get = () => t.app.inject({ method: 'GET', url: '/openapi.json', remoteAddress: '198.51.100.20' });
    for (let i = 0; i < 3; i++) {
      const ok = await get();
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['ratelimit-limit']).toBe('3');
      expect(ok.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    const res = await get();
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(res.headers['ratelimit-limit']).toBe('3');
    expect(res.headers['ratelimit-remaining']).toBe('0');
    expect(res.headers['ratelimit-reset']).toBe(res.headers['retry-after']);
    const after = (await t.ctx.metrics.rateLimited.get()).values.reduce((n, v) => n + v.value, 0);
    expect(after - before).toBe(1);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ event: 'rate_limited', kind: 'ip', ip: '198.51.100.20' }),
      'rate limit exceeded',
    );
    // Another client is not affected.
    const other = await t.app.inject({ method: 'GET', url: '/openapi.json', remoteAddress: '198.51.100.21' });
    expect(other.statusCode).toBe(200);
  });

  it('never limits health probes, on every probe path', async () => {
    for (const url of ['/api/health/live', '/health/live', '/api/v1/health/ready', '/health']) {
      for (let i = 0; i < 5; i++) {
        const res = await t.app.inject({ method: 'GET', url, remoteAddress: '198.51.100.22' });
        expect(res.statusCode).toBe(200);
      }
    }
  });
});

describe('auth limit (login, register, refresh)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({ AUTH_RATE_LIMIT_MAX: '5', AUTH_RATE_LIMIT_WINDOW_MS: '900000' });
    addProbeRoutes(t.app);
    await t.app.ready();
  });

  it('blocks an IP after 5 failed logins, for every account and even with the right password', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await login(t.app, '203.0.113.50', `user${i}`, 'wrong')).statusCode).toBe(401);
    }
    const blocked = await login(t.app, '203.0.113.50', 'someone', 'right');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);
    expect(blocked.headers['ratelimit-limit']).toBe('5');
    expect(blocked.headers['ratelimit-remaining']).toBe('0');
  });

  it('does not count successful logins', async () => {
    for (let i = 0; i < 8; i++) {
      expect((await login(t.app, '203.0.113.51', 'office', 'right')).statusCode).toBe(200);
    }
  });

  it('does not count the first step of a login with a second factor', async () => {
    for (let i = 0; i < 8; i++) {
      const step = await login(t.app, '203.0.113.53', 'totp_user', 'right-needs-code');
      expect(step.statusCode).toBe(401);
      expect(step.json().code).toBe('totp_required');
      expect(step.cookies.find((c) => c.name === 'cp_device')).toBeUndefined();
    }
  });

  it('counts a burst of parallel attempts before any answer is known', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login(t.app, '203.0.113.52', `burst${i}`, 'wrong')),
    );
    expect(answers.filter((r) => r.statusCode === 429)).toHaveLength(7);
  });

  it('blocks guessing one account from many IPs, but not its owner on a known device', async () => {
    const owner = await login(t.app, '198.51.100.60', 'ann', 'right');
    expect(owner.statusCode).toBe(200);
    const device = owner.cookies.find((c) => c.name === 'cp_device');
    expect(device).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });

    for (let i = 0; i < 5; i++) {
      expect((await login(t.app, `192.0.2.${100 + i}`, 'ANN', 'wrong')).statusCode).toBe(401);
    }
    // A sixth address, never seen before, is refused for this account only.
    expect((await login(t.app, '192.0.2.200', 'ann', 'right')).statusCode).toBe(429);
    expect((await login(t.app, '192.0.2.200', 'bob', 'right')).statusCode).toBe(200);
    // The owner's device still gets in.
    const again = await login(t.app, '198.51.100.60', 'ann', 'right', `cp_device=${device!.value}`);
    expect(again.statusCode).toBe(200);
    // A forged device cookie does not help.
    const forged = await login(t.app, '192.0.2.201', 'ann', 'right', 'cp_device=AAAAAAAAAAAAAAAAAAAAAA');
    expect(forged.statusCode).toBe(429);
  });

  it('counts every registration per IP', async () => {
    const register = () =>
      t.app.inject({ method: 'POST', url: '/api/test/register', remoteAddress: '203.0.113.70' });
    for (let i = 0; i < 5; i++) expect((await register()).statusCode).toBe(200);
    expect((await register()).statusCode).toBe(429);
  });

  it('guards the real login and refresh routes; a refresh without a cookie is not counted', async () => {
    const realLogin = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '203.0.113.77',
        payload: { login: 'nobody_at_all', password: 'Wrong-Password-1' },
      });
    for (let i = 0; i < 5; i++) expect((await realLogin()).statusCode).toBe(401);
    expect((await realLogin()).statusCode).toBe(429);

    const refresh = (cookie?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        remoteAddress: '203.0.113.78',
        headers: cookie ? { cookie } : {},
      });
    for (let i = 0; i < 7; i++) expect((await refresh()).statusCode).toBe(401);
    for (let i = 0; i < 5; i++) expect((await refresh('clockpilot_refresh=forged')).statusCode).toBe(401);
    expect((await refresh('clockpilot_refresh=forged')).statusCode).toBe(429);
  });

  it('logs a blocked attempt to the security log', async () => {
    const warn = vi.spyOn(t.ctx.log.security, 'warn');
    await login(t.app, '203.0.113.50', 'x', 'wrong');
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ event: 'rate_limited', kind: 'auth_login', ip: '203.0.113.50' }),
      'rate limit exceeded',
    );
  });
});

describe('per-user API limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({ API_RATE_LIMIT_PER_MINUTE: '3' });
  });

  it('limits each signed-in user per route, wherever they call from', async () => {
    const ann = await loginAs(t, { role: 'employee' });
    const bob = await loginAs(t, { role: 'employee' });
    const get = (who: LoggedIn, url: string, ip = '198.51.100.90') =>
      t.app.inject({ method: 'GET', url, remoteAddress: ip, headers: who.headers });
    for (let i = 0; i < 3; i++) {
      const ok = await get(ann, '/api/v1/tokens');
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['ratelimit-limit']).toBe('3');
      expect(ok.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    const warn = vi.spyOn(t.ctx.log.security, 'warn');
    // A new address does not reset the user's budget.
    const limited = await get(ann, '/api/v1/tokens', '198.51.100.91');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ event: 'rate_limited', kind: 'api', userId: ann.user.id }),
      'rate limit exceeded',
    );
    // Another route, and another user on the same address, have their own budgets.
    expect((await get(ann, '/api/v1/auth/me')).statusCode).toBe(200);
    expect((await get(bob, '/api/v1/tokens')).statusCode).toBe(200);
  });
});

describe('limits shared by two instances through one Redis', () => {
  let redis: Awaited<ReturnType<typeof sharedRedis>>;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    redis = await sharedRedis();
    const prefix = `cpt:shared:${process.pid}:${Date.now()}:`;
    const env = { REDIS_URL: redis.url, RATE_LIMIT_MAX_REQUESTS: '4', AUTH_RATE_LIMIT_MAX: '3' };
    a = await createTestApp({ env, shareRedisPrefix: prefix });
    b = await createTestApp({ env, shareRedisPrefix: prefix });
    for (const t of [a, b]) addProbeRoutes(t.app);
    await Promise.all([a.app.ready(), b.app.ready()]);
    // Both connected, and past the event-loop stall of building two apps (which answers 503).
    await vi.waitFor(
      () => {
        for (const t of [a, b]) {
          expect(t.ctx.cache.status().status).toBe('up');
          expect(t.app.isUnderPressure()).toBe(false);
        }
      },
      { timeout: 10_000, interval: 100 },
    );
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    redis?.stop();
  });

  it('shares the global per-IP counter', async () => {
    const get = (t: TestApp) =>
      t.app.inject({ method: 'GET', url: '/api/test/ip', remoteAddress: '203.0.113.90' });
    expect((await get(a)).statusCode).toBe(200);
    expect((await get(b)).statusCode).toBe(200);
    expect((await get(a)).statusCode).toBe(200);
    const fourth = await get(b);
    expect(fourth.statusCode).toBe(200);
    expect(fourth.headers['ratelimit-remaining']).toBe('0');
    expect((await get(a)).statusCode).toBe(429);
    expect((await get(b)).statusCode).toBe(429);
  });

  it('shares the auth counters', async () => {
    expect((await login(a.app, '203.0.113.91', 'x', 'wrong')).statusCode).toBe(401);
    expect((await login(b.app, '203.0.113.91', 'y', 'wrong')).statusCode).toBe(401);
    expect((await login(a.app, '203.0.113.91', 'z', 'wrong')).statusCode).toBe(401);
    expect((await login(b.app, '203.0.113.91', 'w', 'right')).statusCode).toBe(429);
  });

  it('counts an authenticated call against both its limits in one round trip', async () => {
    const s = await loginAs(a, { role: 'employee' });
    const me = () => a.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.headers });
    // The first calls fill the process's memory of the token, its session and the account.
    for (let i = 0; i < 2; i++) expect((await me()).statusCode).toBe(200);
    const sent = vi.spyOn(a.ctx.cache.redis!, 'sendCommand');
    const res = await me();
    expect(res.statusCode).toBe(200);
    expect(res.headers['ratelimit-limit']).toBeDefined();
    expect(sent.mock.calls.map(([command]) => command.name)).toEqual(['evalsha']);
    sent.mockRestore();
  });

  it('counts a burst of parallel calls exactly, one script call per instance', async () => {
    const sent = vi.spyOn(a.ctx.cache.redis!, 'sendCommand');
    const get = (t: TestApp) =>
      t.app.inject({ method: 'GET', url: '/api/test/ip', remoteAddress: '203.0.113.93' });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => get(i % 2 ? a : b)));
    expect(answers.filter((r) => r.statusCode === 200)).toHaveLength(4);
    expect(answers.filter((r) => r.statusCode === 429)).toHaveLength(6);
    // One call when the five requests reach their check in the same turn, as they do here; fewer than
    // one per request however the turns fall.
    expect(sent.mock.calls.filter(([command]) => command.name === 'evalsha').length).toBeLessThan(5);
    sent.mockRestore();
  });

  it('gives each call of a burst its own count, the shared key sent once per script call', async () => {
    const sent = vi.spyOn(a.ctx.cache.redis!, 'sendCommand');
    const get = () => a.app.inject({ method: 'GET', url: '/api/test/ip', remoteAddress: '203.0.113.94' });
    const answers = await Promise.all(Array.from({ length: 6 }, get));
    const remaining = answers.map((r) => r.headers['ratelimit-remaining']).sort();
    expect(remaining.join()).toBe('0,0,0,1,2,3');
    expect(answers.filter((r) => r.statusCode === 429)).toHaveLength(2);
    for (const [command] of sent.mock.calls.filter(([c]) => c.name === 'evalsha')) {
      const keys = command.args.filter((arg) => String(arg).startsWith('lim:'));
      expect(new Set(keys).size).toBe(keys.length);
    }
    sent.mockRestore();
  });

  it('still counts calls refused before the per-user limit, and refuses their address once over', async () => {
    const bad = { authorization: 'Bearer not-a-token' };
    const call = (t: TestApp) =>
      t.app.inject({ method: 'GET', url: '/api/v1/auth/me', remoteAddress: '203.0.113.92', headers: bad });
    for (let i = 0; i < 4; i++) expect((await call(i % 2 ? a : b)).statusCode).toBe(401);
    await vi.waitFor(async () => expect((await call(a)).statusCode).toBe(429), {
      timeout: 2000,
      interval: 50,
    });
  });
});
