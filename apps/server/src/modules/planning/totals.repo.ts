import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';

/** Whose week totals: a person (by id) or a placeholder (by name). */
export type TotalKey = { key: string; placeholder: boolean };

/** A key's totals in a range: week offsets from the range's first Monday, and hours in that order. */
export type TotalSeries = TotalKey & { weeks: number[]; confirmed: number[]; tentative: number[] };

const json = (v: unknown) => sql`${JSON.stringify(v)}::jsonb`;
/**
 * The keys' assignments. Two index reads joined by union: one `or` of both made the planner expect
 * half the table and scan every week row (473 ms instead of 193 ms for 200 people, EXPLAIN ANALYZE).
 */
const assignmentsOf = (keys: TotalKey[]) => {
  const people = keys.filter((k) => !k.placeholder).map((k) => k.key);
  const names = keys.filter((k) => k.placeholder).map((k) => k.key);
  return sql`select id, person_id, placeholder, status from planning_assignments
              where person_id in (select jsonb_array_elements_text(${json(people)})::uuid)
             union all
             select id, person_id, placeholder, status from planning_assignments
              where person_id is null and placeholder in (select jsonb_array_elements_text(${json(names)}))`;
};

/** The totals as the week rows give them: what every total must equal. */
const truth = sql`
  select coalesce(a.person_id::text, a.placeholder) as key, a.person_id is null as placeholder, w.week_start,
         coalesce(sum(w.hours) filter (where a.status = 'confirmed'), 0) as confirmed,
         coalesce(sum(w.hours) filter (where a.status = 'tentative'), 0) as tentative
    from planning_weekly_hours w join planning_assignments a on a.id = w.assignment_id
   group by 1, 2, 3`;

export type TotalMismatch = {
  key: string;
  week: string;
  expected: { confirmed: number; tentative: number } | null;
  actual: { confirmed: number; tentative: number } | null;
};

/**
 * planning_week_totals: confirmed and tentative hours per person (or placeholder) and Monday. Every
 * write of weekly hours or of an assignment's person or status calls `sync` in its transaction.
 */
export const totalsRepo = {
  /** The keys the assignments count towards. */
  async keysOf(db: DbOrTx, assignmentIds: string[]): Promise<TotalKey[]> {
    if (assignmentIds.length === 0) return [];
    const result = await db.execute<TotalKey>(sql`
      select distinct coalesce(person_id::text, placeholder) as key, person_id is null as placeholder
        from planning_assignments where id in (select jsonb_array_elements_text(${json(assignmentIds)})::uuid)`);
    return result.rows;
  },

  /**
   * Recomputes the keys' totals (in `weeks` only, when given) from their weekly hours. The keys are
   * locked first, in one order, so two transactions writing one person's hours rebuild one after the
   * other and the second sees the first's rows.
   */
  async sync(db: DbOrTx, keys: TotalKey[], weeks?: string[]): Promise<void> {
    const unique = [...new Map(keys.map((k) => [`${k.placeholder}|${k.key}`, k])).values()];
    if (unique.length === 0 || weeks?.length === 0) return;
    await db.execute(sql`
      select count(pg_advisory_xact_lock(h)) from (
        select distinct hashtextextended('planning_week_totals:' || k, 0) as h
          from jsonb_array_elements_text(${json(unique.map((k) => `${k.placeholder}|${k.key}`))}) k order by h) s`);
    // `= any(array(…))` rather than `in (select …)`: the planner then reads the keys' weeks through the
    // primary key instead of scanning every total (4 ms instead of 37 ms for 200 people, EXPLAIN ANALYZE).
    const inWeeks = (col: ReturnType<typeof sql.raw>) =>
      weeks ? sql`and ${col} = any(array(select jsonb_array_elements_text(${json(weeks)})::date))` : sql``;
    await db.execute(sql`
      delete from planning_week_totals t
       using jsonb_to_recordset(${json(unique)}) as k(key text, placeholder boolean)
       where t.person_key = k.key and t.placeholder = k.placeholder
         and t.person_key = any(array(select jsonb_array_elements_text(${json(unique.map((k) => k.key))})))
         ${inWeeks(sql.raw('t.week_start'))}`);
    await db.execute(sql`
      with a as (${assignmentsOf(unique)})
      insert into planning_week_totals (person_key, placeholder, week_start, confirmed, tentative)
      select coalesce(a.person_id::text, a.placeholder), a.person_id is null, w.week_start,
             coalesce(sum(w.hours) filter (where a.status = 'confirmed'), 0),
             coalesce(sum(w.hours) filter (where a.status = 'tentative'), 0)
        from a join planning_weekly_hours w on w.assignment_id = a.id ${inWeeks(sql.raw('w.week_start'))}
       group by 1, 2, 3`);
  },

  /**
   * Totals of every key (of `personIds` and no placeholder, when given) in Mondays [from, to], one row
   * per key with its weeks as offsets from `from` and its hours in the same order. Aggregated to text
   * in SQL: a year of 5,000 people is 250,000 totals, and a row object per total cost the server more
   * than the database's scan (parsing and garbage collection, in a CPU profile).
   */
  async seriesInRange(db: DbOrTx, from: string, to: string, personIds?: string[]): Promise<TotalSeries[]> {
    const people = personIds
      ? sql`and not placeholder and person_key in (select jsonb_array_elements_text(${json(personIds)}))`
      : sql``;
    const result = await db.execute<{
      key: string;
      placeholder: boolean;
      w: string;
      c: string;
      t: string;
    }>(sql`
      select person_key as key, placeholder, array_agg((week_start - ${from}::date) / 7)::text as w,
             array_agg(confirmed)::text as c, array_agg(tentative)::text as t
        from planning_week_totals
       where week_start between ${from}::date and ${to}::date ${people}
       group by 1, 2`);
    const numbers = (text: string) => text.slice(1, -1).split(',').map(Number);
    return result.rows.map((r) => ({
      key: r.key,
      placeholder: r.placeholder,
      weeks: numbers(r.w),
      confirmed: numbers(r.c),
      tentative: numbers(r.t),
    }));
  },

  /** Every total that differs from its week rows (missing on either side included), by key and week. */
  async mismatches(db: DbOrTx): Promise<TotalMismatch[]> {
    const result = await db.execute<TotalMismatch>(sql`
      with truth as (${truth})
      select coalesce(t.key, k.person_key) as key, coalesce(t.week_start, k.week_start)::text as week,
             case when t.key is not null then json_build_object('confirmed', t.confirmed::float8, 'tentative', t.tentative::float8) end as expected,
             case when k.person_key is not null then json_build_object('confirmed', k.confirmed::float8, 'tentative', k.tentative::float8) end as actual
        from truth t full join planning_week_totals k
          on k.person_key = t.key and k.placeholder = t.placeholder and k.week_start = t.week_start
       where t.key is null or k.person_key is null or t.confirmed <> k.confirmed or t.tentative <> k.tentative
       order by 1, 2`);
    return result.rows;
  },

  /** Rebuilds every total from the week rows (rows that came in around the repository). */
  async rebuildAll(db: DbOrTx): Promise<void> {
    await db.execute(sql`lock table planning_week_totals in exclusive mode`);
    await db.execute(sql`delete from planning_week_totals`);
    await db.execute(sql`
      insert into planning_week_totals (person_key, placeholder, week_start, confirmed, tentative) ${truth}`);
  },
};
