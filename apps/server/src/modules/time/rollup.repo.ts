import type { TReportGroup, TRoundingMode } from '@clockpilot/contracts';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import { analytical, type SummaryRow } from './reports.repo';
import { type EntryFilter, inScope } from './time.repo';
import { timeDayTotals, timeMonthTotals, timePersonDayTotals, timeRollupState } from './time.tables';

/**
 * The per-person, per-local-day rollup of closed entries (time_day_totals, migration 0023) and its
 * coarser levels per person and day and per person and month (0027). Triggers keep them current in
 * every writing transaction; their rounded figures follow the rounding rule recorded in
 * time_rollup_state, which a rebuild brings level with the settings.
 */
export const rollupRepo = {
  /** The rounding rule the rollup is built with. */
  async rounding(db: DbOrTx): Promise<{ mode: TRoundingMode; minutes: number }> {
    const [row] = await db.select().from(timeRollupState).where(eq(timeRollupState.id, 1));
    return { mode: row!.roundingMode as TRoundingMode, minutes: row!.roundingMinutes };
  },

  /** Recomputes every row with the current settings; entry writes wait until it commits. */
  async rebuild(db: DbOrTx): Promise<void> {
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local jit = off`);
      await tx.execute(sql`select time_rollup_rebuild()`);
    });
  },

  /**
   * The summary report's rows from the rollup, the same figures as the live query over the entries.
   * An entry is counted once per group: on its first day, or on the first day of the group within the
   * range when it started before (an entry across midnight, or across a week's start).
   */
  async summary(
    db: DbOrTx,
    filter: EntryFilter & { from: string; to: string },
    groupBy: TReportGroup,
  ): Promise<SummaryRow[]> {
    // Grouped by the raw value (uuid, date, week's Monday) and turned into text once per group, not per
    // row. A week's Monday by day arithmetic (1 January of year 1 was a Monday): date_trunc on a date
    // converts every row to a timestamp with time zone.
    const monday = sql`(p.day - (p.day - date '0001-01-01') % 7)`;
    const key =
      groupBy === 'week' ? monday : sql`p.${sql.raw(`${groupBy === 'day' ? 'day' : `${groupBy}_id`}`)}`;
    const label = groupBy === 'week' ? sql`to_char(t.key, 'IYYY-"W"IW')` : sql`t.key::text`;
    const from = sql`${filter.from}::date`;
    const groupStart = {
      person: from,
      project: from,
      activity: from,
      day: sql`p.day`,
      week: sql`greatest(${from}, ${monday})`,
    }[groupBy];
    const counted = (start: SQL) =>
      sql`p.starts + case when p.day = ${start} then p.pieces - p.starts else 0 end`;
    const where: SQL[] = [
      sql`p.day between ${from} and ${filter.to}::date`,
      inScope(sql`p.person_id`, filter.scope),
    ];
    if (filter.person) where.push(sql`p.person_id = ${filter.person}`);
    if (filter.project) where.push(sql`p.project_id = ${filter.project}`);
    if (filter.billable !== undefined) where.push(sql`p.billable = ${filter.billable}`);
    // One pass over the rows into the groups, then the totals from the groups: grouping sets would
    // aggregate every row twice. `counted` is the group's share of the entries counted over the range.
    return analytical<SummaryRow>(
      db,
      sql`
      with g as (
        select ${key} as key, sum(p.worked_seconds) as worked, sum(p.rounded_seconds) as rounded,
          sum(case when p.billable then p.rounded_seconds else 0 end) as billable,
          sum(${counted(groupStart)}) as entries, sum(${counted(from)}) as counted
        from ${source(filter, groupBy)} p
        where ${and(...where)}
        group by 1
      )
      select ${label} as key, t.is_total, round(t.worked)::float8 as worked, round(t.rounded)::float8 as rounded,
        round(t.billable)::float8 as billable, coalesce(t.entries, 0)::int as entries
      from (
        select key, 0 as is_total, worked, rounded, billable, entries from g
        union all
        select null, 1, sum(worked), sum(rounded), sum(billable), sum(counted) from g
      ) t
      order by t.is_total, t.key nulls last`,
    );
  },
};

/**
 * The coarsest rows that answer a summary, all with the columns of time_day_totals. Days and weeks
 * read a row per person and day (unless a project is asked for); persons, projects and activities read
 * the range's whole months from time_month_totals, each as a row on its first day whose `pieces` add
 * the entries carried into it, and only the days before and after them from time_day_totals.
 */
function source(filter: { from: string; to: string; project?: string }, groupBy: TReportGroup): SQL {
  if (groupBy === 'day' || groupBy === 'week')
    return filter.project ? sql`${timeDayTotals}` : sql`${timePersonDayTotals}`;
  const firstFull = sql`(date_trunc('month', (${filter.from}::date - 1)::timestamp) + interval '1 month')::date`;
  const afterFull = sql`date_trunc('month', (${filter.to}::date + 1)::timestamp)::date`;
  const m = timeMonthTotals;
  const d = timeDayTotals;
  return sql`(
    select ${m.personId}, ${m.projectId}, ${m.activityId}, ${m.billable}, ${m.month} as day,
      ${m.workedSeconds}, ${m.roundedSeconds}, ${m.starts} + ${m.carried} as pieces, ${m.starts}
    from ${m} where ${m.month} >= ${firstFull} and ${m.month} < ${afterFull}
    union all
    select ${d.personId}, ${d.projectId}, ${d.activityId}, ${d.billable}, ${d.day},
      ${d.workedSeconds}, ${d.roundedSeconds}, ${d.pieces}, ${d.starts}
    from ${d} where ${d.day} between ${filter.from}::date and ${filter.to}::date
      and not (${d.day} >= ${firstFull} and ${d.day} < ${afterFull})
  )`;
}
