import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TimeWorld, timeWorld } from '../../../test/fixtures/time-world';

let w: TimeWorld;
const H = 3_600_000;

beforeAll(async () => {
  w = await timeWorld();
});
afterAll(() => w.t.close());

describe('clock in and out', () => {
  it('clocks in once; a second clock-in answers 409 naming the open entry', async () => {
    const { api, employee } = w;
    const first = await api(employee, 'POST', '/time/clock-in', { note: 'Early shift' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      personId: w.people.employee.id,
      startedAt: '2026-11-23T08:00:00.000Z',
      endedAt: null,
      timeZone: 'Europe/Berlin',
      source: 'clock',
      note: 'Early shift',
    });
    const again = await api(employee, 'POST', '/time/clock-in');
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(again.body).toMatchObject({ code: 'conflict', detail: 'Already clocked in' });
    expect(again.body.conflict.id).toBe(first.body.id);

    w.clock.advance(2 * H);
    const status = await api(employee, 'GET', '/time/status');
    expect(status.body).toMatchObject({
      state: 'in',
      forgotten: false,
      todaySeconds: 7200,
      weekSeconds: 7200,
    });
    expect(status.body.openEntry.id).toBe(first.body.id);
  });

  it('breaks pause the worked time, and clocking out closes a running break', async () => {
    const { api, employee, clock } = w;
    const start = await api(employee, 'POST', '/time/break/start');
    expect(start.status).toBe(200);
    expect((await api(employee, 'POST', '/time/break/start')).body).toMatchObject({
      code: 'conflict',
      detail: 'A break is already running',
    });
    clock.advance(30 * 60_000);
    const onBreak = await api(employee, 'GET', '/time/status');
    expect(onBreak.body).toMatchObject({ state: 'break', todaySeconds: 7200 });
    expect(onBreak.body.runningBreak.startedAt).toBe('2026-11-23T10:00:00.000Z');
    expect((await api(employee, 'POST', '/time/break/end')).status).toBe(200);
    expect((await api(employee, 'POST', '/time/break/end')).body.detail).toBe('No break is running');

    clock.advance(H);
    await api(employee, 'POST', '/time/break/start');
    clock.advance(15 * 60_000);
    const out = await api(employee, 'POST', '/time/clock-out');
    expect(out.status).toBe(200);
    expect(out.body.endedAt).toBe('2026-11-23T11:45:00.000Z');
    expect(out.body.breaks).toHaveLength(2);
    expect(out.body.breaks.every((b: { endedAt: string | null }) => b.endedAt !== null)).toBe(true);
    // 3 h 45 min elapsed, 45 min of breaks.
    expect(out.body).toMatchObject({ breakSeconds: 2700, workedSeconds: 10_800 });
    const status = await api(employee, 'GET', '/time/status');
    expect(status.body).toMatchObject({ state: 'out', openEntry: null, todaySeconds: 10_800 });
  });

  it('refuses clocking out or a break when not clocked in', async () => {
    const { api, employee } = w;
    expect((await api(employee, 'POST', '/time/clock-out')).body).toMatchObject({
      status: 409,
      detail: 'Not clocked in',
    });
    expect((await api(employee, 'POST', '/time/break/start')).status).toBe(409);
  });

  it('lets exactly one of many simultaneous clock-ins succeed', async () => {
    const { api, colleague, clock } = w;
    clock.advance(H);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => api(colleague, 'POST', '/time/clock-in')),
    );
    const codes = results.map((r) => r.status).sort();
    expect(codes).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.detail).toBe('Already clocked in');
  });

  it('lets exactly one of simultaneous clock-outs succeed', async () => {
    const { api, colleague, clock } = w;
    clock.advance(H);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => api(colleague, 'POST', '/time/clock-out')),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
  });

  it('refuses an unknown or archived project with field errors', async () => {
    const { api, outsider } = w;
    const unknown = await api(outsider, 'POST', '/time/clock-in', {
      projectId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([
      { path: 'body.projectId', code: 'unknown_project', message: 'No such project' },
    ]);
    const archived = await w.project({ status: 'archived' });
    const res = await api(outsider, 'POST', '/time/clock-in', { projectId: archived.id });
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({
      path: 'body.projectId',
      code: 'project_archived',
      message: `Project ${archived.code} is archived`,
    });
  });

  it('takes the billable flag from the project', async () => {
    const { api, outsider } = w;
    const p = await w.project({ billable: true });
    const res = await api(outsider, 'POST', '/time/clock-in', { projectId: p.id });
    expect(res.body).toMatchObject({ projectId: p.id, billable: true });
    w.clock.advance(60_000);
    expect((await api(outsider, 'POST', '/time/clock-out')).status).toBe(200);
  });
});

