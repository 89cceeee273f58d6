import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoggedIn, loginAs } from '../../../test/factories/identity';
import { createTestApp, moduleServices, type TestApp } from '../../../test/helpers';
import { auditEvents } from '../../platform/audit';

let t: TestApp;
let admin: LoggedIn;
let manager: LoggedIn;
let employee: LoggedIn;

type Req = { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; as?: LoggedIn; payload?: object };
const api = async ({ method = 'GET', url, as = admin, payload }: Req) => {
  const res = await t.app.inject({ method, url: `/api/v1${url}`, headers: as.headers, payload });
  return { status: res.statusCode, body: res.json() };
};
const paths = (body: { errors?: Array<{ path: string }> }) => (body.errors ?? []).map((e) => e.path).sort();
const actions = async (entityId: string) =>
  (
    await t.ctx.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, entityId))
      .orderBy(auditEvents.occurredAt)
  ).map((a) => a.action);
const ids = (body: { items: Array<{ id: string }> }) => body.items.map((i) => i.id);

beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t, { role: 'admin' });
  manager = await loginAs(t, { role: 'manager' });
  employee = await loginAs(t, { role: 'employee' });
});
afterAll(() => t.close());

const personOf = async (who: LoggedIn) => (await moduleServices(t, 'directory').personForUser(who.user.id))!;

