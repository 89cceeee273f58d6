import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntry } from '../../../test/factories/time';
import { type TimeWorld, timeWorld } from '../../../test/fixtures/time-world';

let w: TimeWorld;
let projectA: { id: string; code: string };
let projectB: { id: string; code: string };
const range = 'from=2026-11-01&to=2026-11-30';

beforeAll(async () => {
  w = await timeWorld();
  projectA = await w.project({ billable: true });
  projectB = await w.project({ billable: false });
  await w.api(w.admin, 'PUT', '/time/settings', {
    rounding: { mode: 'nearest', minutes: 15 },
    overtime: { dailyThresholdMinutes: null, weekly: true },
  });
  // Berlin 09:00–17:07 with a 30-minute break: 7 h 37 min, rounded to 7 h 30 min.
  await createEntry(w.t, w.employee, {
    startedAt: '2026-11-02T08:00:00Z',
    endedAt: '2026-11-02T16:07:00Z',
    projectId: projectA.id,
    note: 'Sprint, "review"',
    breaks: [{ startedAt: '2026-11-02T11:00:00Z', endedAt: '2026-11-02T11:30:00Z' }],
  });
  // Berlin 23:00–03:00 with a break 00:30–00:45: one hour on the 3rd, 2 h 45 min on the 4th.
  await createEntry(w.t, w.colleague, {
    startedAt: '2026-11-03T22:00:00Z',
    endedAt: '2026-11-04T02:00:00Z',
    projectId: projectB.id,
    breaks: [{ startedAt: '2026-11-03T23:30:00Z', endedAt: '2026-11-03T23:45:00Z' }],
  });
  // New York 09:00–13:00 on the 2nd.
  await createEntry(w.t, w.outsider, { startedAt: '2026-11-02T14:00:00Z', endedAt: '2026-11-02T18:00:00Z' });
  // The October DST night in Berlin, outside the November range.
  await createEntry(w.t, w.employee, { startedAt: '2026-10-24T20:00:00Z', endedAt: '2026-10-25T05:00:00Z' });
});
afterAll(() => w.t.close());

type Row = {
  key: string | null;
  label: string;
  workedSeconds: number;
  roundedSeconds: number;
  billableSeconds: number;
};
const byKey = (rows: Row[]) => Object.fromEntries(rows.map((r) => [r.key ?? 'none', r]));

describe('summary report', () => {
  it('sums hours by person with rounding per entry and billable time, for admins over everyone', async () => {
    const res = await w.api(w.admin, 'GET', `/time/reports/summary?${range}&groupBy=person`);
    expect(res.status).toBe(200);
    expect(res.body.rounding).toEqual({ mode: 'nearest', minutes: 15 });
    const rows = byKey(res.body.rows);
    expect(rows[w.people.employee.id]).toMatchObject({
      label: w.people.employee.name,
      workedSeconds: 27_420,
      roundedSeconds: 27_000,
      billableSeconds: 27_000,
      hours: 7.5,
      entryCount: 1,
    });
    expect(rows[w.people.colleague.id]).toMatchObject({ workedSeconds: 13_500, billableSeconds: 0 });
    expect(rows[w.people.outsider.id]).toMatchObject({ workedSeconds: 14_400 });
    expect(res.body.totals).toEqual({
      workedSeconds: 55_320,
      roundedSeconds: 54_900,
      billableSeconds: 27_000,
      hours: 15.25,
      entryCount: 3,
    });
  });

  it('splits entries at local midnight when grouping by day, and counts the DST day by real time', async () => {
    const res = await w.api(w.admin, 'GET', `/time/reports/summary?${range}&groupBy=day`);
    const rows = byKey(res.body.rows);
    expect(Object.keys(rows)).toEqual(['2026-11-02', '2026-11-03', '2026-11-04']);
    expect(rows['2026-11-02']).toMatchObject({ workedSeconds: 41_820, roundedSeconds: 41_400 });
    expect(rows['2026-11-03']).toMatchObject({ workedSeconds: 3600, entryCount: 1 });
    expect(rows['2026-11-04']).toMatchObject({ workedSeconds: 9900, entryCount: 1 });
    expect(res.body.totals.entryCount).toBe(3);
    const dst = await w.api(
      w.admin,
      'GET',
      `/time/reports/summary?from=2026-10-24&to=2026-10-25&groupBy=day&person=${w.people.employee.id}`,
    );
    expect(dst.body.rows.map((r: Row) => [r.key, r.workedSeconds])).toEqual([
      ['2026-10-24', 7200],
      ['2026-10-25', 25_200],
    ]);
    const week = await w.api(w.admin, 'GET', `/time/reports/summary?${range}&groupBy=week`);
    expect(week.body.rows.map((r: Row) => r.key)).toEqual(['2026-W45']);
  });

  it('groups by project and activity with readable labels', async () => {
    const res = await w.api(w.admin, 'GET', `/time/reports/summary?${range}&groupBy=project`);
    const rows = byKey(res.body.rows);
    expect(rows[projectA.id]!.label).toBe(`${projectA.code} Project ${projectA.code}`);
    expect(rows[projectB.id]!.workedSeconds).toBe(13_500);
    expect(rows.none).toMatchObject({ label: 'No project', workedSeconds: 14_400 });
    const act = await w.api(w.admin, 'GET', `/time/reports/summary?${range}&groupBy=activity`);
    expect(act.body.rows).toEqual([
      expect.objectContaining({ key: null, label: 'No activity', workedSeconds: 55_320 }),
    ]);
  });

  it('filters by team, project and billable', async () => {
    const team = await w.api(w.admin, 'GET', `/time/reports/summary?${range}&team=${w.teamId}`);
    expect(team.body.rows.map((r: Row) => r.key).sort()).toEqual(
      [w.people.colleague.id, w.people.employee.id].sort(),
    );
    const billable = await w.api(w.admin, 'GET', `/time/reports/summary?${range}&billable=true`);
    expect(billable.body.rows.map((r: Row) => r.key)).toEqual([w.people.employee.id]);
    const project = await w.api(w.admin, 'GET', `/time/reports/summary?${range}&project=${projectB.id}`);
    expect(project.body.rows.map((r: Row) => r.key)).toEqual([w.people.colleague.id]);
  });

  it("shows a manager only their teams' time, and no one else's", async () => {
    const res = await w.api(w.manager, 'GET', `/time/reports/summary?${range}`);
    expect(res.body.rows.map((r: Row) => r.key).sort()).toEqual(
      [w.people.colleague.id, w.people.employee.id].sort(),
    );
    expect(
      (await w.api(w.manager, 'GET', `/time/reports/summary?${range}&person=${w.people.outsider.id}`)).status,
    ).toBe(403);
    expect((await w.api(w.employee, 'GET', `/time/reports/summary?${range}`)).status).toBe(403);
  });

  it('refuses a reversed or too long range', async () => {
    const reversed = await w.api(w.admin, 'GET', '/time/reports/summary?from=2026-11-30&to=2026-11-01');
    expect(reversed.status).toBe(422);
    expect(reversed.body.errors[0].path).toBe('query.to');
    expect((await w.api(w.admin, 'GET', '/time/reports/summary?from=2025-01-01&to=2026-11-01')).status).toBe(
      422,
    );
  });
});

