import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, createTeam, personOf } from '../../../test/factories/directory';
import { createUser, type LoggedIn, loginAs } from '../../../test/factories/identity';
import { auditTrail, createTestApp, moduleServices, type TestApp, testClock } from '../../../test/helpers';
import { errorPaths, request } from '../../../test/http';

let t: TestApp;
let admin: LoggedIn;
let manager: LoggedIn;
let employee: LoggedIn;

const ids = (body: { items: Array<{ id: string }> }) => body.items.map((p) => p.id);

beforeAll(async () => {
  // A clock that stands still: every row gets the same createdAt, so sorting by it is all ties.
  t = await createTestApp({ clock: testClock() });
  admin = await loginAs(t, { role: 'admin' });
  manager = await loginAs(t, { role: 'manager' });
  employee = await loginAs(t, { role: 'employee' });
});
afterAll(() => t.close());

describe('every account has a person', () => {
  it('creates a linked person from the new account', async () => {
    const user = await createUser(t, {
      role: 'employee',
      displayName: 'Noor Haddad',
      timeZone: 'Europe/Berlin',
    });
    const person = await moduleServices(t, 'directory').directory.personForUser(user.id);
    expect(person).toMatchObject({
      userId: user.id,
      name: 'Noor Haddad',
      email: user.email,
      timeZone: 'Europe/Berlin',
      weeklyHours: 40,
      weeklyCapacity: 40,
      active: true,
    });
  });

  it('links an existing unlinked person with the same email instead of creating one', async () => {
    const created = await request(t, admin, 'POST', '/people', {
      name: 'Ada Byron',
      email: 'Ada.Byron@example.test',
      employeeNumber: 'E-100',
      weeklyHours: 32,
    });
    expect(created.status).toBe(201);
    const user = await createUser(t, {
      role: 'employee',
      email: 'ada.byron@example.test',
      displayName: 'Ada B',
    });
    const person = await moduleServices(t, 'directory').directory.personForUser(user.id);
    expect(person).toMatchObject({
      id: created.body.id,
      name: 'Ada Byron',
      weeklyHours: 32,
      userId: user.id,
    });
    const trail = await auditTrail(t, created.body.id);
    expect(trail.map((a) => a.action)).toEqual(['person.created', 'person.linked']);
    expect(trail[1]).toMatchObject({ before: { userId: null }, after: { userId: user.id } });
  });

  it('answers 404 on /people/me when the account has no person', async () => {
    const user = await loginAs(t, { role: 'employee' });
    const own = await personOf(t, user.user);
    await request(t, admin, 'PATCH', `/people/${own.id}`, { userId: null });
    const res = await request(t, user, 'GET', '/people/me');
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe('No person is linked to your account');
  });

  it('brings an archived person back when an account is created for them', async () => {
    const { body } = await request(t, admin, 'POST', '/people', {
      name: 'Returner',
      email: 'back@example.test',
    });
    await request(t, admin, 'DELETE', `/people/${body.id}`);
    const user = await createUser(t, { role: 'employee', email: 'back@example.test' });
    expect(await moduleServices(t, 'directory').directory.personForUser(user.id)).toMatchObject({
      id: body.id,
      active: true,
    });
  });

  it('answers GET /people/me with the caller’s own record, contract details included', async () => {
    const me = await request(t, employee, 'GET', '/people/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ userId: employee.user.id, weeklyHours: 40 });
  });
});

describe('people CRUD', () => {
  it('creates, reads, updates and archives, auditing each change with before and after', async () => {
    const created = await request(t, manager, 'POST', '/people', {
      name: 'Grace Hopper',
      email: 'grace@example.test',
      title: 'Engineer',
      timeZone: 'America/New_York',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ weeklyHours: 40, weeklyCapacity: 40, teamId: null, userId: null });
    const id = created.body.id as string;

    expect((await request(t, admin, 'GET', `/people/${id}`)).body.name).toBe('Grace Hopper');
    // A manager changes the people who report to them; an admin sets who that is.
    const boss = await personOf(t, manager.user);
    expect((await request(t, admin, 'PATCH', `/people/${id}`, { managerId: boss.id })).status).toBe(200);

    // Capacity follows the contracted hours while it was not set apart from them.
    const patched = await request(t, manager, 'PATCH', `/people/${id}`, { weeklyHours: 30 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ weeklyHours: 30, weeklyCapacity: 30 });
    const apart = await request(t, admin, 'PATCH', `/people/${id}`, { weeklyCapacity: 24 });
    expect(apart.body).toMatchObject({ weeklyHours: 30, weeklyCapacity: 24 });
    const again = await request(t, admin, 'PATCH', `/people/${id}`, { weeklyHours: 36 });
    expect(again.body).toMatchObject({ weeklyHours: 36, weeklyCapacity: 24 });

    const archived = await request(t, manager, 'DELETE', `/people/${id}`);
    expect(archived.status).toBe(200);
    expect(archived.body.active).toBe(false);

    const trail = await auditTrail(t, id);
    expect(trail.map((a) => a.action)).toEqual([
      'person.created',
      'person.updated',
      'person.updated',
      'person.updated',
      'person.updated',
      'person.archived',
    ]);
    expect(trail[2]).toMatchObject({
      actorId: manager.user.id,
      before: { weeklyHours: 40, weeklyCapacity: 40 },
      after: { weeklyHours: 30, weeklyCapacity: 30 },
    });
    expect(trail[5]).toMatchObject({ before: { active: true }, after: { active: false } });
  });

  it('lets a manager change by import only the people they manage', async () => {
    const other = await createPerson(t, { email: 'not-theirs@example.test', weeklyHours: 40 });
    const by = { role: 'manager' as const, actor: { userId: manager.user.id } };
    const data = { name: other.name, email: 'not-theirs@example.test', weeklyHours: 10 };
    const out = await t.ctx.db.transaction((tx) =>
      moduleServices(t, 'directory').directory.importPeople(tx, by, [{ row: 2, data }]),
    );
    expect(out).toEqual([
      { row: 2, error: { field: 'email', message: 'You may change only the people you manage' } },
    ]);
    expect((await request(t, admin, 'GET', `/people/${other.id}`)).body.weeklyHours).toBe(40);
  });

  it('writes no audit record for a patch that changes nothing', async () => {
    const { body } = await request(t, admin, 'POST', '/people', { name: 'Same Same' });
    await request(t, admin, 'PATCH', `/people/${body.id}`, { name: 'Same Same' });
    expect((await auditTrail(t, body.id)).length).toBe(1);
  });

  it('answers 404 for an unknown person and 400 for a malformed id', async () => {
    expect((await request(t, admin, 'GET', '/people/8f1c2b7e-0000-4000-8000-000000000000')).status).toBe(404);
    const bad = await request(t, admin, 'GET', '/people/not-a-uuid');
    expect(bad.status).toBe(400);
    expect(errorPaths(bad.body)).toEqual(['params.id']);
  });
});

describe('validation and constraints', () => {
  it('lists every invalid field', async () => {
    const res = await request(t, admin, 'POST', '/people', {
      name: '',
      email: 'nope',
      timeZone: 'Mars/Olympus',
      weeklyHours: 200,
    });
    expect(res.status).toBe(400);
    expect(errorPaths(res.body)).toEqual(['body.email', 'body.name', 'body.timeZone', 'body.weeklyHours']);
  });

  it('answers 409 naming the field for a taken employee number (case-insensitive)', async () => {
    await request(t, admin, 'POST', '/people', { name: 'One', employeeNumber: 'X-7' });
    const res = await request(t, admin, 'POST', '/people', { name: 'Two', employeeNumber: 'x-7' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'conflict', errors: [{ path: 'body.employeeNumber' }] });
  });

  it('lets exactly one of several concurrent creates take an employee number', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        request(t, admin, 'POST', '/people', { name: `Racer ${i}`, employeeNumber: 'RACE-1' }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
  });

  it('answers 422 naming the field for unknown team, manager and user ids', async () => {
    const unknown = '8f1c2b7e-0000-4000-8000-000000000001';
    for (const field of ['teamId', 'managerId', 'userId']) {
      const res = await request(t, admin, 'POST', '/people', { name: 'Ref', [field]: unknown });
      expect(res.status, field).toBe(422);
      expect(res.body.errors, field).toEqual([expect.objectContaining({ path: `body.${field}` })]);
    }
  });

  it('answers 409 when a user account is already linked to another person', async () => {
    const { body } = await request(t, admin, 'POST', '/people', { name: 'Second record' });
    const res = await request(t, admin, 'PATCH', `/people/${body.id}`, { userId: employee.user.id });
    expect(res.status).toBe(409);
    expect(errorPaths(res.body)).toEqual(['body.userId']);
  });
});

describe('permissions', () => {
  it('lets employees read but not edit', async () => {
    expect((await request(t, employee, 'GET', '/people')).status).toBe(200);
    const res = await request(t, employee, 'POST', '/people', { name: 'Nope' });
    expect(res.status).toBe(403);
    const me = await request(t, employee, 'GET', '/people/me');
    expect((await request(t, employee, 'PATCH', `/people/${me.body.id}`, { weeklyHours: 1 })).status).toBe(
      403,
    );
    expect((await request(t, employee, 'DELETE', `/people/${me.body.id}`)).status).toBe(403);
  });

  it('hides the contract details of others from employees', async () => {
    const other = await request(t, admin, 'POST', '/people', {
      name: 'Hidden Hours',
      employeeNumber: 'H-1',
      weeklyHours: 20,
    });
    const seen = await request(t, employee, 'GET', `/people/${other.body.id}`);
    expect(seen.body).toMatchObject({
      name: 'Hidden Hours',
      employeeNumber: null,
      weeklyHours: null,
      weeklyCapacity: null,
    });
    const byManager = await request(t, manager, 'GET', `/people/${other.body.id}`);
    expect(byManager.body).toMatchObject({ employeeNumber: 'H-1', weeklyHours: 20 });
    // Nor can a search find people by the number it hides.
    expect(ids((await request(t, employee, 'GET', '/people?q=H-1')).body)).toEqual([]);
    expect(ids((await request(t, manager, 'GET', '/people?q=H-1')).body)).toEqual([other.body.id]);
  });

  it('lets only users:manage link a person to an account', async () => {
    const user = await createUser(t, { role: 'employee' });
    const { body } = await request(t, admin, 'POST', '/people', { name: 'Unlinked' });
    // Free the account first: its own person was created with it.
    const own = await personOf(t, user);
    await request(t, admin, 'PATCH', `/people/${own.id}`, { userId: null });
    const denied = await request(t, manager, 'PATCH', `/people/${body.id}`, { userId: user.id });
    expect(denied.status).toBe(403);
    const allowed = await request(t, admin, 'PATCH', `/people/${body.id}`, { userId: user.id });
    expect(allowed.status).toBe(200);
    expect(allowed.body.userId).toBe(user.id);
  });

  it('answers 401 without credentials', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/people' });
    expect(res.statusCode).toBe(401);
  });
});

