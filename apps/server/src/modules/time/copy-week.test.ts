import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntry, timesheetWeek } from '../../../test/factories/time';
import { type TimeWorld, timeWorld } from '../../../test/fixtures/time-world';
import { auditTrail } from '../../../test/helpers';

let w: TimeWorld;

beforeAll(async () => {
  w = await timeWorld();
});
afterAll(() => w.t.close());

const copy = (as: TimeWorld['employee'], week: string, person?: string) =>
  w.api(as, 'POST', '/time/timesheets/copy-previous', { week, ...(person ? { person } : {}) });
const entriesOf = async (as: TimeWorld['employee'], week: string) =>
  (await w.api(as, 'GET', `/time/timesheets?week=${week}`)).body.entries as Array<{
    startedAt: string;
    endedAt: string;
    projectId: string | null;
    note: string | null;
    breaks: Array<{ startedAt: string; endedAt: string }>;
  }>;

describe('copy last week', () => {
  it('copies entries with project, note and breaks seven local days later, across the DST change', async () => {
    const p = await w.project();
    // Mon 19 Oct 2026 09:00–17:00 CEST with a 12:00–12:30 break; the next Monday is CET.
    await createEntry(w.t, w.employee, {
      startedAt: '2026-10-19T07:00:00Z',
      endedAt: '2026-10-19T15:00:00Z',
      projectId: p.id,
      note: 'Sprint',
      breaks: [{ startedAt: '2026-10-19T10:00:00Z', endedAt: '2026-10-19T10:30:00Z' }],
    });
    const res = await copy(w.employee, '2026-W44');
    expect(res.status).toBe(200);
    expect(res.body.skipped).toEqual([]);
    expect(res.body.copied).toHaveLength(1);
    const [made] = await entriesOf(w.employee, '2026-W44');
    // 09:00 on the wall clock again, which is 08:00 UTC in winter time.
    expect(made).toMatchObject({
      startedAt: '2026-10-26T08:00:00.000Z',
      endedAt: '2026-10-26T16:00:00.000Z',
      projectId: p.id,
      note: 'Sprint',
      breaks: [{ startedAt: '2026-10-26T11:00:00.000Z', endedAt: '2026-10-26T11:30:00.000Z' }],
    });
    const [audit] = await auditTrail(w.t, w.people.employee.id, 'timesheet.copied');
    expect(audit?.after).toMatchObject({ week: '2026-W44', entries: [res.body.copied[0].id] });
  });

  it('leaves out copies that would overlap an entry already there and says which', async () => {
    await createEntry(w.t, w.colleague, {
      startedAt: '2026-11-02T08:00:00Z',
      endedAt: '2026-11-02T10:00:00Z',
    });
    await createEntry(w.t, w.colleague, {
      startedAt: '2026-11-03T08:00:00Z',
      endedAt: '2026-11-03T10:00:00Z',
    });
    // Already booked on Monday of the target week, 09:30–11:00 Berlin.
    await createEntry(w.t, w.colleague, {
      startedAt: '2026-11-09T08:30:00Z',
      endedAt: '2026-11-09T10:00:00Z',
    });
    const res = await copy(w.colleague, '2026-W46');
    expect(res.status).toBe(200);
    expect(res.body.copied.map((e: { startedAt: string }) => e.startedAt)).toEqual([
      '2026-11-10T08:00:00.000Z',
    ]);
    expect(res.body.skipped).toEqual([
      {
        sourceId: expect.any(String),
        startedAt: '2026-11-02T08:00:00.000Z',
        reason: 'overlap',
        message: 'Overlaps the entry 09:30–11:00 on Mon 9 Nov',
      },
    ]);
    // Copying again makes nothing new: every copy now overlaps itself.
    const again = await copy(w.colleague, '2026-W46');
    expect(again.body.copied).toEqual([]);
    expect(again.body.skipped).toHaveLength(2);
    expect(await entriesOf(w.colleague, '2026-W46')).toHaveLength(2);
  });

  it('refuses a submitted week with the reason and copies nothing', async () => {
    await createEntry(w.t, w.employee, {
      startedAt: '2026-11-02T08:00:00Z',
      endedAt: '2026-11-02T09:00:00Z',
    });
    await timesheetWeek(w.t, w.employee, '2026-W46', { status: 'submitted' });
    const res = await copy(w.employee, '2026-W46');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      detail: 'The week of 9–15 Nov 2026 is submitted for approval and cannot be changed',
      reason: 'week_closed',
      week: '2026-W46',
      weekStatus: 'submitted',
    });
    expect(await entriesOf(w.employee, '2026-W46')).toEqual([]);
  });

  it('refuses a week before the period lock with 423', async () => {
    await createEntry(w.t, w.employee, {
      startedAt: '2026-10-05T08:00:00Z',
      endedAt: '2026-10-05T09:00:00Z',
    });
    expect((await w.api(w.admin, 'POST', '/time/locks', { before: '2026-10-15' })).status).toBe(201);
    const res = await copy(w.employee, '2026-W42');
    expect(res.status).toBe(423);
    expect(res.body.detail).toBe('Time before Thu 15 Oct 2026 is locked');
    expect(await entriesOf(w.employee, '2026-W42')).toEqual([]);
  });

  it("lets a manager copy a team member's week, and nobody else's", async () => {
    await createEntry(w.t, w.colleague, {
      startedAt: '2026-11-16T08:00:00Z',
      endedAt: '2026-11-16T09:00:00Z',
    });
    const res = await copy(w.manager, '2026-W48', w.people.colleague.id);
    expect(res.status).toBe(200);
    expect(res.body.copied).toHaveLength(1);
    expect((await copy(w.outsider, '2026-W48', w.people.colleague.id)).status).toBe(403);
  });

  it('answers 422 for a week the calendar lacks', async () => {
    const res = await copy(w.employee, '2025-W53');
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: 'body.week', message: 'No such ISO week' }]);
  });
});
