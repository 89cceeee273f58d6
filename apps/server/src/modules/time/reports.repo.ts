import type { Readable } from 'node:stream';
import type { TReportGroup, TRoundingMode } from '@clockpilot/contracts';
import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database, DbOrTx } from '../../platform/db';
import { type EntryFilter, entryConditions, inScope, rows, type Scope } from './time.repo';
import { timeBreaks, timeEntries } from './time.tables';

/** One export line, formatted by PostgreSQL the same way for COPY and for the cursor. */
export type ExportRow = {
  date: string;
  person: string;
  employee_number: string | null;
  project_code: string | null;
  project: string | null;
  activity: string | null;
  start: string;
  end: string;
  time_zone: string;
  break_minutes: number;
  hours: number;
  rounded_hours: number;
  billable: string;
  note: string | null;
};

/** Names an export shows for the ids in its rows, looked up in the directory by the service. */
export type ExportNames = {
  people: Array<{ id: string; name: string; employeeNumber: string | null }>;
  projects: Array<{ id: string; code: string; name: string }>;
  activities: Array<{ id: string; name: string }>;
};

/**
 * Reports and exports: their cost estimates trip PostgreSQL's JIT, whose compilation takes longer
 * (about a second) than the queries themselves, so it is switched off for their transaction.
 */
export async function analytical<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return rows<T>(tx, query);
  });
}

/** The report's group of a row of pieces or day totals (both name their columns alike, as `p`). */
const groupKey = (groupBy: TReportGroup): SQL =>
  ({
    person: sql`p.person_id::text`,
    project: sql`p.project_id::text`,
    activity: sql`p.activity_id::text`,
    day: sql`p.day::text`,
    week: sql`to_char(p.day, 'IYYY-"W"IW')`,
  })[groupBy];

/** The earliest UTC instant of a local day in any zone (UTC+14). */
const entryStartsFrom = (day: string): SQL => sql`(${day}::date - interval '14 hours') at time zone 'UTC'`;

export type SummaryRow = {
  key: string | null;
  /** 1 on the one row of totals over all groups. */
  is_total: number;
  worked: number;
  rounded: number;
  billable: number;
  entries: number;
};

