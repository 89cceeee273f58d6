import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { type LoggedIn, loginAs } from '../../test/factories/identity';
import { createTestApp, freePort, type TestApp } from '../../test/helpers';
import { AppError } from './errors';
import { CSP_REPORT_GROUP, clientKey, PERMISSIONS_POLICY, trustProxyOption } from './security';

const apps: TestApp[] = [];
async function appWith(env: Record<string, string | undefined>, shareRedisPrefix?: string) {
  const t = await createTestApp({ env, shareRedisPrefix });
  apps.push(t);
  return t;
}
afterAll(async () => {
  await Promise.all(apps.map((t) => t.close()));
});

/** Routes that exist only in these tests: an auth endpoint whose outcome the test decides. */
function addProbeRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/test/ip', { config: { public: true } }, async (request) => ({ ip: request.ip }));
  r.post(
    '/api/test/login',
    {
      config: { public: true, authRateLimit: 'login' },
      schema: { body: z.object({ login: z.string(), password: z.string() }) },
    },
    async (request) => {
      if (request.body.password === 'right-needs-code') throw new AppError('totp_required', 'Enter the code');
      if (request.body.password !== 'right') throw new AppError('unauthenticated', 'Wrong password');
      return { ok: true };
    },
  );
  r.post('/api/test/register', { config: { public: true, authRateLimit: 'register' } }, async () => ({
    ok: true,
  }));
}

const login = (app: FastifyInstance, ip: string, user: string, password: string, cookie?: string) =>
  app.inject({
    method: 'POST',
    url: '/api/test/login',
    remoteAddress: ip,
    headers: cookie ? { cookie } : {},
    payload: { login: user, password },
  });

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({});
  });

  it('sends the hardening headers on API answers and no HSTS without FORCE_HTTPS', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health/live' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(res.headers['permissions-policy']).toBe(PERMISSIONS_POLICY);
    expect(res.headers['permissions-policy']).toContain('camera=()');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends them on errors too', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('FORCE_HTTPS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({
      FORCE_HTTPS: 'true',
      TRUST_PROXY: '127.0.0.1',
      PUBLIC_URL: 'https://clock.example.test',
    });
  });

  it('redirects plain HTTP to the configured host, whatever Host the client sent', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users?x=1',
      headers: { host: 'evil.example.test' },
    });
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('https://clock.example.test/api/v1/users?x=1');
  });

  it('keeps the method of a redirected write (308)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: {} });
    expect(res.statusCode).toBe(308);
  });

  it('serves HTTPS (as the trusted proxy reports it) with HSTS', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/health/live',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('leaves health probes on plain HTTP alone', async () => {
    for (const url of ['/api/health/live', '/health/ready', '/api/v1/health']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(200);
    }
  });
});

describe('TRUST_PROXY', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.1' });
    addProbeRoutes(t.app);
    await t.app.ready();
  });
  const ipSeen = async (remoteAddress: string, xff: string) =>
    (
      await t.app.inject({
        method: 'GET',
        url: '/api/test/ip',
        remoteAddress,
        headers: { 'x-forwarded-for': xff },
      })
    ).json().ip;

  it('honours X-Forwarded-For from a trusted proxy (CIDR and single address)', async () => {
    expect(await ipSeen('10.1.2.3', '203.0.113.9')).toBe('203.0.113.9');
    expect(await ipSeen('192.0.2.1', '203.0.113.10')).toBe('203.0.113.10');
  });

  it('ignores X-Forwarded-For from anyone else', async () => {
    expect(await ipSeen('198.51.100.7', '203.0.113.9')).toBe('198.51.100.7');
    expect(await ipSeen('192.0.2.2', '203.0.113.9')).toBe('192.0.2.2');
  });

  it('takes the nearest untrusted hop, so a client cannot prepend a fake address', async () => {
    expect(await ipSeen('10.1.2.3', '6.6.6.6, 203.0.113.9, 10.0.0.5')).toBe('203.0.113.9');
  });

  it('refuses hop counts and anything that is not an address or CIDR', () => {
    expect(() => trustProxyOption(['1'])).toThrow(/TRUST_PROXY/);
    expect(() => trustProxyOption(['true'])).toThrow(/hop counts/);
    expect(() => trustProxyOption(['10.0.0.0/33'])).toThrow();
    expect(trustProxyOption(['10.0.0.0/8', '::1', 'loopback', 'fd00::/8'])).toEqual([
      '10.0.0.0/8',
      '::1',
      'loopback',
      'fd00::/8',
    ]);
    expect(trustProxyOption([])).toBe(false);
  });

  it('counts IPv6 clients by their /64', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientKey('::ffff:192.0.2.5')).toBe('192.0.2.5');
    expect(clientKey('192.0.2.5')).toBe('192.0.2.5');
  });
});

