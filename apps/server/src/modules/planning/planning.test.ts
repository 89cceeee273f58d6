import type { TPerson, TProject } from '@clockpilot/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, createProject, personOf } from '../../../test/factories/directory';
import { type LoggedIn, loginAs } from '../../../test/factories/identity';
import { createAssignment, createDeliverable } from '../../../test/factories/planning';
import { auditTrail, createTestApp, moduleServices, type TestApp, testClock } from '../../../test/helpers';
import { errorPaths, request } from '../../../test/http';

let t: TestApp;
let admin: LoggedIn;
let manager: LoggedIn;
let employee: LoggedIn;
let me: TPerson;
let other: TPerson;
let project: TProject;

beforeAll(async () => {
  // Monday 23 November 2026: the current week is 2026-W48.
  t = await createTestApp({ clock: testClock(new Date('2026-11-23T09:00:00Z')) });
  admin = await loginAs(t, { role: 'admin' });
  manager = await loginAs(t, { role: 'manager' });
  employee = await loginAs(t, { role: 'employee' });
  me = await personOf(t, employee.user);
  other = await createPerson(t, { weeklyHours: 40 });
  project = await createProject(t);
});
afterAll(() => t.close());

const hoursOf = async (id: string, from = '2026-W48', to = '2027-W10') =>
  (await request(t, manager, 'GET', `/planning/assignments/${id}/hours?from=${from}&to=${to}`)).body.items;

