import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import { pgList, pgText, pgTexts } from '../../platform/pg-arrays';
import { addDays, mondayOf, once, weeksBetween } from './planning.weeks';

/** Whose week totals: a person (by id) or a placeholder (by name). */
export type TotalKey = { key: string; placeholder: boolean };

/**
 * A key's totals of one ISO year, in hours per ISO week (index 0 is week 1, 53 entries), placed by
 * `offset`: the index of the year's week 1 counted in weeks from the range's first Monday.
 */
export type TotalSeries = TotalKey & { offset: number; confirmed: number[]; tentative: number[] | null };

/** A week's change of an assignment's hours, in quarter hours, for its key's totals. */
export type WeekChange = {
  owner: { personId: string | null; placeholder: string | null; status: 'tentative' | 'confirmed' };
  monday: string;
  quarters: number;
};

/** A key-year's changes per ISO week (index 0 is week 1), confirmed and tentative; null where none. */
type YearChange = TotalKey & {
  year: number;
  confirmed: number[] | null;
  tentative: number[] | null;
  /** The first and last week changed (index 0 is week 1). */
  first: number;
  last: number;
};

export type TotalMismatch = {
  key: string;
  week: string;
  expected: { confirmed: number; tentative: number } | null;
  actual: { confirmed: number; tentative: number } | null;
};

const WEEKS = 53;
const WEEKS_SQL = sql.raw(String(WEEKS));
const json = (v: unknown) => sql`${JSON.stringify(v)}::jsonb`;
/** The ISO year of a Monday is the year of its Thursday. */
const isoYearOf = (monday: string) => Number(addDays(monday, 3).slice(0, 4));
/** The Monday of week 1 of an ISO year: the week of 4 January. */
const yearStart = (year: number) => mondayOf(`${String(year).padStart(4, '0')}-01-04`);

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

/**
 * Year rows as the week rows give them, of the assignments in `a`: quarter hours summed per key and
 * ISO week, then spread over the 53 weeks of each key's year.
 */
const yearRows = (a: ReturnType<typeof sql>) => sql`
  with s as (
    select coalesce(a.person_id::text, a.placeholder) as k, a.person_id is null as p,
           extract(isoyear from w.week_start)::int as y, extract(week from w.week_start)::int as i,
           (coalesce(sum(w.hours) filter (where a.status = 'confirmed'), 0) * 4)::int as c,
           (coalesce(sum(w.hours) filter (where a.status = 'tentative'), 0) * 4)::int as t
      from (${a}) a join planning_weekly_hours w on w.assignment_id = a.id
     group by 1, 2, 3, 4)
  select y.k, y.p, y.y, array_agg(coalesce(s.c, 0) order by g.i) as c, array_agg(coalesce(s.t, 0) order by g.i) as t
    from (select distinct k, p, y from s) y
   cross join generate_series(1, ${WEEKS_SQL}) g(i)
    left join s on s.k = y.k and s.p = y.p and s.y = y.y and s.i = g.i
   group by 1, 2, 3`;

const allAssignments = sql`select id, person_id, placeholder, status from planning_assignments`;

/** Quarter hours as Postgres prints an integer array (`{16,0,21}`), in hours. */
function hoursOf(text: string): number[] {
  const out = new Array<number>(WEEKS);
  let i = 0;
  let n = 0;
  for (let j = 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c >= 48 && c <= 57) n = n * 10 + c - 48;
    else {
      out[i++] = n / 4;
      n = 0;
    }
  }
  return out;
}

const ZEROS = sql`array_fill(0, array[${WEEKS_SQL}])`;

/** Week changes summed per key and ISO year, each year as its 53 weeks. */
function yearChanges(changes: readonly WeekChange[]): YearChange[] {
  const rows = new Map<string, YearChange>();
  // A change's ISO year and week index, once per distinct Monday (a shift changes a few Mondays).
  const place = once((monday: string) => {
    const year = isoYearOf(monday);
    return { year, i: weeksBetween(yearStart(year), monday) };
  });
  for (const { owner, monday, quarters } of changes) {
    const placeholder = owner.personId === null;
    const key = owner.personId ?? owner.placeholder ?? '';
    const { year, i } = place(monday);
    const id = `${year}|${placeholder}|${key}`;
    let row = rows.get(id);
    if (!row) {
      row = { key, placeholder, year, confirmed: null, tentative: null, first: i, last: i };
      rows.set(id, row);
    }
    const weeks = row[owner.status] ?? new Array<number>(WEEKS).fill(0);
    row[owner.status] = weeks;
    weeks[i]! += quarters;
    row.first = Math.min(row.first, i);
    row.last = Math.max(row.last, i);
  }
  return [...rows.values()];
}

