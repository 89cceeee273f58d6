import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, createPerson, createTeam, personOf } from '../../../test/factories/directory';
import { type LoggedIn, loginAs } from '../../../test/factories/identity';
import { auditTrail, createTestApp, moduleServices, type TestApp } from '../../../test/helpers';
import { errorPaths, request } from '../../../test/http';

let t: TestApp;
let admin: LoggedIn;
let manager: LoggedIn;
let employee: LoggedIn;

const actions = async (entityId: string) => (await auditTrail(t, entityId)).map((a) => a.action);
const ids = (body: { items: Array<{ id: string }> }) => body.items.map((i) => i.id);

beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t, { role: 'admin' });
  manager = await loginAs(t, { role: 'manager' });
  employee = await loginAs(t, { role: 'employee' });
});
afterAll(() => t.close());

describe('teams', () => {
  it("lets only admins change reporting lines, so a manager cannot take over anyone's time", async () => {
    const me = await personOf(t, manager.user);
    const other = await personOf(t, employee.user);
    const team = (await request(t, admin, 'POST', '/teams', { name: 'Finance' })).body;
    const attempts = [
      request(t, manager, 'POST', `/teams/${team.id}/managers`, { personId: me.id }),
      request(t, manager, 'POST', `/teams/${team.id}/members`, { personId: other.id }),
      request(t, manager, 'PATCH', `/people/${other.id}`, { managerId: me.id }),
      request(t, manager, 'PATCH', `/people/${other.id}`, { teamId: team.id }),
      request(t, manager, 'POST', '/teams', { name: 'Mine', managerIds: [me.id] }),
    ];
    expect((await Promise.all(attempts)).map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    expect(await moduleServices(t, 'directory').directory.isManagerOf(manager.user.id, other.id)).toBe(false);
    // Everything else about the people they manage stays theirs to edit.
    const report = await createPerson(t, { managerId: me.id });
    const renamed = await request(t, manager, 'PATCH', `/people/${report.id}`, { title: 'Analyst' });
    expect(renamed.status).toBe(200);
    const plain = await request(t, manager, 'POST', '/teams', { name: 'Unmanaged' });
    expect(plain.status).toBe(201);
  });

  it('creates a team with managers, answers 409 on a name taken in any case, 422 on unknown managers', async () => {
    const boss = await personOf(t, manager.user);
    const res = await request(t, admin, 'POST', '/teams', { name: 'Platform', managerIds: [boss.id] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Platform', managerIds: [boss.id], memberCount: 0, active: true });
    const dup = await request(t, admin, 'POST', '/teams', { name: 'PLATFORM' });
    expect(dup.status).toBe(409);
    expect(errorPaths(dup.body)).toEqual(['body.name']);
    const unknown = await request(t, admin, 'POST', '/teams', {
      name: 'Ghosts',
      managerIds: [boss.id, '8f1c2b7e-0000-4000-8000-000000000002'],
    });
    expect(unknown.status).toBe(422);
    expect(errorPaths(unknown.body)).toEqual(['body.managerIds.1']);
  });

  it('adds and removes members and managers, auditing each change', async () => {
    const team = (await request(t, admin, 'POST', '/teams', { name: 'Support' })).body;
    const first = (await request(t, admin, 'POST', '/teams', { name: 'First' })).body;
    const person = (await request(t, admin, 'POST', '/people', { name: 'Mover', teamId: first.id })).body;

    const added = await request(t, admin, 'POST', `/teams/${team.id}/members`, { personId: person.id });
    expect(added.status).toBe(200);
    expect(added.body.teamId).toBe(team.id);
    expect((await request(t, admin, 'GET', `/teams/${team.id}`)).body.memberCount).toBe(1);
    expect((await request(t, admin, 'GET', `/teams/${first.id}`)).body.memberCount).toBe(0);

    const removed = await request(t, admin, 'DELETE', `/teams/${team.id}/members/${person.id}`);
    expect(removed.body.teamId).toBeNull();
    expect((await request(t, admin, 'DELETE', `/teams/${team.id}/members/${person.id}`)).status).toBe(404);

    const mgr = await request(t, admin, 'POST', `/teams/${team.id}/managers`, { personId: person.id });
    expect(mgr.body.managerIds).toEqual([person.id]);
    const unmgr = await request(t, admin, 'DELETE', `/teams/${team.id}/managers/${person.id}`);
    expect(unmgr.body.managerIds).toEqual([]);
    expect((await request(t, admin, 'DELETE', `/teams/${team.id}/managers/${person.id}`)).status).toBe(404);

    const unknown = await request(t, admin, 'POST', `/teams/${team.id}/members`, {
      personId: '8f1c2b7e-0000-4000-8000-000000000003',
    });
    expect(unknown.status).toBe(422);
    expect(errorPaths(unknown.body)).toEqual(['body.personId']);

    expect(await actions(person.id)).toEqual(['person.created', 'team.member_added', 'team.member_removed']);
    expect(await actions(team.id)).toEqual(['team.created', 'team.manager_added', 'team.manager_removed']);
  });

  it('makes a person member and manager of a team at the same time without a deadlock', async () => {
    for (let round = 0; round < 5; round++) {
      const team = (await request(t, admin, 'POST', '/teams', { name: `Both ${round}` })).body;
      const person = (await request(t, admin, 'POST', '/people', { name: `Both ${round}` })).body;
      const [member, mgr] = await Promise.all([
        request(t, admin, 'POST', `/teams/${team.id}/members`, { personId: person.id }),
        request(t, admin, 'POST', `/teams/${team.id}/managers`, { personId: person.id }),
      ]);
      expect([member.status, mgr.status], `round ${round}`).toEqual([200, 200]);
      expect((await request(t, admin, 'GET', `/teams/${team.id}`)).body).toMatchObject({
        managerIds: [person.id],
        memberCount: 1,
      });
    }
  });

  it('lists the teams I manage with managedByMe=true', async () => {
    const me = await loginAs(t, { role: 'manager' });
    const mine = await createTeam(t, { name: 'Mine', managerIds: [(await personOf(t, me.user)).id] });
    await createTeam(t, { name: 'Not mine' });
    const res = await request(t, me, 'GET', '/teams?managedByMe=true');
    expect(ids(res.body)).toEqual([mine.id]);
    expect((await request(t, employee, 'GET', '/teams?managedByMe=true')).body.items).toEqual([]);
  });

  it('archives with DELETE, restores with PATCH, and filters by active', async () => {
    const team = (await request(t, admin, 'POST', '/teams', { name: 'Temporary' })).body;
    expect((await request(t, admin, 'DELETE', `/teams/${team.id}`)).body.active).toBe(false);
    expect(ids((await request(t, admin, 'GET', '/teams?active=false')).body)).toEqual([team.id]);
    expect((await request(t, admin, 'PATCH', `/teams/${team.id}`, { active: true })).body.active).toBe(true);
    expect(await actions(team.id)).toEqual(['team.created', 'team.archived', 'team.updated']);
  });

  it('pages through teams one at a time with their managers and member counts', async () => {
    const all = (await request(t, admin, 'GET', '/teams?limit=200&sort=createdAt&dir=desc')).body
      .items as Array<{
      id: string;
    }>;
    const seen: Array<{ id: string; managerIds: string[] }> = [];
    let cursor: string | null = null;
    do {
      const c: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await request(t, admin, 'GET', `/teams?limit=1&sort=createdAt&dir=desc${c}`)).body;
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && seen.length <= all.length);
    expect(seen.map((x) => x.id)).toEqual(all.map((x) => x.id));
    expect(seen).toEqual(all);
  });

  it('lets employees read teams but not change them', async () => {
    expect((await request(t, employee, 'GET', '/teams')).status).toBe(200);
    expect((await request(t, employee, 'POST', '/teams', { name: 'X' })).status).toBe(403);
  });
});

describe('clients and projects', () => {
  let clientId: string;
  beforeAll(async () => {
    clientId = (await createClient(t, { name: 'Acme' })).id;
  });

  it('keeps client names unique in any case', async () => {
    const dup = await request(t, admin, 'POST', '/clients', { name: 'acme' });
    expect(dup.status).toBe(409);
    expect(errorPaths(dup.body)).toEqual(['body.name']);
  });

  it('creates projects with defaults, unique codes and a known client', async () => {
    const res = await request(t, manager, 'POST', '/projects', {
      clientId,
      code: 'ACME-WEB',
      name: 'Website',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'active', billable: true, color: '#3B82F6', budgetHours: null });
    const dup = await request(t, admin, 'POST', '/projects', { clientId, code: 'acme-web', name: 'Again' });
    expect(dup.status).toBe(409);
    expect(errorPaths(dup.body)).toEqual(['body.code']);
    const noClient = await request(t, admin, 'POST', '/projects', {
      clientId: '8f1c2b7e-0000-4000-8000-000000000004',
      code: 'NC',
      name: 'No client',
    });
    expect(noClient.status).toBe(422);
    expect(errorPaths(noClient.body)).toEqual(['body.clientId']);
    const bad = await request(t, admin, 'POST', '/projects', {
      clientId,
      code: 'has space',
      name: 'x',
      color: 'red',
      budgetHours: -1,
    });
    expect(bad.status).toBe(400);
    expect(errorPaths(bad.body)).toEqual(['body.budgetHours', 'body.code', 'body.color']);
  });

  it('archives a project, audits it, and filters by status and search', async () => {
    const p = (
      await request(t, admin, 'POST', '/projects', {
        clientId,
        code: 'ACME-APP',
        name: 'Mobile app',
        budgetHours: 120.5,
        billable: false,
      })
    ).body;
    expect(p.budgetHours).toBe(120.5);
    const archived = await request(t, admin, 'DELETE', `/projects/${p.id}`);
    expect(archived.body.status).toBe('archived');
    expect(await actions(p.id)).toEqual(['project.created', 'project.archived']);
    expect(
      ids((await request(t, admin, 'GET', `/projects?status=archived&clientId=${clientId}`)).body),
    ).toEqual([p.id]);
    expect(ids((await request(t, admin, 'GET', '/projects?q=mobile')).body)).toEqual([p.id]);
    expect(ids((await request(t, admin, 'GET', '/projects?billable=false')).body)).toEqual([p.id]);
    const sorted = (
      await request(t, admin, 'GET', `/projects?clientId=${clientId}&sort=code&dir=desc`)
    ).body.items.map((x: { code: string }) => x.code);
    expect(sorted).toEqual(['ACME-WEB', 'ACME-APP']);
    expect(await moduleServices(t, 'directory').directory.getProject(p.id)).toMatchObject({
      code: 'ACME-APP',
      status: 'archived',
    });
  });

  it('archives and restores a client', async () => {
    const c = (await request(t, admin, 'POST', '/clients', { name: 'Globex' })).body;
    expect((await request(t, admin, 'DELETE', `/clients/${c.id}`)).body.active).toBe(false);
    expect((await request(t, admin, 'PATCH', `/clients/${c.id}`, { active: true })).body.active).toBe(true);
    expect(await actions(c.id)).toEqual(['client.created', 'client.archived', 'client.updated']);
  });
});

describe('activities', () => {
  it('keeps names unique among global activities and within each project, not across', async () => {
    const clientId = (await request(t, admin, 'POST', '/clients', { name: 'Initech' })).body.id;
    const p1 = (await request(t, admin, 'POST', '/projects', { clientId, code: 'INI-1', name: 'One' })).body
      .id;
    const p2 = (await request(t, admin, 'POST', '/projects', { clientId, code: 'INI-2', name: 'Two' })).body
      .id;

    const global = await request(t, admin, 'POST', '/activities', { name: 'Meetings' });
    expect(global.status).toBe(201);
    expect(global.body.projectId).toBeNull();
    const dupGlobal = await request(t, admin, 'POST', '/activities', { name: 'meetings' });
    expect(dupGlobal.status).toBe(409);
    expect(errorPaths(dupGlobal.body)).toEqual(['body.name']);

    const a1 = await request(t, admin, 'POST', '/activities', { name: 'Meetings', projectId: p1 });
    expect(a1.status).toBe(201);
    expect((await request(t, admin, 'POST', '/activities', { name: 'Meetings', projectId: p2 })).status).toBe(
      201,
    );
    const dupProject = await request(t, admin, 'POST', '/activities', { name: 'MEETINGS', projectId: p1 });
    expect(dupProject.status).toBe(409);

    const unknown = await request(t, admin, 'POST', '/activities', {
      name: 'x',
      projectId: '8f1c2b7e-0000-4000-8000-000000000005',
    });
    expect(unknown.status).toBe(422);
    expect(errorPaths(unknown.body)).toEqual(['body.projectId']);

    // A project's list holds its own activities and the global ones.
    expect(ids((await request(t, admin, 'GET', `/activities?projectId=${p1}`)).body).sort()).toEqual(
      [global.body.id, a1.body.id].sort(),
    );
    expect(ids((await request(t, admin, 'GET', '/activities?global=true')).body)).toEqual([global.body.id]);

    const archived = await request(t, admin, 'DELETE', `/activities/${a1.body.id}`);
    expect(archived.body.active).toBe(false);
    expect(await moduleServices(t, 'directory').directory.getActivity(a1.body.id)).toMatchObject({
      projectId: p1,
      active: false,
    });
    expect(await actions(a1.body.id)).toEqual(['activity.created', 'activity.archived']);
    expect((await request(t, employee, 'PATCH', `/activities/${a1.body.id}`, { active: true })).status).toBe(
      403,
    );
  });
});

describe('API description', () => {
  it('documents the directory routes with their query parameters in the OpenAPI spec', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const spec = res.json() as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string }> }>>;
    };
    for (const path of [
      '/api/v1/people',
      '/api/v1/people/me',
      '/api/v1/teams/{id}/managers',
      '/api/v1/activities/{id}',
    ])
      expect(Object.keys(spec.paths), path).toContain(path);
    const params = spec.paths['/api/v1/people']!.get!.parameters!.map((p) => p.name);
    expect(params).toEqual(
      expect.arrayContaining(['q', 'teamId', 'active', 'sort', 'dir', 'limit', 'cursor']),
    );
  });
});