describe('deliverables', () => {
  it('are created by managers with an audit record, refused to employees, sorted and paged', async () => {
    const created = await request(t, manager, 'POST', '/planning/deliverables', {
      projectId: project.id,
      name: 'Alpha',
      dueDate: '2027-03-05',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'planned', startDate: null });
    expect((await auditTrail(t, created.body.id, 'planning.deliverable.created')).length).toBe(1);
    expect(
      (
        await request(t, employee, 'POST', '/planning/deliverables', {
          projectId: project.id,
          name: 'X',
          dueDate: '2027-01-01',
        })
      ).status,
    ).toBe(403);
    const missing = await request(t, manager, 'POST', '/planning/deliverables', {
      projectId: '7f3c2a9e-1b4d-4c8e-9a6f-2d5e8b1c0a37',
      name: 'Nope',
      dueDate: '2027-01-01',
    });
    expect(missing.status).toBe(422);
    expect(errorPaths(missing.body)).toEqual(['body.projectId']);
    const backwards = await request(t, manager, 'POST', '/planning/deliverables', {
      projectId: project.id,
      name: 'Backwards',
      startDate: '2027-02-01',
      dueDate: '2027-01-01',
    });
    expect(backwards.status).toBe(422);

    await createDeliverable(t, {
      projectId: project.id,
      name: 'Beta',
      dueDate: '2027-01-15',
      startDate: '2026-12-01',
    });
    await createDeliverable(t, { projectId: project.id, name: 'Gamma', dueDate: '2027-02-12' });
    const first = await request(
      t,
      employee,
      'GET',
      `/planning/deliverables?projectId=${project.id}&sort=dueDate&limit=2`,
    );
    expect(first.body.items.map((d: { name: string }) => d.name)).toEqual(['Beta', 'Gamma']);
    const next = await request(
      t,
      employee,
      'GET',
      `/planning/deliverables?projectId=${project.id}&sort=dueDate&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(next.body.items.map((d: { name: string }) => d.name)).toEqual(['Alpha']);
    expect(next.body.nextCursor).toBeNull();
    const byStart = await request(
      t,
      manager,
      'GET',
      `/planning/deliverables?projectId=${project.id}&sort=startDate&dir=desc`,
    );
    expect(byStart.body.items[0].name).toBe('Beta');
  });
});

describe('assignments and the weekly hours grid', () => {
  let mine: string;
  let theirs: string;

  it('take a person or a placeholder, not both, and employees read only their own', async () => {
    const both = await request(t, manager, 'POST', '/planning/assignments', {
      projectId: project.id,
      personId: me.id,
      placeholder: 'Designer',
    });
    expect(both.status).toBe(400);
    expect(errorPaths(both.body)).toEqual(['body.personId']);
    mine = (await createAssignment(t, { projectId: project.id, personId: me.id })).id;
    theirs = (await createAssignment(t, { projectId: project.id, personId: other.id })).id;
    const placeholder = await request(t, manager, 'POST', '/planning/assignments', {
      projectId: project.id,
      placeholder: 'Senior designer (to hire)',
      status: 'tentative',
    });
    expect(placeholder.status).toBe(201);
    const own = await request(t, employee, 'GET', `/planning/assignments?projectId=${project.id}`);
    expect(own.body.items.map((a: { id: string }) => a.id)).toEqual([mine]);
    expect((await request(t, employee, 'GET', `/planning/assignments/${theirs}`)).status).toBe(404);
    expect((await request(t, employee, 'GET', `/planning/assignments/${theirs}/hours`)).status).toBe(404);
    const all = await request(
      t,
      admin,
      'GET',
      `/planning/assignments?projectId=${project.id}&personId=${other.id}`,
    );
    expect(all.body.items.map((a: { id: string }) => a.id)).toEqual([theirs]);
  });

  it('replaces weeks atomically under If-Match and refuses a stale version with 409', async () => {
    const url = `/planning/assignments/${mine}/hours`;
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1${url}?from=2026-W48&to=2026-W52`,
      headers: manager.headers,
    });
    const etag = read.headers.etag as string;
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1${url}`,
      headers: { ...manager.headers, 'if-match': etag },
      payload: {
        items: [
          { week: '2026-W49', hours: 8 },
          { week: '2026-W50', hours: 7.5 },
        ],
      },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().items).toEqual([
      { week: '2026-W49', hours: 8 },
      { week: '2026-W50', hours: 7.5 },
    ]);
    expect(put.headers.etag).not.toBe(etag);
    const stale = await t.app.inject({
      method: 'PUT',
      url: `/api/v1${url}`,
      headers: { ...manager.headers, 'if-match': etag },
      payload: { items: [{ week: '2026-W49', hours: 1 }] },
    });
    expect(stale.statusCode).toBe(409);
    expect(await hoursOf(mine)).toEqual([
      { week: '2026-W49', hours: 8 },
      { week: '2026-W50', hours: 7.5 },
    ]);
    // A range clears its other weeks; zero clears a given week.
    const version = put.json().version;
    const ranged = await request(t, manager, 'PUT', `${url}?from=2026-W49&to=2026-W50`, {
      version,
      items: [{ week: '2026-W50', hours: 4 }],
    });
    expect(ranged.status).toBe(200);
    expect(await hoursOf(mine)).toEqual([{ week: '2026-W50', hours: 4 }]);
    expect((await auditTrail(t, mine, 'planning.hours.replaced')).length).toBe(2);
  });

  it('refuses odd hours and weeks with field paths, never a 500', async () => {
    const url = `/planning/assignments/${theirs}/hours`;
    const cases = [
      [{ version: 1, items: [{ week: '2026-W49', hours: 0.3 }] }, 400],
      [{ version: 1, items: [{ week: '2026-W49', hours: 169 }] }, 400],
      [{ version: 1, items: [{ week: '2027-W53', hours: 8 }] }, 400],
      [
        {
          version: 1,
          items: [
            { week: '2026-W49', hours: 8 },
            { week: '2026-W49', hours: 2 },
          ],
        },
        422,
      ],
      [{ items: [{ week: '2026-W49', hours: 8 }] }, 400],
    ] as const;
    for (const [body, status] of cases) {
      const res = await request(t, manager, 'PUT', url, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.errors?.length ?? 0).toBeGreaterThan(0);
    }
    expect(
      (await request(t, employee, 'PUT', `/planning/assignments/${mine}/hours`, { version: 1, items: [] }))
        .status,
    ).toBe(403);
  });
});

describe('utilisation', () => {
  it('counts capacity after holidays and time off, tentative apart, and is never served stale', async () => {
    const p = await createPerson(t, { weeklyHours: 40, weeklyCapacity: 30 });
    const proj = await createProject(t);
    await createAssignment(t, { projectId: proj.id, personId: p.id }, [{ week: '2027-W02', hours: 24 }]);
    await createAssignment(t, { projectId: proj.id, personId: p.id, status: 'tentative' }, [
      { week: '2027-W02', hours: 6 },
    ]);
    expect(
      (await request(t, manager, 'POST', '/planning/holidays', { date: '2027-01-11', name: 'Founders day' }))
        .status,
    ).toBe(201);
    // Two half days off: one day in all.
    expect(
      (
        await request(t, manager, 'POST', '/planning/time-off', {
          personId: p.id,
          startDate: '2027-01-12',
          endDate: '2027-01-13',
          dayFraction: 0.5,
        })
      ).status,
    ).toBe(201);

    const url = `/planning/utilisation?from=2027-W01&to=2027-W03&project=${proj.id}`;
    const first = await t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: manager.headers });
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-cache']).toBe('MISS');
    const row = first.json().rows.find((r: { key: string }) => r.key === p.id);
    expect(first.json().weeks).toEqual(['2027-W01', '2027-W02', '2027-W03']);
    // 30 h × 3 of 5 working days left in W02.
    expect(row).toMatchObject({
      kind: 'person',
      assigned: [0, 24, 0],
      tentative: [0, 6, 0],
      capacity: [30, 18, 30],
    });
    expect(row.utilisation[1]).toBeCloseTo(24 / 18, 3);
    const again = await t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: manager.headers });
    expect(again.headers['x-cache']).toBe('HIT');
    expect(again.body).toBe(first.body);

    await createAssignment(t, { projectId: proj.id, personId: p.id }, [{ week: '2027-W03', hours: 10 }]);
    const after = await t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: manager.headers });
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.json().rows.find((r: { key: string }) => r.key === p.id).assigned).toEqual([0, 24, 10]);
    expect((await request(t, employee, 'GET', url)).status).toBe(403);
    expect((await request(t, manager, 'GET', '/planning/utilisation?from=2027-W05&to=2027-W01')).status).toBe(
      400,
    );
  });
});

describe('reallocation on a due-date change', () => {
  it('moves the linked hours within capacity, leaves the rest, and undoes exactly', async () => {
    const p = await createPerson(t, { weeklyHours: 40 });
    const proj = await createProject(t);
    const d = await createDeliverable(t, { projectId: proj.id, dueDate: '2027-01-08' }); // 2027-W01
    const linked = await createAssignment(t, { projectId: proj.id, deliverableId: d.id, personId: p.id }, [
      { week: '2026-W51', hours: 20 },
      { week: '2026-W53', hours: 20 },
    ]);
    const unlinked = await createAssignment(t, { projectId: proj.id, personId: p.id }, [
      { week: '2027-W02', hours: 30 },
      { week: '2027-W03', hours: 8 },
    ]);
    const moved = await request(t, manager, 'PATCH', `/planning/deliverables/${d.id}`, {
      dueDate: '2027-01-22',
    });
    expect(moved.status).toBe(200);
    const r = moved.body.reallocation;
    expect(r).toMatchObject({
      applied: true,
      shiftWeeks: 2,
      oldDueDate: '2027-01-08',
      newDueDate: '2027-01-22',
    });
    // W51 → W53 fits. W53 → W02: the company holiday of 11 January (above) leaves 32 h of capacity,
    // 30 of them taken by the unlinked assignment, so 2 h fit there and the rest goes to W01.
    expect(r.assignments[0].moves).toEqual([
      { from: '2026-W51', to: '2026-W53', hours: 20 },
      { from: '2026-W53', to: '2027-W01', hours: 18 },
      { from: '2026-W53', to: '2027-W02', hours: 2 },
    ]);
    expect(r.overAllocations).toEqual([]);
    expect(await hoursOf(linked.id)).toEqual([
      { week: '2026-W53', hours: 20 },
      { week: '2027-W01', hours: 18 },
      { week: '2027-W02', hours: 2 },
    ]);
    const untouched = [
      { week: '2027-W02', hours: 30 },
      { week: '2027-W03', hours: 8 },
    ];
    expect(await hoursOf(unlinked.id)).toEqual(untouched);

    // An edit after the move makes undo a 409 naming the week, unless forced.
    const grid = (await request(t, manager, 'GET', `/planning/assignments/${linked.id}/hours`)).body;
    await request(t, manager, 'PUT', `/planning/assignments/${linked.id}/hours`, {
      version: grid.version,
      items: [{ week: '2027-W01', hours: 12 }],
    });
    const refused = await request(t, manager, 'POST', `/planning/deliverables/${d.id}/reallocation/undo`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('2027-W01');
    const undone = await request(t, manager, 'POST', `/planning/deliverables/${d.id}/reallocation/undo`, {
      force: true,
      revertDate: true,
    });
    expect(undone.status).toBe(200);
    expect(undone.body.deliverable.dueDate).toBe('2027-01-08');
    expect(undone.body.overwrittenWeeks).toEqual([{ assignmentId: linked.id, week: '2027-W01' }]);
    expect(await hoursOf(linked.id)).toEqual([
      { week: '2026-W51', hours: 20 },
      { week: '2026-W53', hours: 20 },
    ]);
    expect(await hoursOf(unlinked.id)).toEqual(untouched);
    expect(
      (await request(t, manager, 'POST', `/planning/deliverables/${d.id}/reallocation/undo`, {})).status,
    ).toBe(409);
    expect((await auditTrail(t, d.id, 'planning.reallocation.undone')).length).toBe(1);
  });

  it('reports over-allocation when the window has no room, and undoes cleanly when nothing was edited', async () => {
    const p = await createPerson(t, { weeklyHours: 10 });
    const proj = await createProject(t);
    const d = await createDeliverable(t, { projectId: proj.id, dueDate: '2026-12-18' }); // 2026-W51
    const a = await createAssignment(t, { projectId: proj.id, deliverableId: d.id, personId: p.id }, [
      { week: '2026-W50', hours: 10 },
      { week: '2026-W51', hours: 30 },
    ]);
    const moved = await request(t, manager, 'PATCH', `/planning/deliverables/${d.id}`, {
      dueDate: '2026-12-04',
    });
    const r = moved.body.reallocation;
    expect(r.shiftWeeks).toBe(-2);
    expect(r.assignments[0].unplacedHours).toBe(20);
    expect(r.overAllocations).toEqual([{ personId: p.id, week: '2026-W49', hoursOver: 20 }]);
    expect(await hoursOf(a.id)).toEqual([
      { week: '2026-W48', hours: 10 },
      { week: '2026-W49', hours: 30 },
    ]);
    const undone = await request(t, manager, 'POST', `/planning/deliverables/${d.id}/reallocation/undo`, {});
    expect(undone.status).toBe(200);
    expect(await hoursOf(a.id)).toEqual([
      { week: '2026-W50', hours: 10 },
      { week: '2026-W51', hours: 30 },
    ]);
  });

  it('moves nothing with AUTO_REALLOCATION=false and says so', async () => {
    const off = await createTestApp({
      env: { AUTO_REALLOCATION: 'false' },
      clock: testClock(new Date('2026-11-23T09:00:00Z')),
    });
    try {
      const proj = await createProject(off);
      const p = await createPerson(off);
      const d = await createDeliverable(off, { projectId: proj.id, dueDate: '2026-12-18' });
      const a = await createAssignment(off, { projectId: proj.id, deliverableId: d.id, personId: p.id }, [
        { week: '2026-W50', hours: 8 },
      ]);
      const m = await loginAs(off, { role: 'manager' });
      const res = await request(off, m, 'PATCH', `/planning/deliverables/${d.id}`, { dueDate: '2027-01-15' });
      expect(res.body.reallocation).toMatchObject({
        applied: false,
        reason: expect.stringContaining('AUTO_REALLOCATION'),
      });
      const grid = await moduleServices(off, 'planning').assignments.hours(
        { userId: m.user.id, role: 'manager', scopes: ['read', 'write'] },
        a.id,
        { from: '2026-W48', to: '2027-W05' },
      );
      expect(grid.items).toEqual([{ week: '2026-W50', hours: 8 }]);
    } finally {
      await off.close();
    }
  });
});

describe('normalize-weekly-hours', () => {
  it('finds nothing to change in rows the constraints already keep clean', async () => {
    expect(await moduleServices(t, 'planning').normalize.preview()).toEqual([]);
  });
});
