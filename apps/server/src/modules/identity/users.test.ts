import type { TUser } from '@clockpilot/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type LoggedIn, loginAs, signIn, TEST_PASSWORD } from '../../../test/factories/identity';
import { createTestApp, moduleServices, type TestApp } from '../../../test/helpers';
import { errorPaths, request } from '../../../test/http';

let t: TestApp;
let admin: LoggedIn;

beforeAll(async () => {
  t = await createTestApp({ env: { ALLOW_REGISTRATION: 'true' } });
  admin = await loginAs(t, { role: 'admin', username: 'chief_admin' });
});
afterAll(() => t.close());

/** POST /users as the admin; a case states only what it is about (the role defaults to employee). */
const postUser = (body: Record<string, string>) =>
  request(t, admin, 'POST', '/users', { role: 'employee', password: TEST_PASSWORD, ...body });
const audit = async (query: string) => (await request(t, admin, 'GET', `/audit?${query}`)).body;

describe('users admin API', () => {
  it('creates a user, audits it without secrets, and refuses duplicates whatever their case', async () => {
    const res = await postUser({
      username: 'Grace_Hopper',
      email: 'grace@example.test',
      role: 'manager',
      timeZone: 'Europe/Berlin',
      password: 'Compiler-Navy-1906-Cobol',
    });
    expect(res.status).toBe(201);
    const user = res.body as TUser;
    expect(user).toMatchObject({
      username: 'Grace_Hopper',
      displayName: 'Grace_Hopper',
      role: 'manager',
      active: true,
    });

    const [event] = (await audit(`entityId=${user.id}&action=user.created`)).items;
    expect(event).toMatchObject({
      actorId: admin.user.id,
      actorName: admin.user.displayName,
      entityType: 'user',
      before: null,
      after: { id: user.id },
    });
    expect(JSON.stringify(event)).not.toMatch(/argon2|Compiler-Navy/);

    const dupName = await postUser({ username: 'grace_HOPPER', email: 'other@example.test' });
    expect(dupName.status).toBe(409);
    expect(dupName.body.errors).toEqual([expect.objectContaining({ path: 'body.username', code: 'taken' })]);
    const dupMail = await postUser({ username: 'grace2', email: 'GRACE@example.test' });
    expect(dupMail.status).toBe(409);
    expect(dupMail.body.errors[0].path).toBe('body.email');
  });

  it('validates usernames, emails, roles and time zones', async () => {
    const res = await request(t, admin, 'POST', '/users', {
      username: 'no spaces!',
      email: 'not-an-email',
      role: 'owner',
      timeZone: 'Mars/Olympus',
    });
    expect(res.status).toBe(400);
    expect(errorPaths(res.body)).toEqual(['body.email', 'body.role', 'body.timeZone', 'body.username']);
  });

  it('refuses an account without a password while single sign-on is off', async () => {
    const res = await request(t, admin, 'POST', '/users', {
      username: 'no_password',
      email: 'nopass@example.test',
      role: 'employee',
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        path: 'body.password',
        message: 'Without single sign-on (OIDC_ISSUER) an account needs a password to sign in',
      },
    ]);
  });

  it('refuses weak passwords naming each failed rule', async () => {
    const res = await postUser({ username: 'weakling', email: 'weak@example.test', password: 'short' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('weak_password');
    expect(res.body.errors.map((e: { code: string }) => e.code)).toEqual(
      expect.arrayContaining(['too_short', 'missing_uppercase', 'missing_digit', 'missing_special']),
    );
  });

  it('updates, audits before/after, and makes the old role token stop working', async () => {
    const emp = await loginAs(t, { role: 'employee' });
    const res = await request(t, admin, 'PATCH', `/users/${emp.user.id}`, {
      role: 'manager',
      displayName: 'Promoted Person',
      timeZone: 'America/New_York',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      role: 'manager',
      displayName: 'Promoted Person',
      timeZone: 'America/New_York',
    });
    const [event] = (await audit(`entityId=${emp.user.id}&action=user.updated`)).items;
    expect(event.before).toMatchObject({ role: 'employee' });
    expect(event.after).toMatchObject({ role: 'manager', displayName: 'Promoted Person' });
    // The token minted with the old role is refused; a refresh brings the new role.
    expect((await request(t, emp, 'GET', '/auth/me')).status).toBe(401);
    const refreshed = await request(t, { headers: { cookie: emp.refreshCookie } }, 'POST', '/auth/refresh');
    expect(refreshed.body.user.role).toBe('manager');

    expect((await request(t, admin, 'PATCH', `/users/${emp.user.id}`, {})).status).toBe(400);
    expect(
      (await request(t, admin, 'PATCH', '/users/00000000-0000-4000-8000-000000000000', { active: false }))
        .status,
    ).toBe(404);
  });

  it('deactivating ends the sessions and the account cannot sign in', async () => {
    const emp = await loginAs(t, { role: 'employee' });
    expect((await request(t, admin, 'PATCH', `/users/${emp.user.id}`, { active: false })).status).toBe(200);
    expect((await request(t, emp, 'GET', '/auth/me')).status).toBe(401);
    const refreshed = await request(t, { headers: { cookie: emp.refreshCookie } }, 'POST', '/auth/refresh');
    expect(refreshed.status).toBe(401);
    const login = await request(t, null, 'POST', '/auth/login', {
      login: emp.user.username,
      password: TEST_PASSWORD,
    });
    expect(login.status).toBe(401);
  });

  it('resets a password: old one refused, sessions ended, audited without the hash', async () => {
    const emp = await loginAs(t, { role: 'employee' });
    const weak = await request(t, admin, 'POST', `/users/${emp.user.id}/password`, { password: 'password' });
    expect(weak.status).toBe(422);
    const res = await request(t, admin, 'POST', `/users/${emp.user.id}/password`, {
      password: 'Harbor-Lights-58-Violet',
    });
    expect(res.status).toBe(204);
    expect((await request(t, emp, 'GET', '/auth/me')).status).toBe(401);
    const login = (password: string) =>
      request(t, null, 'POST', '/auth/login', { login: emp.user.username, password });
    expect((await login(TEST_PASSWORD)).status).toBe(401);
    expect((await login('Harbor-Lights-58-Violet')).status).toBe(200);
    const [event] = (await audit(`entityId=${emp.user.id}&action=user.password_reset`)).items;
    expect(event).toMatchObject({ actorId: admin.user.id, before: null, after: null });
  });

  it('keeps at least one active admin, also when two admins demote each other at once', async () => {
    const me = admin.user;
    const demoteSelf = await request(t, admin, 'PATCH', `/users/${me.id}`, { role: 'manager' });
    expect(demoteSelf.status).toBe(409);
    expect(demoteSelf.body.errors[0]).toMatchObject({ path: 'body.role', code: 'last_admin' });
    expect((await request(t, admin, 'PATCH', `/users/${me.id}`, { active: false })).status).toBe(409);

    // The rule holds in the database: two demotions racing each other cannot both pass.
    const identity = moduleServices(t, 'identity').identity;
    const second = await createUser(t, { role: 'admin' });
    const results = await Promise.allSettled([
      identity.updateUser(second.id, { role: 'employee' }, { userId: me.id }),
      identity.updateUser(me.id, { active: false }, { userId: second.id }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toMatchObject({ status: 409 });
    const admins = await identity.listUsers({
      limit: 50,
      role: 'admin',
      active: true,
      sort: 'username',
      order: 'asc',
    });
    expect(admins.items).toHaveLength(1);
    // Put the fixture admin back for the tests that follow.
    await identity.updateUser(me.id, { role: 'admin', active: true }, { userId: null });
    admin = await signIn(t, me);
  });

  it('lists with filters, search, sorting and cursor pages', async () => {
    for (const [name, role] of [
      ['zeta_list', 'employee'],
      ['alpha_list', 'manager'],
      ['Mid_List', 'employee'],
    ] as const) {
      await createUser(t, { role, username: name, displayName: `${name} person` });
    }
    const page = async (query: string) => (await request(t, admin, 'GET', `/users?${query}`)).body;

    const searched = await page('q=_LIST&sort=username');
    expect(searched.items.map((u: TUser) => u.username)).toEqual(['alpha_list', 'Mid_List', 'zeta_list']);
    const desc = await page('q=list&sort=username&order=desc');
    expect(desc.items.map((u: TUser) => u.username)).toEqual(['zeta_list', 'Mid_List', 'alpha_list']);
    const managers = await page('q=list&role=manager');
    expect(managers.items.map((u: TUser) => u.username)).toEqual(['alpha_list']);
    expect((await page('active=false')).items.every((u: TUser) => !u.active)).toBe(true);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await page(`limit=2&sort=createdAt${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.items.map((u: TUser) => u.id));
      cursor = res.nextCursor;
    } while (cursor);
    const all = await page('limit=200&sort=createdAt');
    expect(seen).toEqual(all.items.map((u: TUser) => u.id));
    expect(new Set(seen).size).toBe(seen.length);

    const wrongSort = await request(
      t,
      admin,
      'GET',
      `/users?limit=2&sort=username&cursor=${(await page('limit=2&sort=createdAt')).nextCursor}`,
    );
    expect(wrongSort.status).toBe(400);
  });

  it('is closed to employees; managers may read but not change', async () => {
    const emp = await loginAs(t, { role: 'employee' });
    const mgr = await loginAs(t, { role: 'manager' });
    expect((await request(t, emp, 'GET', '/users')).status).toBe(403);
    expect((await request(t, mgr, 'GET', '/users')).status).toBe(200);
    expect((await request(t, mgr, 'PATCH', `/users/${emp.user.id}`, { role: 'admin' })).status).toBe(403);
    expect((await request(t, mgr, 'GET', '/audit')).status).toBe(403);
  });
});

describe('audit log', () => {
  it('filters by actor, action, entity and time, newest first, in cursor pages', async () => {
    const before = new Date().toISOString();
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await postUser({ username: `audited_${i}`, email: `audited_${i}@example.test` });
      made.push(res.body.id);
    }
    const all = await audit(
      `actor=${admin.user.id}&action=user.created&entityType=user&from=${encodeURIComponent(before)}`,
    );
    expect(all.items.map((e: { entityId: string }) => e.entityId)).toEqual([...made].reverse());

    const first = await audit(
      `actor=${admin.user.id}&action=user.created&from=${encodeURIComponent(before)}&limit=2`,
    );
    expect(first.items).toHaveLength(2);
    const second = await audit(
      `actor=${admin.user.id}&action=user.created&from=${encodeURIComponent(before)}&limit=2&cursor=${first.nextCursor}`,
    );
    expect(second.items.map((e: { entityId: string }) => e.entityId)).toEqual([made[0]]);
    expect(second.nextCursor).toBeNull();

    const none = await audit(`action=user.created&to=${encodeURIComponent(before)}&entityId=${made[0]}`);
    expect(none.items).toEqual([]);
  });
});

describe('registration', () => {
  it('creates a customer when ALLOW_REGISTRATION is on', async () => {
    const res = await request(t, null, 'POST', '/auth/register', {
      username: 'newcomer',
      email: 'newcomer@example.test',
      password: 'Saffron-Comet-27-Lake',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ username: 'newcomer', role: 'customer' });
  });

  it('is not found when registration is off', async () => {
    const closed = await createTestApp({ env: { ALLOW_REGISTRATION: 'false' } });
    try {
      const res = await request(closed, null, 'POST', '/auth/register', {
        username: 'newcomer',
        email: 'newcomer@example.test',
        password: 'Saffron-Comet-27-Lake',
      });
      expect(res.status).toBe(404);
    } finally {
      await closed.close();
    }
  });
});

describe('OpenAPI', () => {
  it('documents the identity endpoints from their contracts', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const path of [
      '/api/v1/auth/login',
      '/api/v1/auth/refresh',
      '/api/v1/auth/sessions/{id}',
      '/api/v1/auth/totp/setup',
      '/api/v1/users',
      '/api/v1/users/{id}',
      '/api/v1/audit',
    ]) {
      expect(paths).toContain(path);
    }
    const patch = res.json().paths['/api/v1/users/{id}'].patch;
    expect(Object.keys(patch.requestBody.content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['role', 'active', 'timeZone', 'displayName']),
    );
  });
});
