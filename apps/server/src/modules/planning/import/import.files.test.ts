import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TImportKind, TImportOptions } from '@clockpilot/contracts';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, createProject } from '../../../../test/factories/directory';
import { ACTOR } from '../../../../test/factories/planning';
import {
  OPENPYXL_PEOPLE,
  OPENPYXL_TRACKER,
  OPENPYXL_TRACKER_1904,
  writeXlsx,
} from '../../../../test/fixtures/tabular/files';
import { createTestApp, moduleServices, type TestApp } from '../../../../test/helpers';

/** Dry runs of files written by other programs than ours: each is read as meant, or refused naming the cell. */
let t: TestApp;
let dir: string;

beforeAll(async () => {
  t = await createTestApp();
  dir = await mkdtemp(join(tmpdir(), 'clockpilot-import-files-'));
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

const by = { role: 'admin' as const, actor: ACTOR };

/** Runs an import of a file (a dry run unless told) to its end and answers the run with its errors. */
async function importFile(
  kind: TImportKind,
  filePath: string,
  { dryRun = true, ...options }: TImportOptions & { dryRun?: boolean } = {},
) {
  const imports = moduleServices(t, 'planning').imports;
  const run = await imports.create(by, { kind, dryRun, fileName: 'file', filePath, options }, false);
  await imports.run(run.id, by);
  return imports.get(run.id, { limit: 100 });
}

/** A queued run (its job works it) once it has ended. */
async function settled(id: string) {
  const imports = moduleServices(t, 'planning').imports;
  for (;;) {
    const run = await imports.get(id, { limit: 100 });
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('.xlsx written by openpyxl', () => {
  it('refuses a formula saved without its result in a mapped column, naming row and column', async () => {
    // Carla's "Weekly capacity" is `=20+17.5`, which openpyxl writes without calculating it.
    const run = await importFile('people', OPENPYXL_PEOPLE);
    expect(run.errors.items).toEqual([
      {
        row: 4,
        column: 'Weekly capacity',
        value: '=20+17.5',
        message: expect.stringMatching(/formula .*no saved result/),
      },
    ]);
    expect(run.counts).toEqual({ created: 3, updated: 0, unchanged: 0, failed: 1 });
  });
});

describe('the Workload Tracker layout', () => {
  it('imports a workbook openpyxl wrote, in either date system, week by week', async () => {
    await createPerson(t, { name: 'Tracy Tracker', email: 'trk@files.test' });
    await createProject(t, { code: 'TRK-1' });
    const applied = await importFile('assignments', OPENPYXL_TRACKER, { dryRun: false });
    expect(applied).toMatchObject({ status: 'succeeded', counts: { created: 4, failed: 0 } });
    expect(applied.columns.map((c) => c.field)).toEqual([
      'email',
      'projectCode',
      'week',
      'hours',
      'tentative',
      null,
      'note',
    ]);
    const hours = await t.runtime.ctx.db.execute(
      sql`select w.week_start::text as week, w.hours::float as hours from planning_weekly_hours w
          join planning_assignments a on a.id = w.assignment_id join people p on p.id = a.person_id
          where p.email = 'trk@files.test' order by 1`,
    );
    expect((hours as unknown as { rows: unknown[] }).rows).toEqual([
      { week: '2027-02-01', hours: 16 },
      { week: '2027-02-08', hours: 7.5 },
      { week: '2027-02-15', hours: 4.25 },
      { week: '2027-02-22', hours: 8 },
    ]);
    // The same sheet saved with 1904 dates reads the same weeks: nothing would change.
    expect((await importFile('assignments', OPENPYXL_TRACKER_1904)).counts).toEqual({
      created: 0,
      updated: 0,
      unchanged: 4,
      failed: 0,
    });
  });

  const header = ['Full name', 'E-mail', 'Weekly capacity'];
  const people = [
    ['Ivy Title', 'ivy@files.test', 32],
    ['Jon Title', 'jon@files.test', 'forty'],
  ];

  it('finds the header under a title and a blank row, and numbers rows as in the sheet', async () => {
    const path = await writeXlsx(join(dir, 'titled.xlsx'), {
      Tracker: [['Workload Tracker — people, Q1 2027'], [], header, ...people],
    });
    const run = await importFile('people', path);
    expect(run.status).toBe('succeeded');
    expect(run.columns.map((c) => c.field)).toEqual(['name', 'email', 'weeklyCapacity']);
    expect(run.counts).toEqual({ created: 1, updated: 0, unchanged: 0, failed: 1 });
    expect(run.errors.items).toEqual([
      { row: 5, column: 'Weekly capacity', value: 'forty', message: 'Not a number' },
    ]);
  });

  it('reads the first visible sheet, not a hidden one before it', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Last year', { state: 'hidden' }).addRows([header, people[1]!]);
    wb.addWorksheet('People').addRows([header, people[0]!]);
    const path = join(dir, 'hidden.xlsx');
    await wb.xlsx.writeFile(path);
    const run = await importFile('people', path);
    expect(run).toMatchObject({ status: 'succeeded', counts: { created: 1, failed: 0 } });
    // Named, a hidden sheet is read.
    expect((await importFile('people', path, { sheet: 'Last year' })).errors.items).toEqual([
      { row: 2, column: 'Weekly capacity', value: 'forty', message: 'Not a number' },
    ]);
  });

  it('shows how the columns were read when required ones are missing, so they can be mapped by hand', async () => {
    const path = join(dir, 'german.csv');
    await writeFile(path, 'Mitarbeiter;Mail;Kapazität\nIvy Title;ivy@files.test;32\n');
    const run = await importFile('people', path);
    expect(run.status).toBe('failed');
    expect(run.reason).toMatch(/^No column is mapped to name \(header read from row 1\)/);
    expect(run.columns.map((c) => [c.header, c.field])).toEqual([
      ['Mitarbeiter', null],
      ['Mail', 'email'],
      ['Kapazität', null],
    ]);
    // As the wizard's "Preview again": the same file, the columns mapped by hand.
    const imports = moduleServices(t, 'planning').imports;
    const again = await imports.rerun(by, run.id, {
      dryRun: true,
      mapping: { Mitarbeiter: 'name', Kapazität: 'weeklyCapacity' },
    });
    const mapped = await settled(again.id);
    expect(mapped).toMatchObject({ status: 'succeeded', counts: { created: 1, failed: 0 } });
  });
});

describe('CSV written by European Excel', () => {
  it('reads decimal commas, and refuses a number whose one separator may group thousands', async () => {
    const path = join(dir, 'budgets.csv');
    const lines = [
      'Project code;Project;Client;Budget',
      'F-1;One;Acme;1,200',
      'F-2;Two;Acme;36,5',
      'F-3;Three;Acme;0,125',
    ];
    await writeFile(path, `${lines.join('\r\n')}\r\n`);
    const run = await importFile('projects', path);
    expect(run.errors.items).toEqual([
      {
        row: 2,
        column: 'Budget',
        value: '1,200',
        message: 'May be 1200 or 1.2; write it without a thousands separator',
      },
    ]);
    expect(run.counts).toEqual({ created: 2, updated: 0, unchanged: 0, failed: 1 });
  });
});

describe('weeks', () => {
  it('refuses a week the year does not have as a row error, writing the other rows', async () => {
    await createPerson(t, { name: 'Wes Week', email: 'wes@files.test' });
    await createProject(t, { code: 'WK-1' });
    const path = join(dir, 'weeks.csv');
    // 2026 has 53 ISO weeks, 2027 only 52.
    await writeFile(
      path,
      'Email,Project code,Week,Hours\nwes@files.test,WK-1,2026-W53,8\nwes@files.test,WK-1,2027-W53,8\n',
    );
    const run = await importFile('assignments', path);
    expect(run.status).toBe('succeeded');
    expect(run.errors.items).toEqual([
      { row: 3, column: 'Week', value: '2027-W53', message: '2027 has no week 53' },
    ]);
    expect(run.counts).toEqual({ created: 1, updated: 0, unchanged: 0, failed: 1 });
  });
});

describe('hours typed as a time', () => {
  it('reads a time or duration cell (7:30, 40:00) as hours', async () => {
    // Excel keeps 7:30 as the fraction of a day, shown in a time format: a date at its epoch.
    const at = (hours: number) => new Date(Date.UTC(1899, 11, 30) + hours * 3_600_000);
    const header = ['Name', 'Email', 'Weekly hours', 'Capacity'];
    const times = await writeXlsx(join(dir, 'times.xlsx'), {
      People: [header, ['Tim Time', 'tim@files.test', at(37.5), at(40)]],
    });
    expect((await importFile('people', times, { dryRun: false })).counts).toMatchObject({ created: 1 });
    const [tim] = await moduleServices(t, 'directory').directory.peopleByKeys(t.runtime.ctx.db as never, {
      emails: ['tim@files.test'],
      employeeNumbers: [],
    });
    expect(tim).toMatchObject({ weeklyHours: 37.5, weeklyCapacity: 40 });
    // A real date is no number of hours.
    const dates = await writeXlsx(join(dir, 'dates.xlsx'), {
      People: [header, ['Dee Date', 'dee@files.test', new Date(Date.UTC(2027, 1, 1)), 40]],
    });
    expect((await importFile('people', dates)).errors.items).toEqual([
      { row: 2, column: 'Weekly hours', value: '2027-02-01', message: 'Not a number' },
    ]);
  });
});

describe('an assignment over several rows', () => {
  it('keeps a note or status a later row gives an assignment the file creates', async () => {
    await createPerson(t, { name: 'Nora Note', email: 'nora@files.test' });
    await createProject(t, { code: 'NOTE-1' });
    const path = join(dir, 'notes.csv');
    const rows = ['nora@files.test,NOTE-1,2027-W05,8,,', 'nora@files.test,NOTE-1,2027-W06,8,yes,Kick-off'];
    await writeFile(path, `Email,Project code,Week,Hours,Tentative,Notes\n${rows.join('\n')}\n`);
    await importFile('assignments', path, { dryRun: false });
    const saved = await t.runtime.ctx.db.execute(
      sql`select a.status, a.note from planning_assignments a join people p on p.id = a.person_id
          where p.email = 'nora@files.test'`,
    );
    expect((saved as unknown as { rows: unknown[] }).rows).toEqual([
      { status: 'tentative', note: 'Kick-off' },
    ]);
    expect((await importFile('assignments', path)).counts).toMatchObject({ unchanged: 2, updated: 0 });
  });
});

describe('yes and no as other programs write them', () => {
  it('reads TRUE and FALSE in the words of Excel in other languages', async () => {
    await createPerson(t, { name: 'Lou Lang', email: 'lou@files.test' });
    await createProject(t, { code: 'LANG-1' });
    const words = ['WAHR', 'FALSCH', 'VRAI', 'FAUX', 'VERDADERO', 'Sí', 'ONWAAR'];
    const rows = words.map((w, i) => `lou@files.test;LANG-1;2027-W${10 + i};4;${w}`);
    const path = join(dir, 'localised.csv');
    await writeFile(path, `Email;Project code;Week;Hours;Tentative\n${rows.join('\n')}\n`);
    const run = await importFile('assignments', path);
    expect(run.errors.items).toEqual([]);
  });
});

describe('text a database cannot hold', () => {
  it('refuses a NUL character as a row error, past where the type check looks', async () => {
    const path = join(dir, 'nul.csv');
    const rows = Array.from({ length: 300 }, (_, i) => `Person ${i},p${i}@nul.test`);
    await writeFile(path, `Name,Email\r\n${rows.join('\r\n')}\r\nBad\u0000Name,bad@nul.test\r\n`);
    const run = await importFile('people', path);
    expect(run.status).toBe('succeeded');
    expect(run.errors.items).toEqual([
      {
        row: 302,
        column: 'Name',
        value: 'Bad\ufffdName',
        message: 'Holds a NUL character, which text cannot hold',
      },
    ]);
    expect(run.counts).toMatchObject({ created: 300, failed: 1 });
  });
});