describe('CORS', () => {
  let t: TestApp;
  const allowed = 'https://app.example.test';
  beforeAll(async () => {
    t = await appWith({ CORS_ALLOWED_ORIGINS: `${allowed},https://admin.example.test` });
  });

  it('allows a listed origin with credentials', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health/live', headers: { origin: allowed } });
    expect(res.headers['access-control-allow-origin']).toBe(allowed);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers.vary).toMatch(/origin/i);
    expect(res.headers['access-control-expose-headers']).toContain('retry-after');
  });

  it('gives an unlisted origin no CORS headers', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/health/live',
      headers: { origin: 'https://evil.example.test' },
    });
    // Without Access-Control-Allow-Origin the browser withholds the answer from the page.
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a preflight from a listed origin', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/auth/login',
      headers: {
        origin: allowed,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(allowed);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    expect(res.headers['access-control-allow-headers']).toContain('authorization');
  });

  it('refuses a preflight from an unlisted origin', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/auth/login',
      headers: { origin: 'https://evil.example.test', 'access-control-request-method': 'POST' },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

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

describe('CSP reports', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({});
  });
  const report = (ip: string) =>
    t.app.inject({
      method: 'POST',
      url: '/csp-report',
      remoteAddress: ip,
      headers: { 'content-type': 'application/csp-report' },
      payload: JSON.stringify({
        'csp-report': {
          'document-uri': 'https://clock.example.test/time',
          'violated-directive': 'script-src-elem',
          'blocked-uri': 'https://cdn.evil.example.test/x.js',
          disposition: 'enforce',
        },
      }),
    });

  it('accepts a report-uri report without credentials and logs it', async () => {
    const warn = vi.spyOn(t.ctx.log.security, 'warn');
    const res = await report('198.51.100.80');
    expect(res.statusCode).toBe(204);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({
        event: 'csp_violation',
        report: expect.objectContaining({ 'blocked-uri': 'https://cdn.evil.example.test/x.js' }),
      }),
      'content security policy violation',
    );
  });

  it('accepts a Reporting API batch', async () => {
    const warn = vi.spyOn(t.ctx.log.security, 'warn');
    const res = await t.app.inject({
      method: 'POST',
      url: '/csp-report',
      headers: { 'content-type': 'application/reports+json' },
      payload: JSON.stringify([
        {
          type: 'csp-violation',
          age: 10,
          url: 'https://clock.example.test/',
          user_agent: 'Mozilla/5.0',
          body: { effectiveDirective: 'img-src', blockedURL: 'https://x.example.test/p.png' },
        },
      ]),
    });
    expect(res.statusCode).toBe(204);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({
        event: 'csp_violation',
        report: expect.objectContaining({ type: 'csp-violation', effectiveDirective: 'img-src' }),
      }),
      'content security policy violation',
    );
  });

  it('refuses what is not a report', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/csp-report',
      headers: { 'content-type': 'application/csp-report' },
      payload: JSON.stringify({ hello: 'world' }),
    });
    expect(res.statusCode).toBe(400);
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/csp-report',
      headers: { 'content-type': 'application/csp-report' },
      payload: '{',
    });
    expect(notJson.statusCode).toBe(400);
  });

  it('is where the page policy sends its reports (report-uri and the report-to group)', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/time', headers: { accept: 'text/html' } });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain(`report-uri /csp-report`);
    expect(csp).toContain(`report-to ${CSP_REPORT_GROUP}`);
    expect(page.headers['reporting-endpoints']).toBe(`${CSP_REPORT_GROUP}="/csp-report"`);
    const api = await t.app.inject({ method: 'GET', url: '/api/health/live' });
    expect(api.headers['reporting-endpoints']).toBeUndefined();
  });

  it('limits reports per IP', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 31; i++) codes.push((await report('198.51.100.81')).statusCode);
    expect(codes.slice(0, 30).every((c) => c === 204)).toBe(true);
    expect(codes[30]).toBe(429);
  });
});

describe('limits shared by two instances through one Redis', () => {
  let redisUrl = process.env.REDIS_URL;
  let server: ChildProcess | undefined;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    if (!redisUrl) {
      const port = await freePort();
      server = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      redisUrl = `redis://127.0.0.1:${port}`;
      await waitForRedis(redisUrl);
    }
    const prefix = `cpt:shared:${process.pid}:${Date.now()}:`;
    const env = { REDIS_URL: redisUrl, RATE_LIMIT_MAX_REQUESTS: '4', AUTH_RATE_LIMIT_MAX: '3' };
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
    server?.kill();
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
});

async function waitForRedis(url: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch {
      // not listening yet
    } finally {
      client.disconnect();
    }
    await sleep(100);
  }
  throw new Error(`redis-server at ${url} did not start`);
}
