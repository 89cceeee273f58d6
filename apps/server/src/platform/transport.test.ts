import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../test/helpers';
import { addProbeRoutes, appsForFile } from '../../test/security-probes';
import { clientKey } from './rate-limit';
import { PERMISSIONS_POLICY, trustProxyOption } from './transport';

const appWith = appsForFile();

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

  it('answers an OPTIONS without Origin with no origin allowed, not a plain-text error', async () => {
    const res = await t.app.inject({ method: 'OPTIONS', url: '/api/v1/auth/login' });
    expect(res.statusCode).toBe(204);
    expect(res.headers['content-type']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
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
