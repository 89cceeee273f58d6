import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, moduleServices, type TestApp } from '../../../test/helpers';
import { seedDemo, seedSteps } from '../../platform/seed';

let t: TestApp;
beforeAll(async () => {
  // The directory alone: the demo must not depend on the time module being there.
  t = await createTestApp({ env: { MODULES: 'identity,directory' } });
});
afterAll(() => t.close());

describe('seed-demo', () => {
  it('builds a company whose accounts can sign in and are linked to their people, and refuses a second run', async () => {
    const steps: string[] = [];
    const result = await seedDemo(t.runtime, { weeks: 4, tick: (label) => steps.push(label) });
    expect(result).toMatchObject({
      teams: 3,
      clients: 3,
      projects: 4,
      activities: 8,
    });
    expect(result).not.toHaveProperty('timeEntries');
    expect(result.users).toHaveLength(12);
    // With time switched off the directory's steps are all there is.
    expect(steps.at(-1)).toBe('activities');
    expect(steps).toHaveLength(seedSteps(t.runtime));

    const directory = moduleServices(t, 'directory').directory;
    const teams = await directory.listTeams(
      { userId: 'x', role: 'admin', scopes: ['read'] },
      { limit: 50, sort: 'name', dir: 'asc' },
    );
    expect(teams.items.map((x) => [x.name, x.memberCount, x.managerIds.length])).toEqual([
      ['Customer Success', 4, 1],
      ['Design', 3, 1],
      ['Platform', 5, 1],
    ]);

    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: 'maya_chen', password: result.password },
    });
    expect(login.statusCode).toBe(200);
    const maya = login.json().user as { id: string };
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/people/me',
      headers: { authorization: `Bearer ${login.json().accessToken}` },
    });
    expect(me.json()).toMatchObject({
      name: 'Maya Chen',
      title: 'Engineering Manager',
      department: 'Platform',
    });
    // Maya manages the four other Platform people.
    expect(await directory.managedPersonIds(maya.id)).toHaveLength(4);

    await expect(seedDemo(t.runtime, { weeks: 4 })).rejects.toThrow(/already there/);
    // Twelve password hashes on a shared CI core take a while.
  }, 120_000);

  it('keeps a global activity the company already made under a demo name instead of failing', async () => {
    const fresh = await createTestApp({ env: { MODULES: 'identity,directory' } });
    try {
      const directory = moduleServices(fresh, 'directory').directory;
      const actor = { userId: null, label: 'test' };
      const own = await directory.createActivity(actor, { name: 'development', projectId: null });
      await seedDemo(fresh.runtime, { weeks: 1 });
      const found = await directory.listActivities({
        q: 'development',
        global: true,
        limit: 50,
        sort: 'name',
        dir: 'asc',
      });
      expect(found.items.map((a) => a.id)).toEqual([own.id]);
    } finally {
      await fresh.close();
    }
  }, 120_000);
});
