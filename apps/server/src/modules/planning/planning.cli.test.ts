import { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPerson, createProject } from '../../../test/factories/directory';
import { createAssignment, createDeliverable } from '../../../test/factories/planning';
import { createTestRuntime, moduleServices, testClock } from '../../../test/helpers';
import type { Runtime } from '../../platform/runtime';
import { planningCli } from './planning.cli';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await createTestRuntime({ clock: testClock(new Date('2026-11-23T09:00:00Z')) });
});
afterAll(() => runtime.close());

/** Runs `clockpilot planning <args>` on the test runtime; answers what it printed and the exit code. */
async function planning(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  process.exitCode = 0;
  try {
    const program = new Command('clockpilot').exitOverride();
    planningCli(program.command('planning').exitOverride(), (fn) =>
      fn(moduleServices({ runtime }, 'planning'), runtime.ctx),
    );
    await program.parseAsync(['node', 'clockpilot', 'planning', ...args]);
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
  const code = process.exitCode;
  process.exitCode = 0;
  return { stdout: out.join('\n'), stderr: err.join('\n'), code };
}

const admin = { userId: '00000000-0000-0000-0000-000000000000', role: 'admin', scopes: ['write'] } as const;
const weeks = { from: '2026-W46', to: '2027-W02' };

/** A deliverable due in 2026-W51 with one linked assignment of these hours, then moved to 2027-W01. */
async function reallocated(hours: Array<{ week: string; hours: number }>) {
  const t = { runtime };
  const project = await createProject(t);
  const person = await createPerson(t, { weeklyHours: 40 });
  const d = await createDeliverable(t, { projectId: project.id, dueDate: '2026-12-18' });
  const a = await createAssignment(
    t,
    { projectId: project.id, deliverableId: d.id, personId: person.id },
    hours,
  );
  const s = moduleServices(t, 'planning');
  await s.deliverables.update(admin, { userId: null }, d.id, { dueDate: '2027-01-08' });
  const moved = await s.assignments.hours(admin, a.id, weeks);
  /** Sets one week of the assignment, as an edit after the reallocation. */
  const edit = async (week: string, h: number) =>
    s.assignments.putHours(
      admin,
      { userId: null },
      a.id,
      {},
      { version: (await s.assignments.hours(admin, a.id, weeks)).version, items: [{ week, hours: h }] },
      undefined,
    );
  return {
    d,
    a,
    moved: moved.items,
    edit,
    hours: async () => (await s.assignments.hours(admin, a.id, weeks)).items,
  };
}

describe('clockpilot planning', () => {
  it('undo-reallocation restores, and names edited weeks unless --force', async () => {
    const r = await reallocated([{ week: '2026-W50', hours: 8 }]);
    expect(r.moved).toEqual([{ week: '2026-W53', hours: 8 }]);
    await r.edit('2026-W53', 6);

    const refused = await planning('undo-reallocation', r.d.id);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('edited: 2026-W53');
    const forced = await planning('undo-reallocation', r.d.id, '--force', '--revert-date');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('due date 2026-12-18');
    expect(await r.hours()).toEqual([{ week: '2026-W50', hours: 8 }]);
  });

  it('undo-reallocation restores a reallocation stored in the older form, a week map per assignment', async () => {
    const r = await reallocated([
      { week: '2026-W49', hours: 4 },
      { week: '2026-W50', hours: 8.25 },
    ]);
    expect(r.moved).toEqual([
      { week: '2026-W52', hours: 4 },
      { week: '2026-W53', hours: 8.25 },
    ]);
    await runtime.ctx.db.execute(sql`
      update planning_reallocations
         set before = ${JSON.stringify({ [r.a.id]: { '2026-11-30': 4, '2026-12-07': 8.25 } })}::jsonb,
             after = ${JSON.stringify({ [r.a.id]: { '2026-12-21': 4, '2026-12-28': 8.25 } })}::jsonb
       where deliverable_id = ${r.d.id}`);
    await r.edit('2026-W52', 2);

    expect((await planning('undo-reallocation', r.d.id)).stderr).toContain('edited: 2026-W52');
    expect((await planning('undo-reallocation', r.d.id, '--force')).code).toBe(0);
    expect(await r.hours()).toEqual([
      { week: '2026-W49', hours: 4 },
      { week: '2026-W50', hours: 8.25 },
    ]);
  });

  it('undo-reallocation leaves an edit to a week before the reallocation alone: it never touched that week', async () => {
    // The clock's week is 2026-W48: W47 is the past when the hours move.
    const r = await reallocated([
      { week: '2026-W47', hours: 4 },
      { week: '2026-W50', hours: 8 },
    ]);
    expect(r.moved).toEqual([
      { week: '2026-W47', hours: 4 },
      { week: '2026-W53', hours: 8 },
    ]);
    await r.edit('2026-W47', 6);

    const undone = await planning('undo-reallocation', r.d.id);
    expect(undone.code).toBe(0);
    expect(await r.hours()).toEqual([
      { week: '2026-W47', hours: 6 },
      { week: '2026-W50', hours: 8 },
    ]);
  });

  it('a forced undo-reallocation keeps an edit to a week before the reallocation', async () => {
    const r = await reallocated([
      { week: '2026-W47', hours: 4 },
      { week: '2026-W50', hours: 8 },
    ]);
    await r.edit('2026-W47', 2);
    await r.edit('2026-W53', 5);

    expect((await planning('undo-reallocation', r.d.id)).stderr).toContain('edited: 2026-W53');
    expect((await planning('undo-reallocation', r.d.id, '--force')).code).toBe(0);
    expect(await r.hours()).toEqual([
      { week: '2026-W47', hours: 2 },
      { week: '2026-W50', hours: 8 },
    ]);
  });

  it('undo-reallocation restores every week of a reallocation stored without its first week', async () => {
    const r = await reallocated([
      { week: '2026-W47', hours: 4 },
      { week: '2026-W50', hours: 8 },
    ]);
    // The compact form as stored before images kept their first week: all of the assignment's weeks.
    await runtime.ctx.db.execute(sql`
      update planning_reallocations
         set before = ${JSON.stringify({ [r.a.id]: ['2026-11-16', 16, 0, 0, 32] })}::jsonb,
             after = ${JSON.stringify({ [r.a.id]: ['2026-11-16', 16, 0, 0, 0, 0, 0, 32] })}::jsonb
       where deliverable_id = ${r.d.id}`);
    await r.edit('2026-W47', 2);

    expect((await planning('undo-reallocation', r.d.id)).stderr).toContain('edited: 2026-W47');
    expect((await planning('undo-reallocation', r.d.id, '--force')).code).toBe(0);
    expect(await r.hours()).toEqual([
      { week: '2026-W47', hours: 4 },
      { week: '2026-W50', hours: 8 },
    ]);
  });

  it('normalize-weekly-hours wants exactly one of --dry-run and --apply', async () => {
    expect((await planning('normalize-weekly-hours')).code).toBe(1);
    const dry = await planning('normalize-weekly-hours', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('nothing to change');
  });
});
