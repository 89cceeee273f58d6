import type { TAssignment, TDeliverable, TPerson, TProject, TUtilisation } from '@clockpilot/contracts';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, createProject } from '../../../test/factories/directory';
import { ACTOR, createAssignment, createDeliverable, SYSTEM } from '../../../test/factories/planning';
import { createTestApp, metricValue, moduleServices, type TestApp, testClock } from '../../../test/helpers';
import { AppError } from '../../platform/errors';
import { addWeeks, mondaysBetween, weekKey } from './planning.weeks';
import { loadByWeek } from './utilisation.repo';

let t: TestApp;
let people: TPerson[];
let project: TProject;

beforeAll(async () => {
  // Monday 23 November 2026: the current week is 2026-W48.
  t = await createTestApp({ clock: testClock(new Date('2026-11-23T09:00:00Z')) });
  people = [await createPerson(t, { weeklyHours: 40 }), await createPerson(t, { weeklyHours: 20 })];
  project = await createProject(t);
});
afterAll(() => t.close());

const week = (i: number) => weekKey(addWeeks('2026-11-23', i));

const drift = () => moduleServices(t, 'planning').normalize.totalsDrift();

/** Utilisation by person over weeks on both sides of the turn of the year (2026 has a week 53). */
const RANGE = { from: week(-4), to: week(10) };
const gridFromTotals = async () => {
  const grid = JSON.parse(
    (
      await moduleServices(t, 'planning').utilisation.utilisation({ ...RANGE, groupBy: 'person' })
    ).json.raw.toString(),
  ) as TUtilisation;
  const rows = grid.rows.filter((r) => r.assigned.some(Boolean) || r.tentative.some(Boolean));
  return new Map(rows.map((r) => [String(r.key), { assigned: r.assigned, tentative: r.tentative }]));
};
/** The same figures summed live from the week rows, the path the totals must agree with. */
const gridFromWeekRows = async () => {
  const mondays = mondaysBetween(RANGE.from, RANGE.to);
  const out = new Map<string, { assigned: number[]; tentative: number[] }>();
  for (const r of await loadByWeek(t.runtime.ctx.db, {
    from: mondays[0]!,
    to: mondays.at(-1)!,
    by: 'person',
  })) {
    const row = out.get(r.key) ?? { assigned: mondays.map(() => 0), tentative: mondays.map(() => 0) };
    out.set(r.key, row);
    const i = mondays.indexOf(r.week_start);
    row.assigned[i] = Number(r.confirmed);
    row.tentative[i] = Number(r.tentative);
  }
  return out;
};

type Command =
  | { op: 'hours'; a: number; week: number; quarters: number }
  | { op: 'status'; a: number; tentative: boolean }
  | { op: 'move'; shift: number }
  | { op: 'undo'; force: boolean }
  | { op: 'remove'; a: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    op: fc.constant('hours' as const),
    a: fc.nat(3),
    week: fc.integer({ min: -2, max: 8 }),
    quarters: fc.nat(120),
  }),
  fc.record({ op: fc.constant('status' as const), a: fc.nat(3), tentative: fc.boolean() }),
  fc.record({ op: fc.constant('move' as const), shift: fc.integer({ min: -3, max: 4 }) }),
  fc.record({ op: fc.constant('undo' as const), force: fc.boolean() }),
  fc.record({ op: fc.constant('remove' as const), a: fc.nat(3) }),
);

/** Runs one command through the services; refusals (a stale undo, a removed assignment) are fine. */
async function apply(c: Command, d: TDeliverable, assignments: TAssignment[]) {
  const planning = moduleServices(t, 'planning');
  const a = assignments[c.op === 'hours' || c.op === 'status' || c.op === 'remove' ? c.a : 0]!;
  try {
    if (c.op === 'hours') {
      const current = await planning.assignments.get(SYSTEM, a.id);
      await planning.assignments.putHours(
        SYSTEM,
        ACTOR,
        a.id,
        {},
        { version: current.hoursVersion, items: [{ week: week(c.week), hours: c.quarters / 4 }] },
        undefined,
      );
    } else if (c.op === 'status') {
      await planning.assignments.update(SYSTEM, ACTOR, a.id, {
        status: c.tentative ? 'tentative' : 'confirmed',
      });
    } else if (c.op === 'move') {
      const current = await planning.deliverables.get(d.id);
      const due = addWeeks(current.dueDate, c.shift);
      await planning.deliverables.update(SYSTEM, ACTOR, d.id, { dueDate: due });
    } else if (c.op === 'undo') {
      await planning.reallocation.undo(ACTOR, d.id, { force: c.force });
    } else {
      await planning.assignments.remove(SYSTEM, ACTOR, a.id);
    }
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
  }
}

