import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TimeWorld, timeWorld } from '../../test/fixtures/time-world';

let w: TimeWorld;

beforeAll(async () => {
  w = await timeWorld();
});
afterAll(() => w.t.close());

const isProblem = (res: { headers: Record<string, unknown> }) =>
  String(res.headers['content-type']).startsWith('application/problem+json');

describe('values PostgreSQL cannot store are refused by the contracts', () => {
  it('refuses U+0000 in a login before any database look-up', async () => {
    const res = await w.api(null, 'POST', '/auth/login', { login: 'a\u0000b', password: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('body.login');
  });

  it('refuses U+0000 in a query string', async () => {
    const res = await w.api(w.admin, 'GET', '/audit?action=a%00b');
    expect(res.status).toBeLessThan(500);
  });

  it.each([
    ['GET', '/time/timesheets?week=0000-W01'],
    ['GET', '/time/entries?from=0000-01-01'],
    ['GET', '/time/reports/summary?from=0000-01-01&to=2026-01-01'],
    ['GET', '/time/exports?from=0000-01-01&to=2026-01-01'],
    ['GET', '/audit?from=0000-01-01T00:00:00Z'],
  ] as const)('refuses year 0 in %s %s', async (method, url) => {
    const res = await w.api(w.admin, method, url);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });

  it('refuses a lock before year 0 and an entry in year 9999', async () => {
    const lock = await w.api(w.admin, 'POST', '/time/locks', { before: '0000-01-01' });
    expect(lock.status).toBe(400);
    const entry = await w.api(w.employee, 'POST', '/time/entries', {
      startedAt: '9999-12-31T20:00:00Z',
      endedAt: '9999-12-31T22:00:00Z',
    });
    expect(entry.status).toBe(400);
    expect(entry.body.errors.map((e: { path: string }) => e.path)).toContain('body.startedAt');
  });
});

describe("Fastify's own early errors", () => {
  it('answers a URL it cannot decode with problem+json, security headers, and without the URL', async () => {
    const res = await w.t.app.inject({ method: 'GET', url: '/api/v1/time/%zz<script>' });
    expect(res.statusCode).toBe(400);
    expect(isProblem(res)).toBe(true);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).not.toContain('script');
    expect(res.json().code).toBe('bad_request');
  });

  it('answers a text/plain body with 415', async () => {
    const res = await w.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'login=a&password=b',
    });
    expect(res.statusCode).toBe(415);
    expect(isProblem(res)).toBe(true);
    expect(res.json().code).toBe('unsupported_media_type');
  });

  it('answers headers too large with a 431 problem+json', async () => {
    const port = 7300 + Math.floor(Math.random() * 90);
    await w.t.app.listen({ port, host: '127.0.0.1' });
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(`GET /api/health/live HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`),
      );
      let data = '';
      socket.on('data', (d) => {
        data += d;
      });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 431 /);
    expect(raw).toContain('content-type: application/problem+json');
    expect(raw).toContain('x-content-type-options: nosniff');
    expect(raw).not.toContain('aaaa');
  });
});