describe('forgotten clock-outs', () => {
  it('flags an entry open longer than TIME_MAX_ENTRY_HOURS and makes it be fixed by editing', async () => {
    const { api, manager, clock } = w;
    const opened = await api(manager, 'POST', '/time/clock-in');
    clock.advance(25 * H);
    await w.relogin();
    const status = await api(manager, 'GET', '/time/status');
    expect(status.body).toMatchObject({ state: 'in', forgotten: true });
    const out = await api(manager, 'POST', '/time/clock-out');
    expect(out.status).toBe(422);
    expect(out.body.entryId).toBe(opened.body.id);
    const fixed = await api(manager, 'PATCH', `/time/entries/${opened.body.id}`, {
      endedAt: new Date(Date.parse(opened.body.startedAt) + 8 * H).toISOString(),
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.workedSeconds).toBe(8 * 3600);
    expect((await api(manager, 'GET', '/time/status')).body.state).toBe('out');
  });
});

describe('presence and metrics', () => {
  it('shows a manager who of their team is in or on a break, and refuses employees', async () => {
    const { api, manager, employee, colleague, outsider } = w;
    await api(employee, 'POST', '/time/clock-in');
    await api(colleague, 'POST', '/time/clock-in');
    w.clock.advance(60_000);
    await api(colleague, 'POST', '/time/break/start');
    await api(outsider, 'POST', '/time/clock-in');
    const res = await api(manager, 'GET', '/time/presence');
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({ in: 1, break: 1 });
    expect(res.body.teams).toHaveLength(1);
    expect(res.body.teams[0].teamId).toBe(w.teamId);
    const states = Object.fromEntries(
      res.body.teams[0].people.map((p: { personId: string; state: string }) => [p.personId, p.state]),
    );
    expect(states).toEqual({ [w.people.employee.id]: 'in', [w.people.colleague.id]: 'break' });
    const all = await api(w.admin, 'GET', '/time/presence');
    expect(all.body.counts).toEqual({ in: 2, break: 1 });
    expect((await api(employee, 'GET', '/time/presence')).status).toBe(403);
  });

  it('counts clock events and people clocked in on /metrics', async () => {
    const res = await w.t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toMatch(/clockpilot_time_clock_events_total\{type="clock_in"\} [1-9]/);
    expect(res.body).toMatch(/clockpilot_time_clock_events_total\{type="break_end"\} 1/);
    expect(res.body).toContain('clockpilot_time_clocked_in{state="working"} 2');
    expect(res.body).toContain('clockpilot_time_clocked_in{state="on_break"} 1');
  });
});

describe('entries booked ahead', () => {
  const at = (ms: number) => new Date(w.clock.now().getTime() + ms).toISOString();

  it('clocks in before a future entry, refuses entries in the time already run, and ends at the next entry', async () => {
    const { api, admin, clock } = w;
    const ahead = await api(admin, 'POST', '/time/entries', { startedAt: at(2 * H), endedAt: at(3 * H) });
    expect(ahead.status).toBe(201);
    const opened = await api(admin, 'POST', '/time/clock-in');
    expect(opened.status).toBe(201);

    clock.advance(H);
    const inside = await api(admin, 'POST', '/time/entries', { startedAt: at(-H / 2), endedAt: at(-H / 4) });
    expect(inside.status).toBe(409);
    expect(inside.body.conflict.id).toBe(opened.body.id);
    const later = await api(admin, 'POST', '/time/entries', { startedAt: at(4 * H), endedAt: at(5 * H) });
    expect(later.status).toBe(201);

    // A break running past the entry booked ahead ends with the clock-out, where that entry starts.
    clock.advance(H / 2);
    await api(admin, 'POST', '/time/break/start');
    clock.advance(H);
    const out = await api(admin, 'POST', '/time/clock-out');
    expect(out.status).toBe(200);
    expect(out.body.endedAt).toBe(ahead.body.startedAt);
    expect(out.body.breaks).toEqual([
      expect.objectContaining({ startedAt: at(-H), endedAt: ahead.body.startedAt }),
    ]);
    expect(out.body).toMatchObject({ workedSeconds: 5400, breakSeconds: 1800 });
  });

  it('refuses clocking in inside an entry that has started', async () => {
    const res = await w.api(w.admin, 'POST', '/time/clock-in');
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/^Overlaps the entry \d\d:\d\d–\d\d:\d\d on /);
  });
});

describe('API description', () => {
  it('lists every time route in the OpenAPI document', async () => {
    const res = await w.t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths).filter((p) => p.startsWith('/api/v1/time/'));
    expect(paths.sort()).toEqual(
      [
        'approvals',
        'approvals/approve',
        'break/end',
        'break/start',
        'clock-in',
        'clock-out',
        'entries',
        'entries/{id}',
        'exports',
        'locks',
        'locks/{id}',
        'presence',
        'reports/summary',
        'settings',
        'status',
        'timesheets',
        'timesheets/approve',
        'timesheets/copy-previous',
        'timesheets/grid',
        'timesheets/reject',
        'timesheets/reopen',
        'timesheets/returned',
        'timesheets/submit',
        'timesheets/withdraw',
      ].map((p) => `/api/v1/time/${p}`),
    );
  });
});