describe('list, search, sort and cursor pagination', () => {
  let team: string;
  const created: string[] = [];
  beforeAll(async () => {
    team = (await createTeam(t, { name: 'Paging' })).id;
    // Seven people with the same name (and, by the test clock, the same createdAt): only the id orders them.
    for (let i = 0; i < 7; i++) {
      const person = await createPerson(t, {
        name: 'Tie Name',
        teamId: team,
        department: i % 2 ? 'Ops' : null,
      });
      created.push(person.id);
    }
    for (const name of ['Aaron Tie', 'zed tie'])
      created.push((await createPerson(t, { name, teamId: team })).id);
  });

  async function walk(query: string, limit: number) {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const c: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await request(t, admin, 'GET', `/people?teamId=${team}&limit=${limit}${query}${c}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...res.body.items.map((p: { id: string }) => p.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    return { ids, pages };
  }

  it('walks every row exactly once across pages, through runs of equal keys', async () => {
    for (const [query, limit] of [
      ['&sort=name&dir=asc', 2],
      ['&sort=name&dir=desc', 3],
      ['&sort=createdAt&dir=asc', 4],
      ['&sort=department&dir=desc', 1],
    ] as const) {
      const { ids, pages } = await walk(query, limit);
      expect(new Set(ids).size, query).toBe(ids.length);
      expect([...ids].sort(), query).toEqual([...created].sort());
      expect(pages, query).toBe(Math.ceil(created.length / limit));
      const all = await request(t, admin, 'GET', `/people?teamId=${team}&limit=200${query}`);
      expect(ids, query).toEqual(all.body.items.map((p: { id: string }) => p.id));
    }
  });

  it('is not shifted by rows inserted between pages', async () => {
    const first = await request(t, admin, 'GET', `/people?teamId=${team}&limit=3&sort=name`);
    const firstIds = ids(first.body);
    // One row sorting before the cursor and one after it.
    const before = await request(t, admin, 'POST', '/people', { name: 'Aaaa Early', teamId: team });
    const after = await request(t, admin, 'POST', '/people', { name: 'Zzzz Late', teamId: team });
    const rest = await request(
      t,
      admin,
      'GET',
      `/people?teamId=${team}&limit=200&sort=name&cursor=${first.body.nextCursor}`,
    );
    const restIds = ids(rest.body);
    expect(restIds.filter((id) => firstIds.includes(id))).toEqual([]);
    expect(restIds).not.toContain(before.body.id);
    expect(restIds.at(-1)).toBe(after.body.id);
    expect(restIds.length).toBe(created.length - 3 + 1);
    // Leave the team as the other tests expect it.
    for (const p of [before, after]) await request(t, admin, 'DELETE', `/teams/${team}/members/${p.body.id}`);
  });

  it('sorts case-insensitively with the id breaking ties', async () => {
    const asc = (await request(t, admin, 'GET', `/people?teamId=${team}&sort=name`)).body.items as Array<{
      id: string;
      name: string;
    }>;
    expect(asc[0]!.name).toBe('Aaron Tie');
    expect(asc.at(-1)!.name).toBe('zed tie');
    const ties = asc.filter((p) => p.name === 'Tie Name').map((p) => p.id);
    expect(ties).toEqual([...ties].sort());
    const desc = (await request(t, admin, 'GET', `/people?teamId=${team}&sort=name&dir=desc`)).body
      .items as Array<{
      id: string;
    }>;
    expect(desc.map((p) => p.id)).toEqual(asc.map((p) => p.id).reverse());
  });

  it('searches name, email, number, title and department, with LIKE characters taken literally', async () => {
    const hit = await request(t, admin, 'GET', `/people?teamId=${team}&q=aaron`);
    expect(hit.body.items.map((p: { name: string }) => p.name)).toEqual(['Aaron Tie']);
    expect((await request(t, admin, 'GET', `/people?teamId=${team}&q=ops`)).body.items).toHaveLength(3);
    expect((await request(t, admin, 'GET', `/people?teamId=${team}&q=%25`)).body.items).toHaveLength(0);
  });

  it('filters by active', async () => {
    await request(t, admin, 'DELETE', `/people/${created[0]}`);
    const active = await request(t, admin, 'GET', `/people?teamId=${team}&active=true&limit=200`);
    expect(active.body.items.map((p: { id: string }) => p.id)).not.toContain(created[0]);
    const inactive = await request(t, admin, 'GET', `/people?teamId=${team}&active=false`);
    expect(inactive.body.items.map((p: { id: string }) => p.id)).toEqual([created[0]]);
  });

  it('refuses a cursor from another sort order, a forged cursor, and a limit out of range', async () => {
    const byName = await request(t, admin, 'GET', `/people?teamId=${team}&limit=1&sort=name`);
    const other = await request(
      t,
      admin,
      'GET',
      `/people?teamId=${team}&limit=1&sort=createdAt&cursor=${byName.body.nextCursor}`,
    );
    expect(other.status).toBe(400);
    expect(errorPaths(other.body)).toEqual(['query.cursor']);
    expect((await request(t, admin, 'GET', '/people?cursor=garbage')).status).toBe(400);
    // Well-formed but with a key that is not its sort's type (a date, a real date): the cursor's 400.
    const first = await request(t, admin, 'GET', `/people?teamId=${team}&limit=1&sort=createdAt`);
    const valid = JSON.parse(Buffer.from(first.body.nextCursor, 'base64url').toString());
    for (const k of ['not a date', '2026-02-30 10:00:00+00', '2026-11-29 25:00:00+00']) {
      const forged = Buffer.from(JSON.stringify({ ...valid, k })).toString('base64url');
      const res = await request(
        t,
        admin,
        'GET',
        `/people?teamId=${team}&limit=1&sort=createdAt&cursor=${forged}`,
      );
      expect(res.status, k).toBe(400);
      expect(errorPaths(res.body)).toEqual(['query.cursor']);
    }
    const limit = await request(t, admin, 'GET', '/people?limit=0');
    expect(limit.status).toBe(400);
    expect(errorPaths(limit.body)).toEqual(['query.limit']);
  });
});
