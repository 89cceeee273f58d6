import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoggedIn, loginAs } from '../../test/factories/identity';
import { createTestApp, type TestApp } from '../../test/helpers';
import { request } from '../../test/http';

// Inputs that pass a schema but that the database cannot store, and requests Fastify refuses before
// any route runs: each must be a 4xx problem, never a 500.
let t: TestApp;
let admin: LoggedIn;
beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t, { role: 'admin' });
});
afterAll(() => t.close());

const isProblem = (res: { headers: Record<string, unknown> }) =>
  expect(String(res.headers['content-type'])).toContain('application/problem+json');

describe('hostile input', () => {
  it('refuses a NUL character in a body field before sign-in, naming the field', async () => {
    const res = await request(t, null, 'POST', '/auth/login', { login: 'a\u0000b', password: 'x' });
    expect(res.status).toBe(400);
    isProblem(res);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.login' })]);
  });

  it('refuses a NUL character in a query parameter, naming it', async () => {
    const res = await request(t, admin, 'GET', '/audit?q=a%00b');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('querystring.q');
  });

  it.each([
    ['GET', '/time/entries?from=0000-01-01&to=0000-01-08'],
    ['GET', '/time/timesheets?week=0000-W01'],
    ['GET', '/audit?from=0000-01-01'],
  ] as const)('answers %s %s with a 4xx, not a 500', async (method, url) => {
    const res = await request(t, admin, method, url);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    isProblem(res);
  });

  it('answers a lock date the database cannot store with a 4xx', async () => {
    const res = await request(t, admin, 'POST', '/time/locks', { before: '0000-01-01' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('answers a malformed URL as a problem that does not repeat the URL', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/users/%E0%A4%A<script>' });
    expect(res.statusCode).toBe(400);
    isProblem(res);
    expect(res.body).not.toContain('<script>');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers a text/plain body with 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'login=a&password=b',
    });
    expect(res.statusCode).toBe(415);
    isProblem(res);
  });
});