/** The advisory lock of a key's year rows. */
const lockHash = (placeholder: SQL, key: SQL) =>
  sql`hashtextextended('planning_year_totals:' || ${placeholder} || '|' || ${key}, 0)`;

/**
 * Finds the keys the assignments count towards, and `keys`, and takes their advisory locks in one
 * order, so two transactions writing one person's hours update the totals one after the other and
 * the second's next statement sees the first's rows.
 */
async function lockKeys(db: DbOrTx, assignmentIds: string[], keys: TotalKey[]): Promise<TotalKey[]> {
  const locked = await db.execute<TotalKey>(sql`
    select key, placeholder, pg_advisory_xact_lock(h) is null as none from (
      select distinct key, placeholder, ${lockHash(sql`placeholder`, sql`key`)} as h
        from (select coalesce(person_id::text, placeholder) as key, person_id is null as placeholder
                from planning_assignments where id in (select jsonb_array_elements_text(${json(assignmentIds)})::uuid)
              union all
              select key, placeholder from jsonb_to_recordset(${json(keys)}) as k(key text, placeholder boolean)) u
       order by h) s`);
  return locked.rows.map((r) => ({ key: r.key, placeholder: r.placeholder }));
}

/**
 * Writes the whole year rows a `fresh` CTE (k, p, y, c, t) gives, after the CTEs it needs: upserts
 * those with hours and deletes those left all zeros (disjoint rows, so the two parts never meet).
 */
const writeYears = (ctes: SQL) => sql`
  with ${ctes},
  up as (
    insert into planning_year_totals (person_key, placeholder, iso_year, confirmed, tentative)
    select k, p, y, c, t from fresh where c <> ${ZEROS} or t <> ${ZEROS}
    on conflict (person_key, placeholder, iso_year)
      do update set confirmed = excluded.confirmed, tentative = excluded.tentative)
  delete from planning_year_totals d using fresh f
   where d.person_key = f.k and d.placeholder = f.p and d.iso_year = f.y and f.c = ${ZEROS} and f.t = ${ZEROS}`;

