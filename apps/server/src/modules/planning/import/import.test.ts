import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, createTeam, personOf } from '../../../../test/factories/directory';
import { type LoggedIn, loginAs } from '../../../../test/factories/identity';
import { writeXlsx, xlsxWithSheet } from '../../../../test/fixtures/tabular/files';
import {
  auditTrail,
  createTestApp,
  metricValue,
  moduleServices,
  type TestApp,
} from '../../../../test/helpers';
import { type Caller, request } from '../../../../test/http';
import { type Part, postForm } from '../../../../test/multipart';

let t: TestApp;
let dir: string;
let admin: LoggedIn;
let manager: LoggedIn;
const PEOPLE_MAX = 64 * 1024;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imports-'));
  t = await createTestApp({
    env: {
      BACKUPS_DIR: join(dir, 'backups'),
      PEOPLE_UPLOAD_MAX_BYTES: String(PEOPLE_MAX),
      IMPORT_MAX_ROWS_PER_SHEET: '40',
    },
  });
  admin = await loginAs(t, { role: 'admin' });
  manager = await loginAs(t, { role: 'manager' });
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

const csv = (text: string, encoding: BufferEncoding = 'utf8') => Buffer.from(text, encoding);
const file = (data: Buffer, fileName = 'upload.csv'): Part => ({ name: 'file', fileName, data });

/** Uploads a file and waits for its run to end; answers the run as GET shows it. */
async function upload(
  as: Caller,
  kind: string,
  data: Buffer,
  fields: Record<string, string> = {},
  fileName?: string,
) {
  const res = await postForm(t, as, '/planning/imports', [
    { name: 'kind', value: kind },
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    file(data, fileName),
  ]);
  expect(res.status, res.raw).toBe(202);
  expect(res.body.status).toBe('queued');
  return finished(as, res.body.id);
}