describe('week totals', () => {
  it('always equal the sum of the week rows, after any writes, reallocations and undos', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 8 }), async (commands) => {
        const d = await createDeliverable(t, { projectId: project.id, dueDate: '2027-01-15' });
        const shape = (hours: number) => [0, 1, 2, 3].map((i) => ({ week: week(i), hours }));
        const assignments = [
          await createAssignment(
            t,
            { projectId: project.id, deliverableId: d.id, personId: people[0]!.id },
            shape(8),
          ),
          await createAssignment(
            t,
            { projectId: project.id, deliverableId: d.id, personId: people[1]!.id },
            shape(4),
          ),
          await createAssignment(
            t,
            // A comma, quotes and a backslash: the reallocation sends keys as an array literal.
            {
              projectId: project.id,
              deliverableId: d.id,
              placeholder: 'Senior designer, "lead" \\ {to hire}',
            },
            shape(6),
          ),
          await createAssignment(t, { projectId: project.id, personId: people[0]!.id }, shape(30)),
        ];
        for (const c of commands) await apply(c, d, assignments);
        expect(await drift()).toEqual([]);
        expect(await gridFromTotals()).toEqual(await gridFromWeekRows());
      }),
      { numRuns: 8 },
    );
    // The property ran against real totals, not an empty table.
    const count = await t.runtime.ctx.db.execute(sql`select count(*)::int as n from planning_year_totals`);
    expect((count.rows[0] as { n: number }).n).toBeGreaterThan(0);
  });

  it('are rebuilt from the week rows after rows came in around the repository', async () => {
    const normalize = moduleServices(t, 'planning').normalize;
    const { db } = t.runtime.ctx;
    const nth = (i: number) => sql`(select person_key, iso_year from planning_year_totals
      order by person_key, iso_year offset ${i} limit 1)`;
    // A bulk load that bypassed the repository: one week's total wrong, one year of a key missing.
    await db.execute(sql`update planning_year_totals set confirmed[2] = confirmed[2] + 1
      where (person_key, iso_year) = ${nth(0)}`);
    const lost =
      await db.execute(sql`delete from planning_year_totals where (person_key, iso_year) = ${nth(1)}
      returning (select count(*) from generate_series(1, 53) i where confirmed[i] + tentative[i] > 0)::int as weeks`);
    const weeks = (lost.rows[0] as { weeks: number }).weeks;
    expect(weeks).toBeGreaterThan(0);
    const found = await drift();
    expect(found).toHaveLength(1 + weeks);
    expect(found.filter((d) => d.actual === null)).toHaveLength(weeks);
    expect(await normalize.rebuildTotals(ACTOR)).toBe(1 + weeks);
    expect(await drift()).toEqual([]);
    expect(await normalize.rebuildTotals(ACTOR)).toBe(0);
  });
});

describe('utilisation pages', () => {
  it('cut the whole grid into pages that add up to it, served from the cache until a write', async () => {
    const utilisation = moduleServices(t, 'planning').utilisation;
    const q = { from: week(0), to: week(8), groupBy: 'person' as const };
    const wholeGrid = async () => JSON.parse((await utilisation.utilisation(q)).json.raw.toString());
    const whole = await wholeGrid();
    const read = async (expected = whole) => {
      const rows = [];
      const seen = [];
      let cursor: string | undefined;
      do {
        const page = await utilisation.utilisation({ ...q, limit: 2, ...(cursor ? { cursor } : {}) });
        const body = JSON.parse(page.json.raw.toString());
        expect(body.rowCount).toBe(expected.rows.length);
        expect(body.totals).toEqual(expected.totals);
        rows.push(...body.rows);
        seen.push(page.cache);
        cursor = body.nextCursor ?? undefined;
      } while (cursor);
      return { rows, seen };
    };
    const first = await read();
    expect(first.rows).toEqual(whole.rows);
    expect(first.seen[0]).toBe('MISS');
    expect((await read()).seen.every((c) => c === 'HIT')).toBe(true);
    // A write moves the plan's version on: the next page is computed again and shows it.
    const person = people[1]!;
    await createAssignment(t, { projectId: project.id, personId: person.id }, [
      { week: week(0), hours: 2.5 },
    ]);
    const changed = await wholeGrid();
    const after = await read(changed);
    expect(after.rows).toEqual(changed.rows);
    expect(after.seen[0]).toBe('MISS');
    const row = after.rows.find((r: { key: string }) => r.key === person.id);
    const before = whole.rows.find((r: { key: string }) => r.key === person.id);
    expect(row.assigned[0]).toBe((before?.assigned[0] ?? 0) + 2.5);
  });
});

describe('metrics', () => {
  it("reports reallocations and the current week's utilisation on /metrics", async () => {
    const reallocations = () => metricValue(t, 'clockpilot_planning_reallocations_total');
    const utilisation = () => metricValue(t, 'clockpilot_planning_utilisation_ratio');
    const [movedBefore, usedBefore] = [await reallocations(), await utilisation()];
    const d = await createDeliverable(t, { projectId: project.id, dueDate: '2026-12-11' }); // 2026-W50
    // Hours of someone who already has capacity: the company-wide ratio of 2026-W48 has to rise.
    await createAssignment(t, { projectId: project.id, deliverableId: d.id, personId: people[0]!.id }, [
      { week: '2026-W48', hours: 40 },
      { week: '2026-W50', hours: 10 },
    ]);
    expect(await utilisation()).toBeGreaterThan(usedBefore);
    const { updated: moved } = await moduleServices(t, 'planning').deliverables.update(SYSTEM, ACTOR, d.id, {
      dueDate: '2026-12-18',
    });
    expect(moved.reallocation?.applied).toBe(true);
    expect(await reallocations()).toBe(movedBefore + 1);
  });
});