/** The read-only queries of reports, exports and presence. */
export const reportsRepo = {
  /**
   * Worked seconds grouped by person, project, activity, local day or ISO week. Each closed entry is
   * cut at local midnight in its zone (so DST days count their real length), breaks are subtracted per
   * piece, and the rounding rule is applied to each piece. The last row holds the totals.
   */
  async summary(
    db: DbOrTx,
    filter: EntryFilter & { from: string; to: string },
    groupBy: TReportGroup,
    rounding: { mode: TRoundingMode; minutes: number },
  ) {
    const key = groupKey(groupBy);
    const step = rounding.minutes * 60;
    const rounded = {
      none: sql`p.secs`,
      nearest: sql`round(p.secs / ${step}) * ${step}`,
      up: sql`ceil(p.secs / ${step}) * ${step}`,
      down: sql`floor(p.secs / ${step}) * ${step}`,
    }[rounding.mode];
    const where = entryConditions({ ...filter, from: undefined, to: undefined });
    // Every zone's local days of the range lie within these UTC instants.
    const lower = entryStartsFrom(filter.from);
    const upper = sql`(${filter.to}::date + interval '1 day 14 hours') at time zone 'UTC'`;
    return analytical<SummaryRow>(
      db,
      sql`
      with e as (
        select ${timeEntries.id} as id, ${timeEntries.personId} as person_id, ${timeEntries.projectId} as project_id,
          ${timeEntries.activityId} as activity_id, ${timeEntries.billable} as billable,
          ${timeEntries.timeZone} as tz, ${timeEntries.startedAt} as s, ${timeEntries.endedAt} as en,
          (${timeEntries.startedAt} at time zone ${timeEntries.timeZone})::date as d0,
          ((${timeEntries.endedAt} - interval '1 microsecond') at time zone ${timeEntries.timeZone})::date as d1,
          coalesce(bt.secs, 0) as break_secs
        from ${timeEntries}
        -- All breaks of the window summed per entry in one hash join, not looked up entry by entry.
        left join (
          select entry_id, sum(extract(epoch from (ended_at - started_at))) as secs
          from time_breaks
          where started_at < ${upper} and ended_at > ${lower}
          group by entry_id
        ) bt on bt.entry_id = ${timeEntries.id}
        where ${and(...where)} and ${timeEntries.endedAt} is not null
          and ${timeEntries.startedAt} < ${upper} and ${timeEntries.endedAt} > ${lower}
      ),
      p as (
        -- Most entries lie within one local day and keep their break total.
        select e.id, e.person_id, e.project_id, e.activity_id, e.billable, e.d0 as day,
          (extract(epoch from (e.en - e.s)) - e.break_secs)::numeric as secs
        from e
        where e.d0 = e.d1
        union all
        -- Entries across midnight: one piece per local day, each with the part of the breaks inside it.
        select x.id, x.person_id, x.project_id, x.activity_id, x.billable, x.day,
          (extract(epoch from (x.pe - x.ps)) - coalesce((
            select sum(extract(epoch from (least(b.ended_at, x.pe) - greatest(b.started_at, x.ps))))
            from time_breaks b where b.entry_id = x.id and b.started_at < x.pe and b.ended_at > x.ps), 0))::numeric
        from (
          select e.*, d.day::date as day,
            greatest(e.s, d.day at time zone e.tz) as ps,
            least(e.en, (d.day + interval '1 day') at time zone e.tz) as pe
          from e cross join lateral generate_series(e.d0::timestamp, e.d1::timestamp, interval '1 day') d(day)
          where e.d0 <> e.d1
        ) x
      )
      select ${key} as key, grouping(${key})::int as is_total,
        round(sum(p.secs))::float8 as worked,
        round(sum(${rounded}))::float8 as rounded,
        round(sum(case when p.billable then ${rounded} else 0 end))::float8 as billable,
        count(distinct p.id)::int as entries
      from p
      where p.day between ${filter.from}::date and ${filter.to}::date
      group by grouping sets ((${key}), ())
      order by is_total, 1 nulls last`,
    );
  },

  /** The projects and activities an export will name, so they are looked up before its cursor opens. */
  async exportRefs(db: DbOrTx, filter: EntryFilter & { from: string; to: string }) {
    const where = entryConditions(filter);
    return analytical<{ project_id: string | null; activity_id: string | null }>(
      db,
      sql`select distinct ${timeEntries.projectId} as project_id, ${timeEntries.activityId} as activity_id
        from ${timeEntries} where ${and(...where)} and ${timeEntries.endedAt} is not null`,
    );
  },

  /**
   * Closed entries for an export in (start, id) order, every column already text or a number as the
   * file shows it: PostgreSQL formats the rows, so COPY can send them without JavaScript touching each.
   * Empty values are null, which CSV writes as an empty field either way. The breaks of all entries
   * are summed in one pass and hash-joined (a lookup per entry cost as much as all the rest), and the
   * local start is computed once per row.
   */
  exportQuery(
    filter: EntryFilter & { from: string; to: string },
    names: ExportNames,
    rounding: { mode: TRoundingMode; minutes: number },
  ): SQL {
    const where = entryConditions(filter);
    const worked = sql`(extract(epoch from (e.ended_at - e.started_at)) - coalesce(e.break_seconds, 0))`;
    const hoursOf = (secs: SQL) => sql`(round(${secs} / 36) / 100)::float8`;
    const json = (v: unknown) => sql`${JSON.stringify(v)}::jsonb`;
    return sql`
      with people as (select * from jsonb_to_recordset(${json(names.people)})
          as x(id uuid, name text, "employeeNumber" text)),
        projects as (select * from jsonb_to_recordset(${json(names.projects)}) as x(id uuid, code text, name text)),
        activities as (select * from jsonb_to_recordset(${json(names.activities)}) as x(id uuid, name text))
      select to_char(e.local_start, 'YYYY-MM-DD') as date,
        coalesce(pe.name, e.person_id::text) as person,
        nullif(pe."employeeNumber", '') as employee_number,
        pr.code as project_code, pr.name as project, ac.name as activity,
        to_char(e.local_start, 'YYYY-MM-DD HH24:MI') as start,
        to_char(e.ended_at at time zone e.time_zone, 'YYYY-MM-DD HH24:MI') as end,
        e.time_zone,
        round(coalesce(e.break_seconds, 0) / 60)::int as break_minutes,
        ${hoursOf(worked)} as hours,
        ${hoursOf(sql`time_round(${worked}, ${rounding.mode}, ${rounding.minutes}::int)`)} as rounded_hours,
        case when e.billable then 'yes' else 'no' end as billable,
        nullif(e.note, '') as note
      from (
        select ${timeEntries.id} as id, ${timeEntries.personId} as person_id,
          ${timeEntries.projectId} as project_id, ${timeEntries.activityId} as activity_id,
          ${timeEntries.startedAt} as started_at, ${timeEntries.endedAt} as ended_at,
          ${timeEntries.timeZone} as time_zone, ${timeEntries.billable} as billable, ${timeEntries.note} as note,
          ${timeEntries.startedAt} at time zone ${timeEntries.timeZone} as local_start, b.seconds as break_seconds
        from ${timeEntries}
        left join (
          -- Summed once for the entries the filter selects (a hash join, not a look-up per entry).
          select tb.entry_id, sum(extract(epoch from (tb.ended_at - tb.started_at))) as seconds
          from time_breaks tb
          where tb.entry_id in (select ${timeEntries.id} from ${timeEntries} where ${and(...where)})
          group by tb.entry_id
        ) b on b.entry_id = ${timeEntries.id}
        where ${and(...where)} and ${timeEntries.endedAt} is not null
      ) e
      left join people pe on pe.id = e.person_id
      left join projects pr on pr.id = e.project_id
      left join activities ac on ac.id = e.activity_id
      order by e.started_at, e.id`;
  },

  /** The export's rows through a server-side cursor, `batch` at a time: memory bounded by the batch. */
  async exportCursor(
    db: DbOrTx,
    query: SQL,
    batch: number,
    onRows: (rows: ExportRow[]) => Promise<void>,
  ): Promise<void> {
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local jit = off`);
      await tx.execute(sql`declare time_export no scroll cursor for ${query}`);
      for (;;) {
        const got = await rows<ExportRow>(tx, sql.raw(`fetch ${Math.trunc(batch)} from time_export`));
        if (got.length > 0) await onRows(got);
        if (got.length < batch) break;
      }
    });
  },

  /**
   * PostgreSQL: the export's rows as CSV straight from `COPY … TO STDOUT`. COPY takes no bind
   * parameters, so the values (validated dates, ids, names) are inlined as escaped literals.
   */
  exportCsv(database: Database, query: SQL): Promise<Readable> {
    const text = new PgDialect().sqlToQuery(query.inlineParams()).sql;
    return database.copyOut!(`copy (${text}) to stdout with (format csv)`);
  },

  /** Open entries with their running break. */
  async presence(db: DbOrTx, scope: Scope) {
    return db
      .select({
        personId: timeEntries.personId,
        since: timeEntries.startedAt,
        projectId: timeEntries.projectId,
        breakSince: timeBreaks.startedAt,
      })
      .from(timeEntries)
      .leftJoin(timeBreaks, and(eq(timeBreaks.entryId, timeEntries.id), isNull(timeBreaks.endedAt)))
      .where(and(isNull(timeEntries.endedAt), inScope(timeEntries.personId, scope)))
      .orderBy(asc(timeEntries.startedAt));
  },

  /** People clocked in, split by whether they are on a break. */
  async openCounts(db: DbOrTx): Promise<{ working: number; onBreak: number }> {
    const [row] = await rows<{ working: number; on_break: number }>(
      db,
      sql`select count(*) filter (where b.id is null)::int as working, count(b.id)::int as on_break
        from time_entries e left join time_breaks b on b.entry_id = e.id and b.ended_at is null
        where e.ended_at is null`,
    );
    return { working: row?.working ?? 0, onBreak: row?.on_break ?? 0 };
  },
};
