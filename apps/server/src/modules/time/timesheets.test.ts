import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntry, timesheetWeek } from '../../../test/factories/time';
import { WEEK_2026_W48 } from '../../../test/fixtures/calendar';
import { type TimeWorld, timeWorld } from '../../../test/fixtures/time-world';
import { auditTrail, metricValue } from '../../../test/helpers';

let w: TimeWorld;
const H = 3600;

beforeAll(async () => {
  w = await timeWorld();
});
afterAll(() => w.t.close());

const book = (as: TimeWorld['employee'], startedAt: string, endedAt: string) =>
  createEntry(w.t, as, { startedAt, endedAt });

describe('weekly timesheet', () => {
  it("shows the caller's current week in their zone with seven days, target and totals", async () => {
    await book(w.employee, '2026-11-23T07:00:00Z', '2026-11-23T08:00:00Z');
    const res = await w.api(w.employee, 'GET', '/time/timesheets');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      personId: w.people.employee.id,
      week: '2026-W48',
      timeZone: 'Europe/Berlin',
      startsAt: '2026-11-22T23:00:00.000Z',
      endsAt: '2026-11-29T23:00:00.000Z',
      status: 'draft',
      editable: true,
    });
    expect(res.body.days.map((d: { date: string }) => d.date)).toEqual(WEEK_2026_W48);
    expect(res.body.totals).toMatchObject({
      workedSeconds: H,
      targetSeconds: 40 * H,
      balanceSeconds: -39 * H,
    });
    expect(res.body.entries).toHaveLength(1);
  });

  it('counts a 22:00–06:00 Berlin shift over the October DST change as 9 h, split at midnight', async () => {
    // 22:00 CEST = 20:00 UTC; 06:00 CET = 05:00 UTC.
    const shift = await book(w.employee, '2026-10-24T20:00:00Z', '2026-10-25T05:00:00Z');
    expect(shift.workedSeconds).toBe(9 * H);
    const sheet = await w.api(w.employee, 'GET', '/time/timesheets?week=2026-W43');
    const days = Object.fromEntries(
      sheet.body.days.map((d: { date: string; workedSeconds: number }) => [d.date, d.workedSeconds]),
    );
    expect(days['2026-10-24']).toBe(2 * H);
    expect(days['2026-10-25']).toBe(7 * H);
    expect(sheet.body.totals.workedSeconds).toBe(9 * H);
  });

  it('splits an entry across the week boundary into both weeks', async () => {
    // Sunday 22:00 to Monday 02:00 in Berlin.
    await book(w.colleague, '2026-11-15T21:00:00Z', '2026-11-16T01:00:00Z');
    const before = await w.api(w.colleague, 'GET', '/time/timesheets?week=2026-W46');
    const after = await w.api(w.colleague, 'GET', '/time/timesheets?week=2026-W47');
    expect(before.body.days[6]).toMatchObject({ date: '2026-11-15', workedSeconds: 2 * H, entryCount: 1 });
    expect(after.body.days[0]).toMatchObject({ date: '2026-11-16', workedSeconds: 2 * H, entryCount: 1 });
  });

  it('computes daily and weekly overtime with the configured rules', async () => {
    const put = await w.api(w.admin, 'PUT', '/time/settings', {
      rounding: { mode: 'none', minutes: 15 },
      overtime: { dailyThresholdMinutes: 8 * 60, weekly: true },
    });
    expect(put.status).toBe(200);
    // Five 9-hour days (Berlin) in week 45: 5 h daily overtime, 45 - 5 = 40 h: no weekly overtime.
    for (const d of ['02', '03', '04', '05', '06']) {
      await book(w.colleague, `2026-11-${d}T07:00:00Z`, `2026-11-${d}T16:00:00Z`);
    }
    await book(w.colleague, '2026-11-07T07:00:00Z', '2026-11-07T10:00:00Z');
    const sheet = await w.api(w.colleague, 'GET', '/time/timesheets?week=2026-W45');
    expect(sheet.body.days[0]).toMatchObject({ workedSeconds: 9 * H, overtimeSeconds: H });
    expect(sheet.body.totals).toMatchObject({
      workedSeconds: 48 * H,
      dailyOvertimeSeconds: 5 * H,
      weeklyOvertimeSeconds: 3 * H,
      overtimeSeconds: 8 * H,
    });
  });

  it('refuses a week the ISO calendar does not have and strangers’ sheets', async () => {
    const noSuchWeek = await w.api(w.employee, 'GET', '/time/timesheets?week=2025-W53');
    expect(noSuchWeek.status).toBe(422);
    expect(noSuchWeek.body.errors).toEqual([{ path: 'query.week', message: 'No such ISO week' }]);
    expect((await w.api(w.employee, 'GET', '/time/timesheets?week=2026-W99')).status).toBe(400);
    expect(
      (await w.api(w.outsider, 'GET', `/time/timesheets?person=${w.people.employee.id}&week=2026-W48`))
        .status,
    ).toBe(404);
    const managerView = await w.api(
      w.manager,
      'GET',
      `/time/timesheets?person=${w.people.employee.id}&week=2026-W48`,
    );
    expect(managerView.status).toBe(200);
  });
});