async function finished(as: Caller, id: string, query = '') {
  for (;;) {
    const res = await request(t, as, 'GET', `/planning/imports/${id}${query}`);
    expect(res.status, res.raw).toBe(200);
    if (res.body.status === 'succeeded' || res.body.status === 'failed') return res.body;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function rerun(as: Caller, id: string, body: object) {
  const res = await request(t, as, 'POST', `/planning/imports/${id}/runs`, body);
  expect(res.status, res.raw).toBe(202);
  return finished(as, res.body.id);
}

const directory = () => moduleServices(t, 'directory').directory;
const peopleByEmail = async (...emails: string[]) =>
  directory().peopleByKeys(t.runtime.ctx.db as never, { emails, employeeNumbers: [] });

describe('people', () => {
  it('previews, then applies as previewed, then finds the same rows unchanged', async () => {
    const team = await createTeam(t, { name: 'Design' });
    const data = await writeXlsx(join(dir, 'people.xlsx'), {
      Staff: [
        ['Full name', 'E-mail', 'Employee no.', 'Team', 'Capacity'],
        ['Ada Byron', 'ada@import.test', 'IMP-1', 'design', 32],
        ['Alan Turing', 'ALAN@import.test', 'IMP-2', '', 40],
        ['Grace Hopper', 'grace@import.test', '', 'Design', '36,5'],
      ],
    }).then((p) => import('node:fs/promises').then((fs) => fs.readFile(p)));
    const dry = await upload(admin, 'people', data, { dryRun: 'true' }, 'people.xlsx');
    expect(dry).toMatchObject({
      status: 'succeeded',
      dryRun: true,
      format: 'xlsx',
      counts: { created: 3, updated: 0, unchanged: 0, failed: 0 },
      progress: { done: 3, total: 3 },
    });
    expect(dry.columns.map((c: { header: string; field: string }) => [c.header, c.field])).toEqual([
      ['Full name', 'name'],
      ['E-mail', 'email'],
      ['Employee no.', 'employeeNumber'],
      ['Team', 'team'],
      ['Capacity', 'weeklyCapacity'],
    ]);
    expect(await peopleByEmail('ada@import.test')).toEqual([]);

    const applied = await rerun(admin, dry.id, { dryRun: false });
    expect(applied).toMatchObject({
      status: 'succeeded',
      dryRun: false,
      sourceId: dry.id,
      counts: { created: 3, failed: 0 },
    });
    const [ada] = await peopleByEmail('ada@import.test');
    expect(ada).toMatchObject({
      name: 'Ada Byron',
      employeeNumber: 'IMP-1',
      teamId: team.id,
      weeklyCapacity: 32,
    });
    const [grace] = await peopleByEmail('grace@import.test');
    expect(grace!.weeklyCapacity).toBe(36.5);
    expect((await auditTrail(t, ada!.id, 'person.created'))[0]!.actorId).toBe(admin.user.id);

    // Applying deleted the file, so the preview cannot be applied a second time.
    const twice = await request(t, admin, 'POST', `/planning/imports/${dry.id}/runs`, { dryRun: false });
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toMatch(/upload it again/);

    const again = await upload(admin, 'people', data, {}, 'people.xlsx');
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 3, failed: 0 });
  });

  it('updates by employee number or email from a Windows-1252 CSV with semicolons', async () => {
    // Reports to the manager who uploads: a manager's file changes only the people they manage.
    const managerId = (await personOf(t, manager.user)).id;
    await createPerson(t, { name: 'Renée', email: 'renee@import.test', employeeNumber: 'IMP-9', managerId });
    const text =
      'Name;Personnel number;Email address;Weekly hours\r\nRen\xe9e M\xfcller;imp-9;;30\r\nJos\xe9 N\xfa\xf1ez;;jose@import.test;20\r\n';
    const run = await upload(manager, 'people', csv(text, 'latin1'));
    expect(run).toMatchObject({ status: 'succeeded', counts: { created: 1, updated: 1, failed: 0 } });
    const [renee] = await peopleByEmail('renee@import.test');
    expect(renee).toMatchObject({ name: 'Renée Müller', weeklyHours: 30, weeklyCapacity: 30 });
    expect((await peopleByEmail('jose@import.test'))[0]!.name).toBe('José Núñez');
  });

  it('lets the user change the mapping of a dry run and apply that', async () => {
    const data = csv('Name,Login,Shoe size\nMapped Person,mapped@import.test,44\n');
    const dry = await upload(admin, 'people', data, { dryRun: 'true' });
    expect(dry.counts.failed).toBe(1);
    expect(dry.errors.items[0]).toMatchObject({
      row: 2,
      message: 'A person needs an email or an employee number',
    });
    const remapped = await rerun(admin, dry.id, {
      dryRun: true,
      mapping: { Login: 'email', 'Shoe size': null },
    });
    expect(remapped.counts).toMatchObject({ created: 1, failed: 0 });
    expect(remapped.columns[1]).toEqual({ column: 1, header: 'Login', field: 'email' });
    const applied = await rerun(admin, remapped.id, { dryRun: false });
    expect(applied.counts.created).toBe(1);
    expect(await peopleByEmail('mapped@import.test')).toHaveLength(1);

    const wrong = await request(t, admin, 'POST', `/planning/imports/${dry.id}/runs`, {
      mapping: { Login: 'shoeSize' },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0].path).toBe('body.mapping.Login');
  });

  it('applies all rows or none, and pages the row errors', async () => {
    const text = [
      'Name,Email,Weekly hours,Time zone',
      'Good One,good1@import.test,40,Europe/Berlin',
      'Bad Hours,bad@import.test,lots,UTC',
      'Good Two,good2@import.test,38,Mars/Olympus',
      'Twice,good1@import.test,40,UTC',
    ].join('\n');
    const run = await upload(admin, 'people', csv(text));
    expect(run).toMatchObject({
      status: 'failed',
      reason: '3 rows have errors; nothing was imported',
      counts: { failed: 3 },
    });
    expect(await peopleByEmail('good1@import.test')).toEqual([]);
    const first = await finished(admin, run.id, '?limit=2');
    expect(first.errors.items).toEqual([
      { row: 3, column: 'Weekly hours', value: 'lots', message: 'Not a number' },
      { row: 4, column: 'Time zone', value: 'Mars/Olympus', message: 'Unknown IANA time zone' },
    ]);
    const next = await finished(admin, run.id, `?limit=2&cursor=${first.errors.nextCursor}`);
    expect(next.errors).toEqual({
      items: [{ row: 5, column: 'Email', value: null, message: 'Same as row 2' }],
      nextCursor: null,
    });
  });

  it('counts finished runs by outcome on /metrics', async () => {
    const runs = (outcome: string) =>
      metricValue(t, `clockpilot_planning_imports_total{outcome="${outcome}"}`);
    const [ok, failed] = [await runs('succeeded'), await runs('failed')];
    const text = 'Name,Email,Weekly hours,Time zone\nCounted,counted@import.test,40,UTC';
    expect((await upload(admin, 'people', csv(text))).status).toBe('succeeded');
    expect((await upload(admin, 'people', csv(`${text}\nBad,bad-count@import.test,lots,UTC`))).status).toBe(
      'failed',
    );
    expect([await runs('succeeded'), await runs('failed')]).toEqual([ok + 1, failed + 1]);
  });

  it('keeps a manager from moving people between teams', async () => {
    await createTeam(t, { name: 'Ops' });
    const run = await upload(manager, 'people', csv('Name,Email,Team\nTeam Mover,mover@import.test,Ops\n'));
    expect(run.errors.items[0]).toMatchObject({
      row: 2,
      column: 'Team',
      message: 'Only administrators change teams',
    });
  });
});

