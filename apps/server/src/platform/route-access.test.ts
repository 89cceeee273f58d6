import { can, ROLES, type TRole } from '@clockpilot/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, createPerson, createTeam, personOf } from '../../test/factories/directory';
import { type LoggedIn, loginAs } from '../../test/factories/identity';
import { createTestApp, type TestApp } from '../../test/helpers';
import { request } from '../../test/http';
import type { RouteAccess } from './security';

/**
 * Walks every route the app registers (whatever module added it) and checks how it is reached. A new
 * public /api route fails here until it is added to PUBLIC_API below, on purpose.
 */
const PUBLIC_API = new Set([
  'GET /api/health',
  'GET /api/health/',
  'GET /api/v1/health/',
  'GET /api/health/live',
  'GET /api/health/ready',
  'GET /api/v1/health',
  'GET /api/v1/health/live',
  'GET /api/v1/health/ready',
  // The version and the enabled modules, which the sign-in page needs before anyone signs in.
  'GET /api/v1/app',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/auth/register',
  // Ends the session its HttpOnly cookie names; guarded by an Origin check instead of a bearer token.
  'POST /api/v1/auth/logout',
  // The login page's first-start hint: one boolean, false for good once an admin has signed in.
  'GET /api/v1/auth/first-start',
  'GET /api/v1/auth/oidc/config',
  'GET /api/v1/auth/oidc/login',
  'GET /api/v1/auth/oidc/callback',
  // Payment and verification providers call these; each delivery is checked by its signature instead.
  'POST /api/v1/stripe/webhook',
  'POST /api/v1/persona/webhook',
  // The autoscaler's live WebSocket: its first message authenticates (a browser cannot set the header).
  'GET /api/v1/autoscaler/ws',
]);

const SOME_ID = '7f3c2a9e-1b4d-4c8e-9a6f-2d5e8b1c0a37';
/** A concrete URL for a route pattern: every parameter a well-formed id, wildcards a plain segment. */
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, SOME_ID).replace(/\*/g, 'x');
const label = (r: RouteAccess) => `${r.method} ${r.url}`;

let t: TestApp;
let apiRoutes: RouteAccess[];

beforeAll(async () => {
  // SSO on, so its routes are registered and walked too (the provider is never contacted here).
  t = await createTestApp({
    env: {
      OIDC_ISSUER: 'http://127.0.0.1:9/issuer',
      OIDC_CLIENT_ID: 'clockpilot',
      OIDC_CLIENT_SECRET: 'unused-in-this-test',
      OIDC_REDIRECT_URI: 'http://localhost:5000/api/v1/auth/oidc/callback',
      ALLOW_REGISTRATION: 'true',
    },
  });
  await t.app.ready();
  // Building the app stalls the event loop; under-pressure answers 503 until it has caught up.
  await vi.waitFor(() => expect(t.app.isUnderPressure()).toBe(false), { timeout: 10_000, interval: 100 });
  apiRoutes = t.app
    .routeAccess()
    .filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD' && r.method !== 'OPTIONS');
});
afterAll(() => t.close());

const send = (r: RouteAccess, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: r.method as 'GET',
    url: concrete(r.url),
    headers,
    ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: {} }),
  });