describe('approval workflow', () => {
  const week = '2026-W47';
  let entryId: string;

  it('submits a week, which then is read-only for the employee but not for the manager', async () => {
    const e = await book(w.employee, '2026-11-17T08:00:00Z', '2026-11-17T16:00:00Z');
    entryId = e.id;
    const submitted = await w.api(w.employee, 'POST', '/time/timesheets/submit', { week });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({
      status: 'submitted',
      editable: false,
      submittedAt: '2026-11-23T08:00:00.000Z',
    });
    const edit = await w.api(w.employee, 'PATCH', `/time/entries/${entryId}`, { note: 'late fix' });
    expect(edit.status).toBe(409);
    expect(edit.body).toMatchObject({
      week,
      weekStatus: 'submitted',
      detail: 'The week of 16–22 Nov 2026 is submitted for approval and cannot be changed',
    });
    const locked = { startedAt: '2026-11-18T08:00:00Z', endedAt: '2026-11-18T09:00:00Z' };
    expect((await w.api(w.employee, 'POST', '/time/entries', locked)).status).toBe(409);
    expect((await w.api(w.employee, 'DELETE', `/time/entries/${entryId}`)).status).toBe(409);
    expect((await w.api(w.employee, 'POST', '/time/timesheets/submit', { week })).status).toBe(409);
    const byManager = await w.api(w.manager, 'PATCH', `/time/entries/${entryId}`, { note: 'checked' });
    expect(byManager.status).toBe(200);
  });

  it('rejects with a comment, lets the employee fix and resubmit', async () => {
    const noComment = await w.api(w.manager, 'POST', '/time/timesheets/reject', {
      person: w.people.employee.id,
      week,
    });
    expect(noComment.status).toBe(400);
    const rejected = await w.api(w.manager, 'POST', '/time/timesheets/reject', {
      person: w.people.employee.id,
      week,
      comment: 'Tuesday is missing the project',
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', comment: 'Tuesday is missing the project' });
    // The employee's home page finds the week sent back, with the reason; nobody else's.
    expect((await w.api(w.employee, 'GET', '/time/timesheets/returned')).body.items).toEqual([
      { week, comment: 'Tuesday is missing the project', decidedAt: expect.any(String) },
    ]);
    expect((await w.api(w.colleague, 'GET', '/time/timesheets/returned')).body.items).toEqual([]);
    expect((await w.api(w.employee, 'PATCH', `/time/entries/${entryId}`, { note: 'fixed' })).status).toBe(
      200,
    );
    expect((await w.api(w.employee, 'POST', '/time/timesheets/submit', { week })).body.status).toBe(
      'submitted',
    );
    expect((await w.api(w.employee, 'GET', '/time/timesheets/returned')).body.items).toEqual([]);
  });

  it('approves once under concurrency; approved weeks are read-only for everyone until reopened', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 3 }, () =>
        w.api(w.manager, 'POST', '/time/timesheets/approve', { person: w.people.employee.id, week }),
      ),
    );
    expect(attempts.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(attempts.find((r) => r.status === 200)!.body).toMatchObject({
      status: 'approved',
      decidedBy: w.manager.user.id,
    });
    expect((await w.api(w.manager, 'PATCH', `/time/entries/${entryId}`, { note: 'again' })).status).toBe(409);
    expect((await w.api(w.admin, 'DELETE', `/time/entries/${entryId}`)).status).toBe(409);
    const reopened = await w.api(w.manager, 'POST', '/time/timesheets/reopen', {
      person: w.people.employee.id,
      week,
      comment: 'Payroll correction',
    });
    expect(reopened.body).toMatchObject({ status: 'draft', editable: true, comment: 'Payroll correction' });
    expect((await w.api(w.employee, 'PATCH', `/time/entries/${entryId}`, { note: 'corrected' })).status).toBe(
      200,
    );
  });

  it('keeps decisions to managers of the person, never on their own sheet', async () => {
    await book(w.manager, '2026-11-17T08:00:00Z', '2026-11-17T12:00:00Z');
    await timesheetWeek(w.t, w.manager, week, { status: 'submitted' });
    expect(
      (await w.api(w.manager, 'POST', '/time/timesheets/approve', { person: w.people.manager.id, week }))
        .status,
    ).toBe(403);
    expect(
      (await w.api(w.employee, 'POST', '/time/timesheets/approve', { person: w.people.employee.id, week }))
        .status,
    ).toBe(403);
    await book(w.outsider, '2026-11-17T14:00:00Z', '2026-11-17T18:00:00Z');
    await timesheetWeek(w.t, w.outsider, week, { status: 'submitted' });
    expect(
      (await w.api(w.manager, 'POST', '/time/timesheets/approve', { person: w.people.outsider.id, week }))
        .status,
    ).toBe(404);
  });

  it('lets the owner withdraw a submitted week until a manager decides', async () => {
    const w45 = { week: '2026-W45' };
    await book(w.employee, '2026-11-03T08:00:00Z', '2026-11-03T12:00:00Z');
    expect((await w.api(w.employee, 'POST', '/time/timesheets/submit', w45)).status).toBe(200);
    const byManager = await w.api(w.manager, 'POST', '/time/timesheets/withdraw', {
      ...w45,
      person: w.people.employee.id,
    });
    expect(byManager.status).toBe(403);
    const back = await w.api(w.employee, 'POST', '/time/timesheets/withdraw', w45);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ status: 'draft', editable: true, submittedAt: null });
    expect(await auditTrail(w.t, back.body.id, 'timesheet.withdrawn')).toHaveLength(1);

    await w.api(w.employee, 'POST', '/time/timesheets/submit', w45);
    await w.api(w.manager, 'POST', '/time/timesheets/approve', { ...w45, person: w.people.employee.id });
    const late = await w.api(w.employee, 'POST', '/time/timesheets/withdraw', w45);
    expect(late.status).toBe(409);
    expect(late.body.detail).toBe('The week of 2–8 Nov 2026 is approved and cannot be withdrawn');
  });

  it('refuses to submit a week while clocked in during it', async () => {
    await w.api(w.colleague, 'POST', '/time/clock-in');
    const res = await w.api(w.colleague, 'POST', '/time/timesheets/submit', { week: '2026-W48' });
    expect(res.status).toBe(409);
    w.clock.advance(60_000);
    await w.api(w.colleague, 'POST', '/time/clock-out');
  });

  it("lists the manager's team queue, and bulk-approves reporting each failure", async () => {
    await book(w.colleague, '2026-11-19T08:00:00Z', '2026-11-19T12:00:00Z');
    await timesheetWeek(w.t, w.colleague, week, { status: 'submitted' });
    const queue = await w.api(w.manager, 'GET', '/time/approvals');
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((i: { personId: string }) => i.personId)).toEqual([w.people.colleague.id]);
    expect(queue.body.items[0]).toMatchObject({
      week,
      status: 'submitted',
      teamId: w.teamId,
      workedSeconds: 6 * H,
    });
    const all = await w.api(w.admin, 'GET', `/time/approvals?week=${week}`);
    expect(all.body.items.map((i: { personId: string }) => i.personId).sort()).toEqual(
      [w.people.colleague.id, w.people.manager.id, w.people.outsider.id].sort(),
    );
    const outsiderSheet = all.body.items.find(
      (i: { personId: string }) => i.personId === w.people.outsider.id,
    );
    const approvedSheet = (
      await w.api(w.admin, 'GET', `/time/approvals?status=draft&week=${week}`)
    ).body.items.find((i: { personId: string }) => i.personId === w.people.employee.id);
    const ownSheet = all.body.items.find((i: { personId: string }) => i.personId === w.people.manager.id);
    const missing = '00000000-0000-4000-8000-00000000000f';
    const res = await w.api(w.manager, 'POST', '/time/approvals/approve', {
      ids: [queue.body.items[0].id, outsiderSheet.id, approvedSheet.id, ownSheet.id, missing],
    });
    expect(res.status).toBe(200);
    expect(res.body.approved).toEqual([queue.body.items[0].id]);
    // Each failure names its reason and the fields that word it, as a refused single approval would.
    const notFound = { code: 'not_found', detail: 'Timesheet not found', reason: 'timesheet_not_found' };
    expect(res.body.failed).toEqual([
      { id: outsiderSheet.id, ...notFound },
      {
        id: approvedSheet.id,
        code: 'conflict',
        detail: expect.stringMatching(/is still a draft and cannot be approved/),
        reason: 'week_closed',
        week,
        weekStatus: 'draft',
        action: 'approve',
      },
      {
        id: ownSheet.id,
        code: 'forbidden',
        detail: 'You cannot decide on your own timesheet',
        reason: 'timesheet_own_decision',
      },
      { id: missing, ...notFound },
    ]);
    expect((await w.api(w.employee, 'GET', '/time/approvals')).status).toBe(403);
  });

  it('counts status transitions on /metrics', async () => {
    const res = await w.t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toMatch(
      /clockpilot_time_timesheet_transitions_total\{from="submitted",to="approved"\} 3/,
    );
    expect(res.body).toMatch(
      /clockpilot_time_timesheet_transitions_total\{from="submitted",to="rejected"\} 1/,
    );
  });

  it('reports the submitted timesheets awaiting approval on /metrics, counted at scrape time', async () => {
    const awaiting = () => metricValue(w.t, 'clockpilot_time_timesheets_awaiting_approval');
    const before = await awaiting();
    const res = await w.api(w.employee, 'POST', '/time/timesheets/submit', { week: '2026-W30' });
    expect(res.status).toBe(200);
    expect(await awaiting()).toBe(before + 1);
  });
});
