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
    // Grouped by the raw value (uuid, date, week's Monday) and turned into text once per group, not per row.
    const key =
      groupBy === 'week'
        ? sql`date_trunc('week', p.day)::date`
        : sql`p.${sql.raw(`${groupBy === 'day' ? 'day' : `${groupBy}_id`}`)}`;
    const label = groupBy === 'week' ? sql`to_char(g.key, 'IYYY-"W"IW')` : sql`g.key::text`;
    const from = sql`${filter.from}::date`;
    const groupStart = {
      person: from,
      project: from,
      activity: from,
      day: sql`p.day`,
      week: sql`greatest(${from}, date_trunc('week', p.day)::date)`,
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
    return analytical<SummaryRow>(
      db,
      sql`
      select ${label} as key, g.is_total, g.worked, g.rounded, g.billable, g.entries from (
      select ${key} as key, grouping(${key})::int as is_total,
        round(sum(p.worked_seconds))::float8 as worked,
        round(sum(p.rounded_seconds))::float8 as rounded,
        round(sum(case when p.billable then p.rounded_seconds else 0 end))::float8 as billable,
        coalesce(case when grouping(${key}) = 1 then sum(${counted(from)}) else sum(${counted(groupStart)}) end, 0)::int as entries
      from ${source(filter, groupBy)} p
      where ${and(...where)}
      group by grouping sets ((${key}), ())) g
      order by g.is_total, g.key nulls last`,
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