describe('every /api route', () => {
  it('is found (the walk sees the modules’ routes)', () => {
    const urls = apiRoutes.map(label);
    expect(urls).toEqual(expect.arrayContaining(['GET /api/v1/users', 'POST /api/v1/tokens']));
    expect(apiRoutes.length).toBeGreaterThan(20);
  });

  it('is public only when listed as such', () => {
    const open = apiRoutes.filter((r) => r.public).map(label);
    expect(open.filter((l) => !PUBLIC_API.has(l))).toEqual([]);
  });

  it('answers 401 without credentials unless public', async () => {
    const wrong: string[] = [];
    for (const r of apiRoutes.filter((r) => !r.public)) {
      const res = await send(r);
      if (res.statusCode !== 401) wrong.push(`${label(r)} → ${res.statusCode}`);
      else expect(res.headers['www-authenticate']).toContain('Bearer');
    }
    expect(wrong).toEqual([]);
  });

  it('answers 401 to a forged bearer token', async () => {
    const wrong: string[] = [];
    const forged = { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' };
    for (const r of apiRoutes.filter((r) => !r.public)) {
      const res = await send(r, forged);
      if (res.statusCode !== 401) wrong.push(`${label(r)} → ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  it('marks public operations as needing no token and names the permission of the others', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/v1/auth/login'].post.security).toEqual([]);
    expect(doc.paths['/api/v1/auth/me'].get.security).toBeUndefined();
    expect(doc.paths['/api/v1/users'].get.description).toContain('`users:read` permission');
    expect(doc.paths['/api/v1/tokens'].post.description).toContain('`tokens:manage` permission');
  });
});

describe('the role × permission matrix', () => {
  const sessions = new Map<TRole, LoggedIn>();
  beforeAll(async () => {
    for (const role of ROLES) sessions.set(role, await loginAs(t, { role }));
  });

  it('answers 403 to every role without the route’s permission, and lets every role with it through', async () => {
    const wrong: string[] = [];
    const guarded = apiRoutes.filter((r) => r.permission);
    expect(guarded.length).toBeGreaterThan(10);
    for (const r of guarded) {
      for (const role of ROLES) {
        const res = await send(r, sessions.get(role)!.headers);
        const allowed = can(role, r.permission!);
        const ok = allowed ? res.statusCode !== 401 && res.statusCode !== 403 : res.statusCode === 403;
        if (!ok) wrong.push(`${role} ${label(r)} [${r.permission}] → ${res.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets every signed-in role reach the routes that only need a sign-in', async () => {
    const wrong: string[] = [];
    // Ending every session would sign the next requests out; it is covered by the identity tests.
    const own = apiRoutes.filter((r) => r.authenticated && !r.url.endsWith('/revoke-all'));
    for (const r of own) {
      for (const role of ROLES) {
        const res = await send(r, sessions.get(role)!.headers);
        if (res.statusCode === 401 || res.statusCode === 403)
          wrong.push(`${role} ${label(r)} → ${res.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('object scope in the directory', () => {
  it('lets a manager change and archive the people and teams they manage, and answers 403 for others', async () => {
    const manager = await loginAs(t, { role: 'manager' });
    const boss = await personOf(t, manager.user);
    const mine = await createTeam(t, { managerIds: [boss.id] });
    const theirs = await createTeam(t);
    const [memberA, direct, memberB] = await Promise.all([
      createPerson(t, { teamId: mine.id }),
      createPerson(t, { managerId: boss.id }),
      createPerson(t, { teamId: theirs.id }),
    ]);
    const attempt = async (method: 'PATCH' | 'DELETE', url: string) =>
      (await request(t, manager, method, url, method === 'PATCH' ? { name: 'Renamed' } : undefined)).status;

    const outOfScope = [
      await attempt('PATCH', `/people/${memberB.id}`),
      await attempt('DELETE', `/people/${memberB.id}`),
      await attempt('PATCH', `/people/${boss.id}`),
      await attempt('PATCH', `/teams/${theirs.id}`),
      await attempt('DELETE', `/teams/${theirs.id}`),
    ];
    expect(outOfScope).toEqual([403, 403, 403, 403, 403]);
    const untouched = await request(t, manager, 'GET', `/people/${memberB.id}`);
    expect(untouched.body).toMatchObject({ name: memberB.name, active: true });
    expect((await request(t, manager, 'GET', `/teams/${theirs.id}`)).body.active).toBe(true);
    // An unknown id stays 404, as everywhere else.
    expect(await attempt('PATCH', `/people/${SOME_ID}`)).toBe(404);

    const inScope = [
      await attempt('PATCH', `/people/${memberA.id}`),
      await attempt('PATCH', `/people/${direct.id}`),
      await attempt('DELETE', `/people/${direct.id}`),
      await attempt('PATCH', `/teams/${mine.id}`),
      await attempt('DELETE', `/teams/${mine.id}`),
    ];
    expect(inScope).toEqual([200, 200, 200, 200, 200]);
  });

  it('keeps archiving shared clients, projects and activities to admins, by DELETE or by PATCH', async () => {
    const [manager, admin] = await Promise.all([
      loginAs(t, { role: 'manager' }),
      loginAs(t, { role: 'admin' }),
    ]);
    const client = await createClient(t);
    expect((await request(t, manager, 'PATCH', `/clients/${client.id}`, { active: false })).status).toBe(403);
    expect(
      (await request(t, manager, 'PATCH', `/clients/${client.id}`, { name: 'Renamed Ltd' })).status,
    ).toBe(200);
    expect((await request(t, manager, 'GET', `/clients/${client.id}`)).body.active).toBe(true);
    expect((await request(t, admin, 'PATCH', `/clients/${client.id}`, { active: false })).status).toBe(200);
  });
});