describe('teams', () => {
  it("lets only admins change reporting lines, so a manager cannot take over anyone's time", async () => {
    const me = await personOf(manager);
    const other = await personOf(employee);
    const team = (await api({ method: 'POST', url: '/teams', payload: { name: 'Finance' } })).body;
    const attempts = [
      api({ method: 'POST', url: `/teams/${team.id}/managers`, as: manager, payload: { personId: me.id } }),
      api({ method: 'POST', url: `/teams/${team.id}/members`, as: manager, payload: { personId: other.id } }),
      api({ method: 'PATCH', url: `/people/${other.id}`, as: manager, payload: { managerId: me.id } }),
      api({ method: 'PATCH', url: `/people/${other.id}`, as: manager, payload: { teamId: team.id } }),
      api({ method: 'POST', url: '/teams', as: manager, payload: { name: 'Mine', managerIds: [me.id] } }),
    ];
    expect((await Promise.all(attempts)).map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    expect(await moduleServices(t, 'directory').isManagerOf(manager.user.id, other.id)).toBe(false);
    // Everything else in the directory stays theirs to edit.
    const renamed = await api({
      method: 'PATCH',
      url: `/people/${other.id}`,
      as: manager,
      payload: { title: 'Analyst' },
    });
    expect(renamed.status).toBe(200);
    const plain = await api({ method: 'POST', url: '/teams', as: manager, payload: { name: 'Unmanaged' } });
    expect(plain.status).toBe(201);
  });

  it('creates a team with managers, answers 409 on a name taken in any case, 422 on unknown managers', async () => {
    const boss = await personOf(manager);
    const res = await api({
      method: 'POST',
      url: '/teams',
      payload: { name: 'Platform', managerIds: [boss.id] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Platform', managerIds: [boss.id], memberCount: 0, active: true });
    const dup = await api({ method: 'POST', url: '/teams', payload: { name: 'PLATFORM' } });
    expect(dup.status).toBe(409);
    expect(paths(dup.body)).toEqual(['body.name']);
    const unknown = await api({
      method: 'POST',
      url: '/teams',
      payload: { name: 'Ghosts', managerIds: [boss.id, '8f1c2b7e-0000-4000-8000-000000000002'] },
    });
    expect(unknown.status).toBe(422);
    expect(paths(unknown.body)).toEqual(['body.managerIds.1']);
  });

  it('adds and removes members and managers, auditing each change', async () => {
    const team = (await api({ method: 'POST', url: '/teams', payload: { name: 'Support' } })).body;
    const first = (await api({ method: 'POST', url: '/teams', payload: { name: 'First' } })).body;
    const person = (
      await api({ method: 'POST', url: '/people', payload: { name: 'Mover', teamId: first.id } })
    ).body;

    const added = await api({
      method: 'POST',
      url: `/teams/${team.id}/members`,
      payload: { personId: person.id },
    });
    expect(added.status).toBe(200);
    expect(added.body.teamId).toBe(team.id);
    expect((await api({ url: `/teams/${team.id}` })).body.memberCount).toBe(1);
    expect((await api({ url: `/teams/${first.id}` })).body.memberCount).toBe(0);

    const removed = await api({ method: 'DELETE', url: `/teams/${team.id}/members/${person.id}` });
    expect(removed.body.teamId).toBeNull();
    expect((await api({ method: 'DELETE', url: `/teams/${team.id}/members/${person.id}` })).status).toBe(404);

    const mgr = await api({
      method: 'POST',
      url: `/teams/${team.id}/managers`,
      payload: { personId: person.id },
    });
    expect(mgr.body.managerIds).toEqual([person.id]);
    const unmgr = await api({ method: 'DELETE', url: `/teams/${team.id}/managers/${person.id}` });
    expect(unmgr.body.managerIds).toEqual([]);
    expect((await api({ method: 'DELETE', url: `/teams/${team.id}/managers/${person.id}` })).status).toBe(
      404,
    );

    const unknown = await api({
      method: 'POST',
      url: `/teams/${team.id}/members`,
      payload: { personId: '8f1c2b7e-0000-4000-8000-000000000003' },
    });
    expect(unknown.status).toBe(422);
    expect(paths(unknown.body)).toEqual(['body.personId']);

    expect(await actions(person.id)).toEqual(['person.created', 'team.member_added', 'team.member_removed']);
    expect(await actions(team.id)).toEqual(['team.created', 'team.manager_added', 'team.manager_removed']);
  });

  it('makes a person member and manager of a team at the same time without a deadlock', async () => {
    for (let round = 0; round < 5; round++) {
      const team = (await api({ method: 'POST', url: '/teams', payload: { name: `Both ${round}` } })).body;
      const person = (await api({ method: 'POST', url: '/people', payload: { name: `Both ${round}` } })).body;
      const [member, mgr] = await Promise.all([
        api({ method: 'POST', url: `/teams/${team.id}/members`, payload: { personId: person.id } }),
        api({ method: 'POST', url: `/teams/${team.id}/managers`, payload: { personId: person.id } }),
      ]);
      expect([member.status, mgr.status], `round ${round}`).toEqual([200, 200]);
      expect((await api({ url: `/teams/${team.id}` })).body).toMatchObject({
        managerIds: [person.id],
        memberCount: 1,
      });
    }
  });

  it('lists the teams I manage with managedByMe=true', async () => {
    const me = await loginAs(t, { role: 'manager' });
    const mine = (
      await api({
        method: 'POST',
        url: '/teams',
        payload: { name: 'Mine', managerIds: [(await personOf(me)).id] },
      })
    ).body;
    await api({ method: 'POST', url: '/teams', payload: { name: 'Not mine' } });
    const res = await api({ url: '/teams?managedByMe=true', as: me });
    expect(ids(res.body)).toEqual([mine.id]);
    expect((await api({ url: '/teams?managedByMe=true', as: employee })).body.items).toEqual([]);
  });

  it('archives with DELETE, restores with PATCH, and filters by active', async () => {
    const team = (await api({ method: 'POST', url: '/teams', payload: { name: 'Temporary' } })).body;
    expect((await api({ method: 'DELETE', url: `/teams/${team.id}` })).body.active).toBe(false);
    expect(ids((await api({ url: '/teams?active=false' })).body)).toEqual([team.id]);
    expect(
      (await api({ method: 'PATCH', url: `/teams/${team.id}`, payload: { active: true } })).body.active,
    ).toBe(true);
    expect(await actions(team.id)).toEqual(['team.created', 'team.archived', 'team.updated']);
  });

  it('pages through teams one at a time with their managers and member counts', async () => {
    const all = (await api({ url: '/teams?limit=200&sort=createdAt&dir=desc' })).body.items as Array<{
      id: string;
    }>;
    const seen: Array<{ id: string; managerIds: string[] }> = [];
    let cursor: string | null = null;
    do {
      const c: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await api({ url: `/teams?limit=1&sort=createdAt&dir=desc${c}` })).body;
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && seen.length <= all.length);
    expect(seen.map((x) => x.id)).toEqual(all.map((x) => x.id));
    expect(seen).toEqual(all);
  });

  it('lets employees read teams but not change them', async () => {
    expect((await api({ url: '/teams', as: employee })).status).toBe(200);
    expect((await api({ method: 'POST', url: '/teams', as: employee, payload: { name: 'X' } })).status).toBe(
      403,
    );
  });
});

describe('clients and projects', () => {
  let clientId: string;
  beforeAll(async () => {
    clientId = (await api({ method: 'POST', url: '/clients', as: manager, payload: { name: 'Acme' } })).body
      .id;
  });

  it('keeps client names unique in any case', async () => {
    const dup = await api({ method: 'POST', url: '/clients', payload: { name: 'acme' } });
    expect(dup.status).toBe(409);
    expect(paths(dup.body)).toEqual(['body.name']);
  });

  it('creates projects with defaults, unique codes and a known client', async () => {
    const res = await api({
      method: 'POST',
      url: '/projects',
      as: manager,
      payload: { clientId, code: 'ACME-WEB', name: 'Website' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'active', billable: true, color: '#3B82F6', budgetHours: null });
    const dup = await api({
      method: 'POST',
      url: '/projects',
      payload: { clientId, code: 'acme-web', name: 'Again' },
    });
    expect(dup.status).toBe(409);
    expect(paths(dup.body)).toEqual(['body.code']);
    const noClient = await api({
      method: 'POST',
      url: '/projects',
      payload: { clientId: '8f1c2b7e-0000-4000-8000-000000000004', code: 'NC', name: 'No client' },
    });
    expect(noClient.status).toBe(422);
    expect(paths(noClient.body)).toEqual(['body.clientId']);
    const bad = await api({
      method: 'POST',
      url: '/projects',
      payload: { clientId, code: 'has space', name: 'x', color: 'red', budgetHours: -1 },
    });
    expect(bad.status).toBe(400);
    expect(paths(bad.body)).toEqual(['body.budgetHours', 'body.code', 'body.color']);
  });

  it('archives a project, audits it, and filters by status and search', async () => {
    const p = (
      await api({
        method: 'POST',
        url: '/projects',
        payload: { clientId, code: 'ACME-APP', name: 'Mobile app', budgetHours: 120.5, billable: false },
      })
    ).body;
    expect(p.budgetHours).toBe(120.5);
    const archived = await api({ method: 'DELETE', url: `/projects/${p.id}`, as: manager });
    expect(archived.body.status).toBe('archived');
    expect(await actions(p.id)).toEqual(['project.created', 'project.archived']);
    expect(ids((await api({ url: `/projects?status=archived&clientId=${clientId}` })).body)).toEqual([p.id]);
    expect(ids((await api({ url: '/projects?q=mobile' })).body)).toEqual([p.id]);
    expect(ids((await api({ url: '/projects?billable=false' })).body)).toEqual([p.id]);
    const sorted = (await api({ url: `/projects?clientId=${clientId}&sort=code&dir=desc` })).body.items.map(
      (x: { code: string }) => x.code,
    );
    expect(sorted).toEqual(['ACME-WEB', 'ACME-APP']);
    expect(await moduleServices(t, 'directory').getProject(p.id)).toMatchObject({
      code: 'ACME-APP',
      status: 'archived',
    });
  });

  it('archives and restores a client', async () => {
    const c = (await api({ method: 'POST', url: '/clients', payload: { name: 'Globex' } })).body;
    expect((await api({ method: 'DELETE', url: `/clients/${c.id}` })).body.active).toBe(false);
    expect(
      (await api({ method: 'PATCH', url: `/clients/${c.id}`, payload: { active: true } })).body.active,
    ).toBe(true);
    expect(await actions(c.id)).toEqual(['client.created', 'client.archived', 'client.updated']);
  });
});

describe('activities', () => {
  it('keeps names unique among global activities and within each project, not across', async () => {
    const clientId = (await api({ method: 'POST', url: '/clients', payload: { name: 'Initech' } })).body.id;
    const p1 = (
      await api({ method: 'POST', url: '/projects', payload: { clientId, code: 'INI-1', name: 'One' } })
    ).body.id;
    const p2 = (
      await api({ method: 'POST', url: '/projects', payload: { clientId, code: 'INI-2', name: 'Two' } })
    ).body.id;

    const global = await api({ method: 'POST', url: '/activities', payload: { name: 'Meetings' } });
    expect(global.status).toBe(201);
    expect(global.body.projectId).toBeNull();
    const dupGlobal = await api({ method: 'POST', url: '/activities', payload: { name: 'meetings' } });
    expect(dupGlobal.status).toBe(409);
    expect(paths(dupGlobal.body)).toEqual(['body.name']);

    const a1 = await api({
      method: 'POST',
      url: '/activities',
      payload: { name: 'Meetings', projectId: p1 },
    });
    expect(a1.status).toBe(201);
    expect(
      (await api({ method: 'POST', url: '/activities', payload: { name: 'Meetings', projectId: p2 } }))
        .status,
    ).toBe(201);
    const dupProject = await api({
      method: 'POST',
      url: '/activities',
      payload: { name: 'MEETINGS', projectId: p1 },
    });
    expect(dupProject.status).toBe(409);

    const unknown = await api({
      method: 'POST',
      url: '/activities',
      payload: { name: 'x', projectId: '8f1c2b7e-0000-4000-8000-000000000005' },
    });
    expect(unknown.status).toBe(422);
    expect(paths(unknown.body)).toEqual(['body.projectId']);

    // A project's list holds its own activities and the global ones.
    expect(ids((await api({ url: `/activities?projectId=${p1}` })).body).sort()).toEqual(
      [global.body.id, a1.body.id].sort(),
    );
    expect(ids((await api({ url: '/activities?global=true' })).body)).toEqual([global.body.id]);

    const archived = await api({ method: 'DELETE', url: `/activities/${a1.body.id}`, as: manager });
    expect(archived.body.active).toBe(false);
    expect(await moduleServices(t, 'directory').getActivity(a1.body.id)).toMatchObject({
      projectId: p1,
      active: false,
    });
    expect(await actions(a1.body.id)).toEqual(['activity.created', 'activity.archived']);
    expect(
      (
        await api({
          method: 'PATCH',
          url: `/activities/${a1.body.id}`,
          as: employee,
          payload: { active: true },
        })
      ).status,
    ).toBe(403);
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
