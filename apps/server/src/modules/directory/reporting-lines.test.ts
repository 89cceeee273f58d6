import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, createTeam, personOf } from '../../../test/factories/directory';
import { type LoggedIn, loginAs } from '../../../test/factories/identity';
import { createTestApp, moduleServices, type TestApp } from '../../../test/helpers';
import { errorPaths, request } from '../../../test/http';

let t: TestApp;
let admin: LoggedIn;
let employee: LoggedIn;

beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t, { role: 'admin' });
  employee = await loginAs(t, { role: 'employee' });
});
afterAll(() => t.close());

describe('reporting lines', () => {
  it('refuses to make a person their own manager', async () => {
    const { body } = await request(t, admin, 'POST', '/people', { name: 'Solo' });
    const res = await request(t, admin, 'PATCH', `/people/${body.id}`, { managerId: body.id });
    expect(res.status).toBe(422);
    expect(errorPaths(res.body)).toEqual(['body.managerId']);
  });

  it('refuses a management cycle through several levels', async () => {
    const mk = async (name: string, managerId?: string) =>
      (await request(t, admin, 'POST', '/people', { name, managerId })).body.id as string;
    const top = await mk('Top');
    const mid = await mk('Mid', top);
    const low = await mk('Low', mid);
    const res = await request(t, admin, 'PATCH', `/people/${top}`, { managerId: low });
    expect(res.status).toBe(422);
    expect(errorPaths(res.body)).toEqual(['body.managerId']);
    // Moving within the line without closing a loop is fine.
    expect((await request(t, admin, 'PATCH', `/people/${low}`, { managerId: top })).status).toBe(200);
  });

  it('lets only one of two crossing manager changes through (A under B, B under A)', async () => {
    const mk = async (name: string) =>
      (await request(t, admin, 'POST', '/people', { name })).body.id as string;
    for (let round = 0; round < 5; round++) {
      const a = await mk(`Cross A${round}`);
      const b = await mk(`Cross B${round}`);
      const results = await Promise.all([
        request(t, admin, 'PATCH', `/people/${a}`, { managerId: b }),
        request(t, admin, 'PATCH', `/people/${b}`, { managerId: a }),
      ]);
      expect(results.map((r) => r.status).sort(), `round ${round}`).toEqual([200, 422]);
    }
  });
});

describe('the service other modules call', () => {
  it('knows who manages whom: team members and direct reports, never oneself', async () => {
    const directory = moduleServices(t, 'directory').directory;
    const boss = await loginAs(t, { role: 'manager' });
    const bossPerson = await personOf(t, boss.user);
    // The manager is also a member of the team they manage.
    const team = await createTeam(t, {
      name: 'Managed',
      managerIds: [bossPerson.id],
      memberIds: [bossPerson.id],
    });
    const member = await createPerson(t, { name: 'Member', teamId: team.id });
    const report = await createPerson(t, { name: 'Report', managerId: bossPerson.id });
    const stranger = await createPerson(t, { name: 'Stranger' });

    expect((await directory.managedPersonIds(boss.user.id)).sort()).toEqual([member.id, report.id].sort());
    expect(await directory.isManagerOf(boss.user.id, member.id)).toBe(true);
    expect(await directory.isManagerOf(boss.user.id, report.id)).toBe(true);
    expect(await directory.isManagerOf(boss.user.id, stranger.id)).toBe(false);
    expect(await directory.isManagerOf(boss.user.id, bossPerson.id)).toBe(false);
    expect(await directory.managedTeamIds(boss.user.id)).toEqual([team.id]);
    expect(await directory.managedPersonIds(employee.user.id)).toEqual([]);

    const listed = await directory.listPeople({ teamId: team.id });
    expect(listed.map((p) => p.name).sort()).toEqual(['Member', bossPerson.name].sort());
    expect(await directory.listPeople({ ids: [] })).toEqual([]);
    expect((await directory.listPeople({ ids: [stranger.id], active: true })).map((p) => p.id)).toEqual([
      stranger.id,
    ]);
    expect(await directory.getPerson(stranger.id)).toMatchObject({ name: 'Stranger', weeklyHours: 40 });
  });
});
