import type { TReportGroup, TRoundingMode } from '@clockpilot/contracts';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TimeWorld, timeWorld } from '../../../test/fixtures/time-world';
import { moduleServices } from '../../../test/helpers';
import { reportsRepo } from './reports.repo';
import { rollupRepo } from './rollup.repo';
import { timesheetsRepo } from './timesheets.repo';

let w: TimeWorld;
let projects: string[];
beforeAll(async () => {
  w = await timeWorld();
  projects = [(await w.project({ billable: true })).id, (await w.project({ billable: false })).id];
});
afterAll(() => w.t.close());

const db = () => w.t.ctx.db;
const GROUPS: TReportGroup[] = ['person', 'project', 'activity', 'day', 'week'];
// Around both DST ends of 2026: Europe on 25 October, the United States on 1 November.
const DAY0 = Date.parse('2026-10-22T00:00:00Z');
const MINUTE = 60_000;

const breakArb = fc.record({
  at: fc.double({ min: 0, max: 0.9, noNaN: true }),
  minutes: fc.integer({ min: 1, max: 90 }),
});
const entryArb = fc.record({
  who: fc.constantFrom('employee', 'outsider', 'colleague') as fc.Arbitrary<
    'employee' | 'outsider' | 'colleague'
  >,
  startMinute: fc.integer({ min: 0, max: 14 * 1440 }),
  minutes: fc.integer({ min: 5, max: 30 * 60 }),
  breaks: fc.array(breakArb, { maxLength: 2 }),
  project: fc.integer({ min: -1, max: 1 }),
  billable: fc.option(fc.boolean(), { nil: undefined }),
});
const opArb = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), entry: entryArb }),
  fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), entry: entryArb }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('clock' as const),
    // Minutes after 22:30 UTC on 23 November (23:30 in Berlin): shifts across local midnight.
    steps: fc.array(fc.integer({ min: 1, max: 240 }), { minLength: 2, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('seed' as const) }),
);
const roundingArb = fc.record({
  mode: fc.constantFrom('none', 'nearest', 'up', 'down') as fc.Arbitrary<TRoundingMode>,
  minutes: fc.constantFrom(1, 6, 7, 15, 60),
});

type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;
type EntryGen = typeof entryArb extends fc.Arbitrary<infer T> ? T : never;

/** An entry body: start and length in minutes from DAY0, breaks placed by fractions of the entry. */
function body(e: EntryGen) {
  const start = DAY0 + e.startMinute * MINUTE;
  const end = start + e.minutes * MINUTE;
  let cursor = start;
  const breaks = [];
  for (const b of e.breaks) {
    const from = Math.max(cursor, start + Math.floor(e.minutes * b.at) * MINUTE);
    const to = Math.min(end - MINUTE, from + b.minutes * MINUTE);
    if (to <= from) continue;
    breaks.push({ startedAt: new Date(from).toISOString(), endedAt: new Date(to).toISOString() });
    cursor = to + MINUTE;
  }
  return {
    startedAt: new Date(start).toISOString(),
    endedAt: new Date(end).toISOString(),
    breaks,
    projectId: e.project < 0 ? null : projects[e.project]!,
    billable: e.billable,
  };
}

/** One write through the API or the demo seeder; refused writes (overlaps) change nothing. */
async function apply(op: Op, ids: string[]) {
  const time = moduleServices(w.t, 'time');
  if (op.kind === 'create' || op.kind === 'update') {
    const input = body(op.entry);
    if (op.kind === 'update' && ids.length > 0) {
      const { billable, ...rest } = input;
      await w.api(w.admin, 'PATCH', `/time/entries/${ids[op.pick % ids.length]}`, {
        ...rest,
        ...(billable === undefined ? {} : { billable }),
      });
      return;
    }
    const res = await w.api(w.admin, 'POST', '/time/entries', {
      ...input,
      personId: w.people[op.entry.who].id,
    });
    if (res.status === 201) ids.push(res.body.id);
  } else if (op.kind === 'delete' && ids.length > 0) {
    const [id] = ids.splice(op.pick % ids.length, 1);
    await w.api(w.admin, 'DELETE', `/time/entries/${id}`);
  } else if (op.kind === 'clock') {
    w.clock.set('2026-11-23T22:30:00Z');
    const calls = ['/time/clock-in', '/time/break/start', '/time/break/end', '/time/clock-out'];
    for (const [i, minutes] of op.steps.entries()) {
      await w.api(w.employee, 'POST', calls[i === op.steps.length - 1 ? 3 : i]!, i === 0 ? {} : undefined);
      w.clock.advance(minutes * MINUTE);
    }
  } else if (op.kind === 'seed') {
    await time.seedDemoEntries([w.people.colleague], { weeks: 1, actor: { userId: null } });
  }
}