/**
 * planning_year_totals: confirmed and tentative quarter hours per person (or placeholder), ISO year
 * and week, one row per key and year. Every write of weekly hours or of an assignment's person or
 * status calls `sync` in its transaction.
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
   * Recomputes the year rows (of the ISO years of `weeks` only, when given) of the keys the assignments
   * count towards, and of `keys` (where moved assignments counted before), from their weekly hours.
   * Two statements: the keys are locked (`lockKeys`), then the rows are rebuilt.
   */
  async sync(
    db: DbOrTx,
    of: { assignmentIds?: string[]; keys?: TotalKey[]; weeks?: string[] },
  ): Promise<void> {
    const { assignmentIds = [], keys = [], weeks } = of;
    if ((assignmentIds.length === 0 && keys.length === 0) || weeks?.length === 0) return;
    const unique = await lockKeys(db, assignmentIds, keys);
    if (unique.length === 0) return;
    if (!weeks) {
      // Every year of the keys: the fresh rows upserted, the keys' other rows deleted (disjoint rows,
      // so the two parts never meet).
      await db.execute(sql`
        with fresh as (${yearRows(assignmentsOf(unique))}),
        up as (
          insert into planning_year_totals (person_key, placeholder, iso_year, confirmed, tentative)
          select k, p, y, c, t from fresh
          on conflict (person_key, placeholder, iso_year)
            do update set confirmed = excluded.confirmed, tentative = excluded.tentative)
        delete from planning_year_totals t
         using jsonb_to_recordset(${json(unique)}) as k(key text, placeholder boolean)
         where t.person_key = k.key and t.placeholder = k.placeholder
           and not exists (select 1 from fresh f where f.k = t.person_key and f.p = t.placeholder and f.y = t.iso_year)`);
      return;
    }
    // Only the touched weeks are summed again (a reallocation touches a few weeks of 200 people, not
    // their whole year); the other elements are kept from the stored row.
    // Each assignment's touched weeks are looked up by the primary key, (assignment, week): joined
    // any other way the planner read all 50 week rows of each of 800 assignments, scattered over the
    // heap (46,000 buffers, EXPLAIN ANALYZE; 20,000 now). `offset 0` keeps the lookup per assignment.
    const touched = [...new Set(weeks.map(mondayOf))];
    await db.execute(
      writeYears(sql`
      touched as (
        select extract(isoyear from d)::int as y, extract(week from d)::int as i
          from (select jsonb_array_elements_text(${json(touched)})::date as d) m),
      s as (
        select coalesce(a.person_id::text, a.placeholder) as k, a.person_id is null as p,
               extract(isoyear from w.week_start)::int as y, extract(week from w.week_start)::int as i,
               (coalesce(sum(w.hours) filter (where a.status = 'confirmed'), 0) * 4)::int as c,
               (coalesce(sum(w.hours) filter (where a.status = 'tentative'), 0) * 4)::int as t
          from (${assignmentsOf(unique)}) a
         cross join lateral (
           select week_start, hours from planning_weekly_hours
            where assignment_id = a.id and week_start = any(${pgList(touched)}::date[])
           offset 0) w
         group by 1, 2, 3, 4),
      fresh as (
        select k.key as k, k.placeholder as p, ty.y,
               array_agg(case when tw.i is null then coalesce(o.confirmed[g.i], 0) else coalesce(s.c, 0) end order by g.i) as c,
               array_agg(case when tw.i is null then coalesce(o.tentative[g.i], 0) else coalesce(s.t, 0) end order by g.i) as t
          from jsonb_to_recordset(${json(unique)}) as k(key text, placeholder boolean)
         cross join (select distinct y from touched) ty
         cross join generate_series(1, ${WEEKS_SQL}) g(i)
          left join touched tw on tw.y = ty.y and tw.i = g.i
          left join s on s.k = k.key and s.p = k.placeholder and s.y = ty.y and s.i = g.i
          left join planning_year_totals o on o.person_key = k.key and o.placeholder = k.placeholder and o.iso_year = ty.y
         group by 1, 2, 3)`),
    );
  },

  /**
   * Runs `writes` (CTEs that change week rows) and adds their `changes` (each read under its
   * assignment's row lock, with the key and status read under the same lock) to the stored rows, in
   * one statement: the changes are summed here per key and year into 53-element rows, which are
   * added where the rows stand (an upsert sees the latest committed row), so nothing but the changed
   * keys' rows is read. The keys' advisory locks are taken before the first row, as `sync` takes
   * them, so a rebuild of the same keys waits for this transaction. A row left all zeros is deleted
   * by a second statement, only when there is one. Under READ COMMITTED (every transaction here): the
   * upsert must add to the latest committed row, not the statement's snapshot.
   */
  async add(db: DbOrTx, writes: SQL, changes: readonly WeekChange[]): Promise<void> {
    const rows = yearChanges(changes);
    // Each row's weeks from its first changed one to its last, placed by their offset `f` (0: week 1).
    const slices = (side: 'confirmed' | 'tentative') =>
      pgList(rows.map((r) => (r[side] ? pgText(pgList(r[side].slice(r.first, r.last + 1))) : null)));
    // Added element by element only when it changes: most rows change one side (a reallocation's
    // 200 people their confirmed hours), and the sum cost ~40 µs a row.
    const plus = (stored: SQL, change: SQL) => sql`case when ${change} = ${ZEROS} then ${stored}
      else (select array_agg(x + e order by n) from unnest(${stored}, ${change}) with ordinality u(x, e, n)) end`;
    const full = (x: SQL) => sql`case when ${x} is null then ${ZEROS}
      else array_fill(0, array[f]) || ${x}::int[] || array_fill(0, array[${WEEKS_SQL} - f - cardinality(${x}::int[])]) end`;
    const empty = await db.execute<{ k: string; p: boolean; y: number }>(sql`
      with ${writes},
      v as (
        select * from unnest(${pgTexts(rows.map((r) => r.key))}::text[], ${pgList(rows.map((r) => r.placeholder))}::bool[],
                             ${pgList(rows.map((r) => r.year))}::int[], ${pgList(rows.map((r) => r.first))}::int[],
                             ${slices('confirmed')}::text[], ${slices('tentative')}::text[]) u(k, p, y, f, c, t)),
      lk as (select pg_advisory_xact_lock(h) from (select distinct ${lockHash(sql`p`, sql`k`)} as h from v) s order by h),
      added as (
        insert into planning_year_totals as o (person_key, placeholder, iso_year, confirmed, tentative)
        select k, p, y, ${full(sql`c`)}, ${full(sql`t`)} from v where (select count(*) from lk) >= 0
        on conflict (person_key, placeholder, iso_year) do update
          set confirmed = ${plus(sql`o.confirmed`, sql`excluded.confirmed`)},
              tentative = ${plus(sql`o.tentative`, sql`excluded.tentative`)}
        returning person_key, placeholder, iso_year, confirmed, tentative)
      select person_key as k, placeholder as p, iso_year as y from added where confirmed = ${ZEROS} and tentative = ${ZEROS}`);
    if (empty.rows.length === 0) return;
    await db.execute(sql`
      delete from planning_year_totals t using jsonb_to_recordset(${json(empty.rows)}) as e(k text, p boolean, y int)
       where t.person_key = e.k and t.placeholder = e.p and t.iso_year = e.y
         and t.confirmed = ${ZEROS} and t.tentative = ${ZEROS}`);
  },

  /**
   * Year rows of every key (of `personIds` and no placeholder, when given) overlapping Mondays
   * [from, to]: one row per key and year, so 5,000 people over a year are 5,000 rows, not 250,000.
   * A year without tentative hours comes as null (most do), which spares parsing it.
   */
  async seriesInRange(db: DbOrTx, from: string, to: string, personIds?: string[]): Promise<TotalSeries[]> {
    const people = personIds
      ? sql`and not placeholder and person_key in (select jsonb_array_elements_text(${json(personIds)}))`
      : sql``;
    const [first, last] = [isoYearOf(from), isoYearOf(to)];
    const result = await db.execute<{
      key: string;
      placeholder: boolean;
      y: number;
      c: string;
      t: string | null;
    }>(sql`
      select person_key as key, placeholder, iso_year as y, confirmed::text as c,
             case when tentative <> array_fill(0, array[${WEEKS_SQL}]) then tentative::text end as t
        from planning_year_totals
       where iso_year between ${first} and ${last} ${people}`);
    const offsets = new Map<number, number>();
    for (let y = first; y <= last; y++) offsets.set(y, weeksBetween(from, yearStart(y)));
    return result.rows.map((r) => ({
      key: r.key,
      placeholder: r.placeholder,
      offset: offsets.get(r.y)!,
      confirmed: hoursOf(r.c),
      tentative: r.t === null ? null : hoursOf(r.t),
    }));
  },

  /** Every week whose total differs from its week rows (missing on either side included), by key and week. */
  async mismatches(db: DbOrTx): Promise<TotalMismatch[]> {
    const perWeek = (rows: ReturnType<typeof sql>) => sql`
      select r.k, r.p, to_date(r.y || '-' || g.i, 'IYYY-IW') as week, r.c[g.i] as c, r.t[g.i] as t
        from (${rows}) r cross join generate_series(1, ${WEEKS_SQL}) g(i)
       where r.c[g.i] <> 0 or r.t[g.i] <> 0`;
    const stored = sql`select person_key as k, placeholder as p, iso_year as y, confirmed as c, tentative as t
                         from planning_year_totals`;
    const result = await db.execute<TotalMismatch>(sql`
      with truth as (${perWeek(yearRows(allAssignments))}), kept as (${perWeek(stored)})
      select coalesce(t.k, k.k) as key, to_char(coalesce(t.week, k.week), 'YYYY-MM-DD') as week,
             case when t.k is not null then json_build_object('confirmed', t.c / 4.0::float8, 'tentative', t.t / 4.0::float8) end as expected,
             case when k.k is not null then json_build_object('confirmed', k.c / 4.0::float8, 'tentative', k.t / 4.0::float8) end as actual
        from truth t full join kept k on k.k = t.k and k.p = t.p and k.week = t.week
       where t.k is null or k.k is null or t.c <> k.c or t.t <> k.t
       order by 1, 2`);
    return result.rows;
  },

  /** Rebuilds every total from the week rows (rows that came in around the repository). */
  async rebuildAll(db: DbOrTx): Promise<void> {
    await db.execute(sql`lock table planning_year_totals in exclusive mode`);
    await db.execute(sql`delete from planning_year_totals`);
    await db.execute(sql`
      insert into planning_year_totals (person_key, placeholder, iso_year, confirmed, tentative)
      ${yearRows(allAssignments)}`);
  },
};