describe('exports', () => {
  it('streams CSV with local times, breaks, raw and rounded hours', async () => {
    const res = await w.api(w.admin, 'GET', `/time/exports?format=csv&${range}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="time-2026-11-01-2026-11-30.csv"');
    // A UTF-8 byte order mark first, so spreadsheet programs do not garble accents and emoji.
    expect(res.raw.charCodeAt(0)).toBe(0xfeff);
    const lines = res.raw.slice(1).trim().split('\n');
    expect(lines[0]).toBe(
      'Date,Person,Employee number,Project code,Project,Activity,Start,End,Time zone,Break (min),Hours,Rounded hours,Billable,Note',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(
      `2026-11-02,${w.people.employee.name},,${projectA.code},Project ${projectA.code},,2026-11-02 09:00,2026-11-02 17:07,Europe/Berlin,30,7.62,7.5,yes,"Sprint, ""review"""`,
    );
    expect(lines[2]).toContain('2026-11-02 09:00,2026-11-02 13:00,America/New_York,0,4,4,no,');
    expect(lines[3]).toContain('2026-11-03 23:00,2026-11-04 03:00,Europe/Berlin');
  });

  it('streams XLSX that a spreadsheet reader opens, limited to the manager’s teams', async () => {
    const res = await w.t.app.inject({
      method: 'GET',
      url: `/api/v1/time/exports?format=xlsx&${range}`,
      headers: w.manager.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Time')!;
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(1).getCell(1).value).toBe('Date');
    expect(sheet.getRow(2).getCell(2).value).toBe(w.people.employee.name);
    expect(sheet.getRow(2).getCell(12).value).toBe(7.5);
    // Dates and times are date cells showing the entry's local wall-clock time, not text.
    expect(sheet.getRow(2).getCell(1).value).toEqual(new Date('2026-11-02T00:00:00Z'));
    expect(sheet.getRow(2).getCell(1).numFmt).toBe('yyyy-mm-dd');
    expect(sheet.getRow(2).getCell(7).value).toEqual(new Date('2026-11-02T09:00:00Z'));
    expect(sheet.getRow(2).getCell(8).numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(sheet.getRow(3).getCell(2).value).toBe(w.people.colleague.name);
  });

  it('records export durations', async () => {
    const res = await w.t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toMatch(/clockpilot_time_export_duration_seconds_count\{format="csv"\} 1/);
    expect(res.body).toMatch(/clockpilot_time_export_duration_seconds_count\{format="xlsx"\} 1/);
  });
});