async function run(ops: Op[], rounding: { mode: TRoundingMode; minutes: number }) {
  await db().execute(sql`delete from time_entries`);
  await timesheetsRepo.updateSettings(db(), {
    roundingMode: rounding.mode,
    roundingMinutes: rounding.minutes,
  });
  await moduleServices(w.t, 'time').reports.rebuildRollup();
  const ids: string[] = [];
  // Always one entry across the night into 1 November (22:00 UTC on 31 October, three hours), which
  // a range starting that day counts once although it started the month before.
  const intoNovember = { startMinute: 9 * 1440 + 22 * 60, minutes: 180, breaks: [], project: 0 };
  await apply({ kind: 'create', entry: { who: 'employee', ...intoNovember, billable: undefined } }, ids);
  for (const op of ops) await apply(op, ids);
  // Whole ranges and ranges that start inside entries across midnight or a week; ranges with whole
  // months (read from the month rollup) and without, one starting on a month's first day into which
  // entries across midnight carry.
  for (const [from, to] of [
    ['2026-10-20', '2026-11-30'],
    ['2026-10-26', '2026-11-24'],
    ['2026-11-01', '2026-11-30'],
  ] as const) {
    for (const only of [{}, { billable: true }, { project: projects[0] }]) {
      const filter = { scope: null, from, to, ...only };
      for (const groupBy of GROUPS) {
        const live = await reportsRepo.summary(db(), filter, groupBy, rounding);
        const rolled = await rollupRepo.summary(db(), filter, groupBy);
        expect(rolled, `${groupBy} ${from}..${to} ${JSON.stringify(only)}`).toEqual(live);
      }
    }
  }
}

describe('report rollup', () => {
  it('answers exactly what the live query over the entries answers, after any sequence of writes', async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), roundingArb, run), {
      numRuns: 30,
      seed: 20261127,
      endOnFailure: true,
    });
    // Thirty runs of up to twelve writes through the API: slow on a busy machine, not a speed goal.
  }, 300_000);
});

describe('a change of the rounding rule', () => {
  it('keeps summaries on the new rule at once and rebuilds the rollup in a job', async () => {
    await db().execute(sql`delete from time_entries`);
    await w.api(w.admin, 'PUT', '/time/settings', {
      rounding: { mode: 'none', minutes: 15 },
      overtime: { dailyThresholdMinutes: null, weekly: true },
    });
    await vi.waitFor(async () =>
      expect(await rollupRepo.rounding(db())).toEqual({ mode: 'none', minutes: 15 }),
    );
    // 09:00–09:20 in Berlin: 20 minutes, 30 when rounded up to the half hour.
    await w.api(w.admin, 'POST', '/time/entries', {
      personId: w.people.employee.id,
      startedAt: '2026-11-02T08:00:00Z',
      endedAt: '2026-11-02T08:20:00Z',
    });
    const url = '/time/reports/summary?from=2026-11-01&to=2026-11-30&groupBy=person';
    // The settings row changes before the job runs: the rollup still holds the old rule.
    await timesheetsRepo.updateSettings(db(), { roundingMode: 'up', roundingMinutes: 30 });
    expect(await rollupRepo.rounding(db())).toEqual({ mode: 'none', minutes: 15 });
    expect((await w.api(w.admin, 'GET', url)).body.totals).toMatchObject({
      workedSeconds: 1200,
      roundedSeconds: 1800,
    });

    await w.api(w.admin, 'PUT', '/time/settings', {
      rounding: { mode: 'down', minutes: 15 },
      overtime: { dailyThresholdMinutes: null, weekly: true },
    });
    await vi.waitFor(async () =>
      expect(await rollupRepo.rounding(db())).toEqual({ mode: 'down', minutes: 15 }),
    );
    expect((await w.api(w.admin, 'GET', url)).body.totals).toMatchObject({
      workedSeconds: 1200,
      roundedSeconds: 900,
    });
  });
});
