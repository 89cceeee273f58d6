import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loginAs } from '../../../test/factories/identity';
import type { TestApp } from '../../../test/helpers';
import { twoReplicas } from '../../../test/shared-redis';

// Two replicas on one database and one Redis: each remembers revocation state in its process, so a
// revocation made on one must reach the other at once, not when its memory would expire.
describe('revocation across two instances', () => {
  let a: TestApp;
  let b: TestApp;
  let replicas: Awaited<ReturnType<typeof twoReplicas>>;

  beforeAll(async () => {
    replicas = await twoReplicas('revocation');
    ({ a, b } = replicas);
  });
  afterAll(() => replicas?.close());

  const me = (t: TestApp, headers: { authorization: string }) =>
    t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });

  it('refuses a signed-out session on the other instance at once', async () => {
    const s = await loginAs(a, { role: 'employee' });
    // Both instances have checked (and remembered) the token as valid.
    for (let i = 0; i < 3; i++) {
      expect((await me(a, s.headers)).statusCode).toBe(200);
      expect((await me(b, s.headers)).statusCode).toBe(200);
    }
    const out = await a.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: s.refreshCookie, origin: 'http://localhost:5000' },
    });
    expect(out.statusCode).toBe(204);
    await vi.waitFor(async () => expect((await me(b, s.headers)).statusCode).toBe(401), {
      timeout: 1000,
      interval: 10,
    });
    expect((await me(a, s.headers)).statusCode).toBe(401);
  });

  it('refuses the old-role token on the other instance once an admin changes the role', async () => {
    const admin = await loginAs(a, { role: 'admin' });
    const emp = await loginAs(a, { role: 'employee' });
    expect((await me(b, emp.headers)).statusCode).toBe(200);
    expect((await me(b, emp.headers)).statusCode).toBe(200);
    const changed = await a.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${emp.user.id}`,
      headers: admin.headers,
      payload: { role: 'manager' },
    });
    expect(changed.statusCode).toBe(200);
    await vi.waitFor(async () => expect((await me(b, emp.headers)).statusCode).toBe(401), {
      timeout: 1000,
      interval: 10,
    });
  });

  it('answers /auth/me on the other instance with the account as just changed', async () => {
    const admin = await loginAs(a, { role: 'admin' });
    const emp = await loginAs(a, { role: 'employee' });
    // Both instances now remember the account row.
    for (const t of [a, b]) {
      expect((await me(t, emp.headers)).json().displayName).toBe(emp.user.displayName);
      expect((await me(t, emp.headers)).json().displayName).toBe(emp.user.displayName);
    }
    const changed = await a.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${emp.user.id}`,
      headers: admin.headers,
      payload: { displayName: 'Renamed on A' },
    });
    expect(changed.statusCode).toBe(200);
    await vi.waitFor(async () => expect((await me(b, emp.headers)).json().displayName).toBe('Renamed on A'), {
      timeout: 1000,
      interval: 10,
    });
    expect((await me(a, emp.headers)).json().displayName).toBe('Renamed on A');
  });
  it('refuses an API token on the other instance at once when it is revoked or its owner demoted or deactivated', async () => {
    const admin = await loginAs(a, { role: 'admin' });
    const owner = await loginAs(a, { role: 'manager' });
    const mint = async () => {
      const res = await a.app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: owner.headers,
        payload: { name: 'script', scopes: ['read'] },
      });
      expect(res.statusCode).toBe(201);
      const { id, token } = res.json() as { id: string; token: string };
      return { id, headers: { authorization: `Bearer ${token}` } };
    };
    const call = (t: TestApp, headers: { authorization: string }, url = '/api/v1/tokens') =>
      t.app.inject({ method: 'GET', url, headers });
    const refusedOnB = (headers: { authorization: string }, url?: string, status = 401) =>
      vi.waitFor(async () => expect((await call(b, headers, url)).statusCode).toBe(status), {
        timeout: 1000,
        interval: 10,
      });
    const patch = (payload: object) =>
      a.app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${owner.user.id}`,
        headers: admin.headers,
        payload,
      });

    const revoked = await mint();
    // Both instances have read (and remembered) the token and its owner.
    for (const t of [a, b])
      for (let i = 0; i < 2; i++) expect((await call(t, revoked.headers)).statusCode).toBe(200);
    const del = await a.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${revoked.id}`,
      headers: owner.headers,
    });
    expect(del.statusCode).toBe(204);
    await refusedOnB(revoked.headers);

    const kept = await mint();
    expect((await call(b, kept.headers, '/api/v1/users')).statusCode).toBe(200);
    expect((await patch({ role: 'employee' })).statusCode).toBe(200);
    await refusedOnB(kept.headers, '/api/v1/users', 403);
    expect((await patch({ active: false })).statusCode).toBe(200);
    await refusedOnB(kept.headers);
  });
});