describe('projects and assignments', () => {
  const weekRows = async () =>
    (
      (await t.runtime.ctx.db.execute(
        sql`select a.placeholder, p.email, w.week_start::text as week, w.hours::float as hours
            from planning_weekly_hours w join planning_assignments a on a.id = w.assignment_id
            left join people p on p.id = a.person_id order by 1, 2, 3`,
      )) as unknown as { rows: unknown[] }
    ).rows;

  it('imports projects with their deliverables, then assignments with weekly hours', async () => {
    const projects = [
      'Project code,Project,Client,Deliverable,Due date,Start date',
      'IMP-A,Atlas,Acme,Design,31/03/2027,01/02/2027',
      'IMP-A,,,Build,30/06/2027,',
      'IMP-B,Beacon,Acme,,,',
    ].join('\n');
    const p = await upload(admin, 'projects', csv(projects), { dateFormat: 'dd/MM/yyyy' });
    expect(p).toMatchObject({ status: 'succeeded', counts: { created: 3, failed: 0 } });
    const [atlas] = await directory().projectsByCodes(t.runtime.ctx.db as never, ['imp-a']);
    expect(atlas).toMatchObject({ name: 'Atlas', code: 'IMP-A' });
    const deliverables = (
      (await t.runtime.ctx.db.execute(
        sql`select name, start_date::text as start, due_date::text as due from planning_deliverables
            where project_id = ${atlas!.id} order by name`,
      )) as unknown as { rows: unknown[] }
    ).rows;
    expect(deliverables).toEqual([
      { name: 'Build', start: null, due: '2027-06-30' },
      { name: 'Design', start: '2027-02-01', due: '2027-03-31' },
    ]);

    await createPerson(t, { name: 'Planner Pam', email: 'pam@import.test' });
    const hours = await writeXlsx(join(dir, 'hours.xlsx'), {
      Plan: [
        ['Email', 'Role', 'Project code', 'Deliverable', 'Week', 'Hours', 'Tentative'],
        ['pam@import.test', null, 'IMP-A', 'Design', '2027-W06', 16, 'no'],
        ['pam@import.test', null, 'IMP-A', 'Design', new Date(Date.UTC(2027, 1, 17)), 8, 'no'],
        [null, 'Senior designer (to hire)', 'IMP-A', null, '2027-W06', 20, 'yes'],
        ['pam@import.test', null, 'IMP-Z', null, '2027-W06', 4, null],
      ],
    }).then((f) => import('node:fs/promises').then((fs) => fs.readFile(f)));
    const a = await upload(manager, 'assignments', hours, { dryRun: 'true' }, 'hours.xlsx');
    expect(a.errors.items).toEqual([
      { row: 5, column: 'Project code', value: null, message: 'No project has this code' },
    ]);
    expect(a.counts).toEqual({ created: 3, updated: 0, unchanged: 0, failed: 1 });
    expect(await weekRows()).toEqual([]);
    const good = csv(
      'Email,Role,Project code,Deliverable,Week,Hours\npam@import.test,,IMP-A,Design,2027-W05,16\npam@import.test,,IMP-A,Design,2027-02-10,8\n,Senior designer (to hire),IMP-A,,2027-W06,20\n',
    );
    expect((await upload(manager, 'assignments', good)).counts).toEqual({
      created: 3,
      updated: 0,
      unchanged: 0,
      failed: 0,
    });
    expect(await weekRows()).toEqual([
      { placeholder: 'Senior designer (to hire)', email: null, week: '2027-02-08', hours: 20 },
      { placeholder: null, email: 'pam@import.test', week: '2027-02-01', hours: 16 },
      { placeholder: null, email: 'pam@import.test', week: '2027-02-08', hours: 8 },
    ]);
    const changed = csv(
      'Email,Project code,Deliverable,Week,Hours\npam@import.test,IMP-A,Design,2027-W06,12\npam@import.test,IMP-A,Design,2027-W07,8\n',
    );
    expect((await upload(manager, 'assignments', changed)).counts).toEqual({
      created: 1,
      updated: 1,
      unchanged: 0,
      failed: 0,
    });
  });
});

