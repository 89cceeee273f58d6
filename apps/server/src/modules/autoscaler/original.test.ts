import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers';
import { errorPaths } from '../../../test/http';

// The original Autoscaler system's paths, as its guide calls them.
let t: TestApp;

beforeAll(async () => {
  // The original's limit: 5 attempts per minute per IP.
  t = await createTestApp({
    env: { ALLOW_REGISTRATION: 'true', AUTH_RATE_LIMIT_MAX: '5', AUTH_RATE_LIMIT_WINDOW_MS: '60000' },
  });
});
afterAll(() => t.close());

const post = (url: string, payload: unknown, ip = '203.0.113.1') =>
  t.app.inject({ method: 'POST', url, payload: payload as object, remoteAddress: ip });

describe('original sign-up and sign-in', () => {
  it('registers with username and password, then signs in and uses the token', async () => {
    const created = await post('/auth/register', { username: 'ops_team_1', password: 'Scale-Out-42!' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      username: 'ops_team_1',
      email: 'ops_team_1@users.invalid',
      message: 'user registered successfully',
    });

    const res = await post(
      '/auth/login',
      { username: 'ops_team_1', password: 'Scale-Out-42!' },
      '203.0.113.2',
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    // A bearer-token client: no refresh cookie.
    expect(res.cookies.map((c) => c.name)).not.toContain('clockpilot_refresh');
    const body = res.json();
    expect(body).toMatchObject({ tokenType: 'Bearer', user: { username: 'ops_team_1' } });
    // The original's names for the same: `token`, `expires_in`, `username`.
    expect(body).toMatchObject({
      token: body.accessToken,
      expires_in: body.expiresIn,
      username: 'ops_team_1',
    });
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(me.statusCode).toBe(200);
  });

  it('refuses usernames and passwords outside the original rules, with field paths', async () => {
    const bad = await post('/auth/register', { username: 'no spaces!', password: 'short' }, '203.0.113.3');
    expect(bad.statusCode).toBe(400);
    expect(errorPaths(bad.json())).toEqual(['body.username']);
    for (const password of ['alllower-42!', 'ALLUPPER-42!', 'No-Digits-Here!', 'NoSpecial42x']) {
      const res = await post('/auth/register', { username: 'weak_user', password }, '203.0.113.4');
      expect(res.statusCode).toBe(400);
      expect(errorPaths(res.json())).toEqual(['body.password']);
    }
    const taken = await post(
      '/auth/register',
      { username: 'OPS_TEAM_1', password: 'Scale-Out-42!' },
      '203.0.113.5',
    );
    expect(taken.statusCode).toBe(409);
  });

  it('answers a wrong password with 401 and allows 5 attempts per IP', async () => {
    const attempt = () =>
      post('/auth/login', { username: 'ops_team_1', password: 'Wrong-Pass-1!' }, '198.51.100.7');
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await attempt()).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('counts every attempt, right or wrong, sign-up or sign-in: 5 a minute per IP', async () => {
    const ip = '198.51.100.8';
    const credentials = { username: 'ops_team_2', password: 'Scale-Out-42!' };
    const codes = [(await post('/auth/register', credentials, ip)).statusCode];
    for (let i = 0; i < 5; i++) codes.push((await post('/auth/login', credentials, ip)).statusCode);
    expect(codes).toEqual([201, 200, 200, 200, 200, 429]);
    const refused = await post('/auth/login', credentials, ip);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Our own sign-in path keeps its own limit, which counts failures only.
    const ours = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: credentials.username, password: credentials.password },
      remoteAddress: ip,
    });
    expect(ours.statusCode).toBe(200);
  });
});

describe('original probes and documentation path', () => {
  it('answers /health, /health/ready and /health/live', async () => {
    for (const url of ['/health', '/health/ready', '/health/live']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
    }
  });

  it('sends /swagger/index.html to the API docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/swagger/index.html' });
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/docs');
    const docs = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(docs.statusCode).toBeLessThan(400);
  });
});
