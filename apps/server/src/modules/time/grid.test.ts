import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntry, timesheetWeek } from '../../../test/factories/time';
import { type TimeWorld, timeWorld } from '../../../test/fixtures/time-world';
import { auditTrail } from '../../../test/helpers';

let w: TimeWorld;

beforeAll(async () => {
  w = await timeWorld();
});
afterAll(() => w.t.close());

type Cell = { projectId: string | null; date: string; seconds: number };
const save = (as: TimeWorld['employee'], week: string, cells: Cell[], person?: string) =>
  w.api(as, 'PUT', '/time/timesheets/grid', { week, cells, ...(person ? { person } : {}) });
type Entry = { id: string; startedAt: string; endedAt: string; projectId: string | null; billable: boolean };
const entriesOf = async (as: TimeWorld['employee'], week: string) =>
  (await w.api(as, 'GET', `/time/timesheets?week=${week}`)).body.entries as Entry[];
const H = 3600;

describe('weekly grid', () => {
  it('creates, lengthens, shortens and deletes entries from typed totals', async () => {
    const p = await w.project({ billable: true });
    // Mon 7 Dec 2026 (W50) in Berlin: an entry 08:00–10:00 local of another project already there.
    await createEntry(w.t, w.employee, {
      startedAt: '2026-12-07T07:00:00Z',
      endedAt: '2026-12-07T09:00:00Z',
    });
    const first = await save(w.employee, '2026-W50', [
      { projectId: p.id, date: '2026-12-07', seconds: 3 * H },
      { projectId: p.id, date: '2026-12-08', seconds: 1.5 * H },
    ]);
    expect(first.status).toBe(200);
    expect(first.body.week).toBe('2026-W50');
    expect(first.body.totals.workedSeconds).toBe(6.5 * H);
    const made = (await entriesOf(w.employee, '2026-W50')).filter((e) => e.projectId === p.id);
    // Monday's starts after the day's last entry; Tuesday's, with nothing before it, at 09:00 local.
    expect(made.map((e) => [e.startedAt, e.endedAt, e.billable])).toEqual([
      ['2026-12-07T09:00:00.000Z', '2026-12-07T12:00:00.000Z', true],
      ['2026-12-08T08:00:00.000Z', '2026-12-08T09:30:00.000Z', true],
    ]);
    const second = await save(w.employee, '2026-W50', [
      { projectId: p.id, date: '2026-12-07', seconds: 4 * H },
      { projectId: p.id, date: '2026-12-08', seconds: 0 },
    ]);
    expect(second.status).toBe(200);
    const after = (await entriesOf(w.employee, '2026-W50')).filter((e) => e.projectId === p.id);
    expect(after).toEqual([
      expect.objectContaining({ id: made[0]!.id, endedAt: '2026-12-07T13:00:00.000Z' }),
    ]);
    expect(await auditTrail(w.t, made[1]!.id, 'time_entry.deleted')).toHaveLength(1);
    expect(await auditTrail(w.t, made[0]!.id, 'time_entry.updated')).toHaveLength(1);
  });

  it('takes time off the last entry of a cell and keeps its breaks', async () => {
    const p = await w.project();
    await createEntry(w.t, w.colleague, {
      startedAt: '2026-12-09T07:00:00Z',
      endedAt: '2026-12-09T12:00:00Z',
      projectId: p.id,
      breaks: [{ startedAt: '2026-12-09T09:00:00Z', endedAt: '2026-12-09T09:30:00Z' }],
    });
    const res = await save(w.colleague, '2026-W50', [
      { projectId: p.id, date: '2026-12-09', seconds: 4 * H },
    ]);
    expect(res.status).toBe(200);
    const [e] = await entriesOf(w.colleague, '2026-W50');
    expect(e).toMatchObject({
      endedAt: '2026-12-09T11:30:00.000Z',
      workedSeconds: 4 * H,
      breakSeconds: 1800,
    });
  });

  it('names every cell it cannot apply (422) and keeps nothing of the others', async () => {
    const p = await w.project();
    const archived = await w.project({ status: 'archived' });
    await createEntry(w.t, w.employee, {
      startedAt: '2026-12-14T08:00:00Z',
      endedAt: '2026-12-14T16:00:00Z',
      projectId: p.id,
      breaks: [{ startedAt: '2026-12-14T11:00:00Z', endedAt: '2026-12-14T11:30:00Z' }],
    });
    const res = await save(w.employee, '2026-W51', [
      { projectId: p.id, date: '2026-12-15', seconds: 2 * H },
      { projectId: p.id, date: '2026-12-14', seconds: 1 * H },
      { projectId: archived.id, date: '2026-12-16', seconds: H },
      { projectId: null, date: '2026-12-17', seconds: 16 * H },
    ]);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        path: 'body.cells.1.seconds',
        message: 'The entry has a break in the time taken off: change it in the list',
      },
      { path: 'body.cells.2.seconds', message: `Project ${archived.code} is archived` },
      { path: 'body.cells.3.seconds', message: '16:00 do not fit into Thu 17 Dec 2026 after 09:00' },
    ]);
    // Tuesday's cell was fine, but nothing of the grid was kept.
    expect(await entriesOf(w.employee, '2026-W51')).toHaveLength(1);
  });

  it('names the cell of a day outside the week, a cell given twice (422) or a bad number (400)', async () => {
    const res = await save(w.employee, '2026-W51', [
      { projectId: null, date: '2026-12-21', seconds: H },
      { projectId: null, date: '2026-12-15', seconds: H },
      { projectId: null, date: '2026-12-15', seconds: 2 * H },
    ]);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: 'body.cells.0.date', message: 'This day is not in the week' },
      { path: 'body.cells.2', message: 'This cell is given twice' },
    ]);
    const bad = await save(w.employee, '2026-W51', [{ projectId: null, date: '2026-12-15', seconds: -1 }]);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('body.cells.0.seconds');
  });

  it('refuses lengthening into the next entry with the entry named', async () => {
    const p = await w.project();
    await createEntry(w.t, w.colleague, {
      startedAt: '2026-12-16T08:00:00Z',
      endedAt: '2026-12-16T10:00:00Z',
      projectId: p.id,
    });
    await createEntry(w.t, w.colleague, {
      startedAt: '2026-12-16T11:00:00Z',
      endedAt: '2026-12-16T12:00:00Z',
    });
    const res = await save(w.colleague, '2026-W51', [
      { projectId: p.id, date: '2026-12-16', seconds: 4 * H },
    ]);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: 'body.cells.0.seconds', message: 'Overlaps the entry 12:00–13:00 on Wed 16 Dec' },
    ]);
  });

  it('refuses a submitted week (409) and a locked one (423)', async () => {
    await timesheetWeek(w.t, w.employee, '2026-W49', { status: 'submitted' });
    const submitted = await save(w.employee, '2026-W49', [
      { projectId: null, date: '2026-12-01', seconds: H },
    ]);
    expect(submitted.status).toBe(409);
    expect(submitted.body).toMatchObject({ week: '2026-W49', weekStatus: 'submitted' });
    expect((await w.api(w.admin, 'POST', '/time/locks', { before: '2026-11-25' })).status).toBe(201);
    const locked = await save(w.colleague, '2026-W48', [{ projectId: null, date: '2026-11-24', seconds: H }]);
    expect(locked.status).toBe(423);
    expect(locked.body.detail).toBe('Time before Wed 25 Nov 2026 is locked');
    expect(await entriesOf(w.colleague, '2026-W48')).toEqual([]);
  });

  it("lets a manager fill a team member's grid, and nobody else", async () => {
    const res = await save(
      w.manager,
      '2026-W52',
      [{ projectId: null, date: '2026-12-21', seconds: H }],
      w.people.colleague.id,
    );
    expect(res.status).toBe(200);
    expect(res.body.personId).toBe(w.people.colleague.id);
    const stranger = await save(
      w.outsider,
      '2026-W52',
      [{ projectId: null, date: '2026-12-22', seconds: H }],
      w.people.colleague.id,
    );
    expect(stranger.status).toBe(403);
  });
});