describe('refusals', () => {
  const incoming = async () => {
    const root = join(dir, 'backups', 'incoming');
    const kinds = await readdir(root).catch(() => [] as string[]);
    return (
      await Promise.all(kinds.map((k) => readdir(join(root, k)).then((f) => f.map((n) => join(root, k, n)))))
    ).flat();
  };

  it('keeps uploads private, and refuses a file over the kind limit with 413, keeping nothing', async () => {
    const before = await incoming();
    const run = await upload(admin, 'people', csv('Name,Email\nPriv Ate,private@import.test\n'), {
      dryRun: 'true',
    });
    const kept = (await incoming()).filter((f) => !before.includes(f));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toContain(join('incoming', 'people'));
    expect((await stat(kept[0]!)).mode & 0o777).toBe(0o600);
    expect(run.status).toBe('succeeded');

    const big = Buffer.alloc(PEOPLE_MAX + 1, 'a');
    for (const parts of [
      [{ name: 'kind', value: 'people' }, file(big)],
      // The kind after the file: the file is held to the largest limit, then to its own.
      [file(big), { name: 'kind', value: 'people' }],
    ]) {
      const res = await postForm(t, admin, '/planning/imports', parts);
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('payload_too_large');
    }
    expect((await incoming()).filter((f) => !before.includes(f))).toEqual(kept);
    // The same bytes are fine for projects, whose limit is larger.
    const ok = await postForm(t, admin, '/planning/imports', [
      { name: 'kind', value: 'projects' },
      file(big),
    ]);
    expect(ok.status).toBe(202);
    // It is read, and found to have no column for the project code.
    expect((await finished(admin, ok.body.id)).reason).toMatch(/No column is mapped to code/);
  });

  it('sweeps uploads left for more than a day, and none that a run still needs', async () => {
    const imports = moduleServices(t, 'planning').imports;
    await upload(admin, 'people', csv('Name,Email\nSwept,swept@import.test\n'), { dryRun: 'true' });
    expect((await incoming()).length).toBeGreaterThan(0);
    expect(await imports.sweep(24)).toBe(0);
    // Age 0: everything not in use is old enough.
    expect(await imports.sweep(0)).toBeGreaterThan(0);
    expect(await incoming()).toEqual([]);
  });

  it('refuses .xls with 415 and a zip bomb with 422 at once, keeping nothing', async () => {
    const before = await incoming();
    const xls = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(1000)]);
    const res = await postForm(t, admin, '/planning/imports', [
      { name: 'kind', value: 'people' },
      file(xls, 'people.xls'),
    ]);
    expect(res.status).toBe(415);
    expect(res.body.detail).toMatch(/save it as \.xlsx or \.csv/);
    const bomb = xlsxWithSheet({
      name: '',
      data: Buffer.alloc(2048, 1),
      raw: true,
      declaredSize: 3_000_000_000,
    });
    const boom = await postForm(t, admin, '/planning/imports', [
      { name: 'kind', value: 'projects' },
      file(bomb, 'plan.xlsx'),
    ]);
    expect(boom.status).toBe(422);
    expect(boom.body.detail).toMatch(/inflate/);
    expect(await incoming()).toEqual(before);
  });

  it('fails a run over the row ceiling, naming the ceiling', async () => {
    const rows = Array.from({ length: 41 }, (_, i) => `P${i},p${i}@ceiling.test`);
    const run = await upload(admin, 'people', csv(`Name,Email\n${rows.join('\n')}\n`));
    expect(run).toMatchObject({ status: 'failed', reason: 'The file has more than 40 rows' });
    expect(await peopleByEmail('p0@ceiling.test')).toEqual([]);
  });

  it('is for admins and managers only', async () => {
    const employee = await loginAs(t);
    const parts = [{ name: 'kind', value: 'people' }, file(csv('Name,Email\nX,x@import.test\n'))];
    expect((await postForm(t, employee, '/planning/imports', parts)).status).toBe(403);
    expect((await postForm(t, null, '/planning/imports', parts)).status).toBe(401);
    const run = await upload(manager, 'people', csv('Name,Email\nY,y@import.test\n'), { dryRun: 'true' });
    expect((await request(t, employee, 'GET', `/planning/imports/${run.id}`)).status).toBe(403);
    expect((await request(t, employee, 'POST', `/planning/imports/${run.id}/runs`, {})).status).toBe(403);
  });

  it('answers 400 for a form without a file or a kind', async () => {
    expect((await postForm(t, admin, '/planning/imports', [{ name: 'kind', value: 'people' }])).status).toBe(
      400,
    );
    const noKind = await postForm(t, admin, '/planning/imports', [file(csv('a\n1\n'))]);
    expect(noKind.status).toBe(400);
    expect(noKind.body.errors[0].path).toBe('body.kind');
  });
});
