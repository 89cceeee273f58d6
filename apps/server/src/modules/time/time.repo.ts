import { randomUUID } from 'node:crypto';
import type { TReportGroup, TRoundingMode } from '@clockpilot/contracts';
import { and, asc, desc, eq, getTableColumns, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import {
  type BreakRow,
  type EntryRow,
  type LockRow,
  type SettingsRow,
  type TimesheetRow,
  timeBreaks,
  timeEntries,
  timeLocks,
  timeSettings,
  timesheets,
} from './time.tables';

/**
 * All SQL of the time module. A scope of `null` means every person (admins); otherwise the list of
 * person ids the caller may see, resolved by the services through the directory.
 */
export type Scope = string[] | null;

/** Raw queries answer `{ rows }` on both drivers; numbers are cast in SQL so both parse them alike. */
async function rows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * Reports and exports: their cost estimates trip PostgreSQL's JIT, whose compilation takes longer
 * (about a second) than the queries themselves, so it is switched off for their transaction.
 */
async function analytical<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return rows<T>(tx, query);
  });
}

const uuidArray = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;
const inScope = (column: SQL | typeof timeEntries.personId, scope: Scope) =>
  scope === null ? sql`true` : sql`${column} = any(${uuidArray(scope)})`;

/** A stable, unlockable key shared by every writer of time (shared) and by lock changes (exclusive). */
const LOCKS_KEY = 7_020_001;

/** Entry times as a range; an open entry reaches to infinity, as in the exclusion constraint. */
const entryRange = sql`tstzrange(${timeEntries.startedAt}, coalesce(${timeEntries.endedAt}, 'infinity'::timestamptz), '[)')`;

export type EntryFilter = {
  scope: Scope;
  person?: string;
  project?: string;
  billable?: boolean;
  /** Local dates (in each entry's zone), inclusive. */
  from?: string;
  to?: string;
};

/**
 * Entries whose local start day is within [from, to]. The UTC window around the dates (zones span
 * UTC-12 to UTC+14) lets the index narrow the rows before the exact per-zone test.
 */
function entryConditions(f: EntryFilter): SQL[] {
  const out: SQL[] = [inScope(timeEntries.personId, f.scope)];
  if (f.person) out.push(eq(timeEntries.personId, f.person));
  if (f.project) out.push(eq(timeEntries.projectId, f.project));
  if (f.billable !== undefined) out.push(eq(timeEntries.billable, f.billable));
  const localDay = sql`(${timeEntries.startedAt} at time zone ${timeEntries.timeZone})::date`;
  if (f.from) {
    out.push(sql`${timeEntries.startedAt} >= (${f.from}::date - interval '14 hours') at time zone 'UTC'`);
    out.push(sql`${localDay} >= ${f.from}::date`);
  }
  if (f.to) {
    out.push(sql`${timeEntries.startedAt} < (${f.to}::date + interval '1 day 12 hours') at time zone 'UTC'`);
    out.push(sql`${localDay} <= ${f.to}::date`);
  }
  return out;
}

export type ExportRow = {
  id: string;
  person_id: string;
  project_id: string | null;
  activity_id: string | null;
  day: string;
  start_local: string;
  end_local: string;
  time_zone: string;
  break_seconds: number;
  worked_seconds: number;
  billable: boolean;
  note: string | null;
};

/** Opaque keyset cursor over (instant, id). */
export const cursor = {
  encode: (at: Date, id: string) => Buffer.from(`${at.toISOString()}|${id}`).toString('base64url'),
  decode(value: string): { at: string; id: string } | null {
    const [at, id] = Buffer.from(value, 'base64url').toString('utf8').split('|');
    return at && id && !Number.isNaN(Date.parse(at)) && /^[0-9a-f-]{36}$/i.test(id) ? { at, id } : null;
  },
};

export const timeRepo = {
  // ---------- entries ----------

  async entryById(db: DbOrTx, id: string, lock = false): Promise<EntryRow | null> {
    const q = db.select().from(timeEntries).where(eq(timeEntries.id, id));
    const [row] = lock ? await q.for('update') : await q;
    return row ?? null;
  },

  async openEntry(db: DbOrTx, personId: string, lock = false): Promise<EntryRow | null> {
    const q = db
      .select()
      .from(timeEntries)
      .where(and(eq(timeEntries.personId, personId), isNull(timeEntries.endedAt)));
    const [row] = lock ? await q.for('update') : await q;
    return row ?? null;
  },

  async insertEntry(db: DbOrTx, values: typeof timeEntries.$inferInsert): Promise<EntryRow> {
    const [row] = await db.insert(timeEntries).values(values).returning();
    return row!;
  },

  async updateEntry(db: DbOrTx, id: string, values: Partial<EntryRow>): Promise<EntryRow> {
    const [row] = await db.update(timeEntries).set(values).where(eq(timeEntries.id, id)).returning();
    return row!;
  },

  async deleteEntry(db: DbOrTx, id: string): Promise<void> {
    await db.delete(timeEntries).where(eq(timeEntries.id, id));
  },

  /** Another entry of the person overlapping [start, end); names the conflict of a 409. */
  async overlapping(
    db: DbOrTx,
    personId: string,
    start: Date,
    end: Date | null,
    exceptId?: string,
  ): Promise<EntryRow | null> {
    const [row] = await db
      .select()
      .from(timeEntries)
      .where(
        and(
          eq(timeEntries.personId, personId),
          sql`${entryRange} && tstzrange(${start.toISOString()}::timestamptz, coalesce(${end?.toISOString() ?? null}::timestamptz, 'infinity'), '[)')`,
          exceptId ? sql`${timeEntries.id} <> ${exceptId}` : undefined,
        ),
      )
      .orderBy(asc(timeEntries.startedAt))
      .limit(1);
    return row ?? null;
  },

  /** Entries of the people touching [start, end), oldest first. */
  async entriesWithin(db: DbOrTx, personIds: string[], start: Date, end: Date): Promise<EntryRow[]> {
    if (personIds.length === 0) return [];
    return db
      .select()
      .from(timeEntries)
      .where(
        and(
          inArray(timeEntries.personId, personIds),
          sql`${timeEntries.startedAt} < ${end.toISOString()}::timestamptz`,
          sql`coalesce(${timeEntries.endedAt}, 'infinity') > ${start.toISOString()}::timestamptz`,
        ),
      )
      .orderBy(asc(timeEntries.startedAt), asc(timeEntries.id));
  },

  /** Newest first, keyset-paginated. */
  async listEntries(
    db: DbOrTx,
    filter: EntryFilter,
    page: { limit: number; after?: { at: string; id: string } },
  ): Promise<EntryRow[]> {
    const where = entryConditions(filter);
    if (page.after) {
      where.push(
        sql`(${timeEntries.startedAt}, ${timeEntries.id}) < (${page.after.at}::timestamptz, ${page.after.id}::uuid)`,
      );
    }
    return db
      .select()
      .from(timeEntries)
      .where(and(...where))
      .orderBy(desc(timeEntries.startedAt), desc(timeEntries.id))
      .limit(page.limit + 1);
  },

  // ---------- breaks ----------

  async breaksOf(db: DbOrTx, entryIds: string[]): Promise<BreakRow[]> {
    if (entryIds.length === 0) return [];
    return db
      .select()
      .from(timeBreaks)
      .where(inArray(timeBreaks.entryId, entryIds))
      .orderBy(asc(timeBreaks.startedAt));
  },

  async replaceBreaks(db: DbOrTx, entryId: string, breaks: Array<{ start: Date; end: Date }>) {
    await db.delete(timeBreaks).where(eq(timeBreaks.entryId, entryId));
    if (breaks.length > 0) {
      await db
        .insert(timeBreaks)
        .values(breaks.map((b) => ({ entryId, startedAt: b.start, endedAt: b.end })));
    }
  },

  async startBreak(db: DbOrTx, entryId: string, at: Date): Promise<BreakRow> {
    const [row] = await db.insert(timeBreaks).values({ entryId, startedAt: at }).returning();
    return row!;
  },

  async endRunningBreak(db: DbOrTx, entryId: string, at: Date): Promise<BreakRow | null> {
    const [row] = await db
      .update(timeBreaks)
      .set({ endedAt: at })
      .where(and(eq(timeBreaks.entryId, entryId), isNull(timeBreaks.endedAt)))
      .returning();
    return row ?? null;
  },

  // ---------- locks and week status: the guard of every write ----------

  /**
   * Takes the shared side of the time-lock key: a new lock waits for the writes in flight, and a write
   * reads the locks (in `lockWeeks`, a later statement) only once no lock change is running.
   */
  async holdLocksShared(tx: DbOrTx): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock_shared(${LOCKS_KEY})`);
  },

  /** The exclusive side: waits until no write of time is in flight. */
  async lockForLockChange(tx: DbOrTx): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCKS_KEY})`);
  },

  async activeLockDate(db: DbOrTx): Promise<string | null> {
    const [row] = await rows<{ before: string | null }>(
      db,
      sql`select max(before)::text as before from time_locks where released_at is null`,
    );
    return row?.before ?? null;
  },

  async listLocks(db: DbOrTx): Promise<LockRow[]> {
    return db.select().from(timeLocks).orderBy(desc(timeLocks.createdAt), desc(timeLocks.id)).limit(200);
  },

  async lockById(db: DbOrTx, id: string): Promise<LockRow | null> {
    const [row] = await db.select().from(timeLocks).where(eq(timeLocks.id, id));
    return row ?? null;
  },

  async insertLock(db: DbOrTx, values: typeof timeLocks.$inferInsert): Promise<LockRow> {
    const [row] = await db.insert(timeLocks).values(values).returning();
    return row!;
  },

  async releaseLock(db: DbOrTx, id: string, at: Date, by: string | null): Promise<LockRow> {
    const [row] = await db
      .update(timeLocks)
      .set({ releasedAt: at, releasedBy: by })
      .where(eq(timeLocks.id, id))
      .returning();
    return row!;
  },

  // ---------- timesheets ----------

  /**
   * Creates the weeks' rows when missing and locks them for this transaction, so a submit or approval
   * cannot slip between a write's status check and its commit.
   */
  async lockWeeks(
    tx: DbOrTx,
    weeks: Array<{ personId: string; week: string; timeZone: string; startsAt: Date; endsAt: Date }>,
  ): Promise<{ rows: TimesheetRow[]; lockedBefore: string | null }> {
    const rows = await tx
      .insert(timesheets)
      .values(weeks)
      .onConflictDoUpdate({
        target: [timesheets.personId, timesheets.week],
        set: { status: sql`${timesheets.status}` },
      })
      // The effective lock date rides along, saving a round trip on every write.
      .returning({
        ...getTableColumns(timesheets),
        lockedBefore: sql<
          string | null
        >`(select max(before)::text from time_locks where released_at is null)`,
      });
    return {
      rows: rows.map(({ lockedBefore: _, ...row }) => row),
      lockedBefore: rows[0]?.lockedBefore ?? null,
    };
  },

  async weekRow(db: DbOrTx, personId: string, week: string): Promise<TimesheetRow | null> {
    const [row] = await db
      .select()
      .from(timesheets)
      .where(and(eq(timesheets.personId, personId), eq(timesheets.week, week)));
    return row ?? null;
  },

  async timesheetById(db: DbOrTx, id: string): Promise<TimesheetRow | null> {
    const [row] = await db.select().from(timesheets).where(eq(timesheets.id, id));
    return row ?? null;
  },

  async updateTimesheet(db: DbOrTx, id: string, values: Partial<TimesheetRow>): Promise<TimesheetRow> {
    const [row] = await db.update(timesheets).set(values).where(eq(timesheets.id, id)).returning();
    return row!;
  },

  /** Timesheets in a status with the worked seconds of their week, oldest submission first. */
  async listTimesheets(
    db: DbOrTx,
    f: { scope: Scope; status: string; week?: string },
    page: { limit: number; after?: { at: string; id: string } },
    at: Date,
  ) {
    const now = sql`${at.toISOString()}::timestamptz`;
    const key = sql`coalesce(t.submitted_at, t.updated_at)`;
    return rows<{
      id: string;
      person_id: string;
      week: string;
      status: TimesheetRow['status'];
      submitted_at: string | null;
      key_at: string;
      worked_seconds: number;
    }>(
      db,
      sql`
      select t.id, t.person_id, t.week, t.status,
        to_char(t.submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as submitted_at,
        to_char(${key} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as key_at,
        coalesce(w.seconds, 0)::int as worked_seconds
      from timesheets t
      left join lateral (
        select sum(
          extract(epoch from (least(coalesce(e.ended_at, ${now}), t.ends_at) - greatest(e.started_at, t.starts_at)))
          - coalesce((select sum(extract(epoch from (
                least(coalesce(b.ended_at, ${now}), t.ends_at) - greatest(b.started_at, t.starts_at))))
              from time_breaks b
              where b.entry_id = e.id and b.started_at < t.ends_at and coalesce(b.ended_at, ${now}) > t.starts_at), 0)
        ) as seconds
        from time_entries e
        where e.person_id = t.person_id and e.started_at < t.ends_at and coalesce(e.ended_at, 'infinity') > t.starts_at
      ) w on true
      where t.status = ${f.status}
        and ${inScope(sql`t.person_id`, f.scope)}
        ${f.week ? sql`and t.week = ${f.week}` : sql``}
        ${page.after ? sql`and (${key}, t.id) > (${page.after.at}::timestamptz, ${page.after.id}::uuid)` : sql``}
      order by ${key}, t.id
      limit ${page.limit + 1}`,
    );
  },

  // ---------- settings ----------

  async settings(db: DbOrTx): Promise<SettingsRow> {
    const [row] = await db.select().from(timeSettings).where(eq(timeSettings.id, 1));
    return row!;
  },

  async updateSettings(db: DbOrTx, values: Partial<SettingsRow>): Promise<SettingsRow> {
    const [row] = await db.update(timeSettings).set(values).where(eq(timeSettings.id, 1)).returning();
    return row!;
  },

  // ---------- reports, exports, presence ----------

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
    const key = {
      person: sql`p.person_id::text`,
      project: sql`p.project_id::text`,
      activity: sql`p.activity_id::text`,
      day: sql`p.day::text`,
      week: sql`to_char(p.day, 'IYYY-"W"IW')`,
    }[groupBy];
    const step = rounding.minutes * 60;
    const rounded = {
      none: sql`p.secs`,
      nearest: sql`round(p.secs / ${step}) * ${step}`,
      up: sql`ceil(p.secs / ${step}) * ${step}`,
      down: sql`floor(p.secs / ${step}) * ${step}`,
    }[rounding.mode];
    const where = entryConditions({ ...filter, from: undefined, to: undefined });
    // Every zone's local days of the range lie within these UTC instants.
    const lower = sql`(${filter.from}::date - interval '14 hours') at time zone 'UTC'`;
    const upper = sql`(${filter.to}::date + interval '1 day 14 hours') at time zone 'UTC'`;
    return analytical<{
      key: string | null;
      /** 1 on the one row of totals over all groups. */
      is_total: number;
      worked: number;
      rounded: number;
      billable: number;
      entries: number;
    }>(
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
   * Closed entries for an export in (start, id) order, read through a server-side cursor `batch` rows
   * at a time: one plan, one pass over the table, and memory bounded by the batch.
   */
  async exportCursor(
    db: DbOrTx,
    filter: EntryFilter & { from: string; to: string },
    batch: number,
    onRows: (rows: ExportRow[]) => Promise<void>,
  ): Promise<void> {
    const where = entryConditions(filter);
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local jit = off`);
      await tx.execute(sql`declare time_export no scroll cursor for
        select ${timeEntries.id} as id, ${timeEntries.personId} as person_id,
          ${timeEntries.projectId} as project_id, ${timeEntries.activityId} as activity_id,
          to_char(${timeEntries.startedAt} at time zone ${timeEntries.timeZone}, 'YYYY-MM-DD') as day,
          to_char(${timeEntries.startedAt} at time zone ${timeEntries.timeZone}, 'YYYY-MM-DD HH24:MI') as start_local,
          to_char(${timeEntries.endedAt} at time zone ${timeEntries.timeZone}, 'YYYY-MM-DD HH24:MI') as end_local,
          ${timeEntries.timeZone} as time_zone,
          coalesce(b.seconds, 0)::float8 as break_seconds,
          (extract(epoch from (${timeEntries.endedAt} - ${timeEntries.startedAt})) - coalesce(b.seconds, 0))::float8 as worked_seconds,
          ${timeEntries.billable} as billable, ${timeEntries.note} as note
        from ${timeEntries}
        left join lateral (
          select sum(extract(epoch from (tb.ended_at - tb.started_at))) as seconds
          from time_breaks tb where tb.entry_id = ${timeEntries.id}
        ) b on true
        where ${and(...where)} and ${timeEntries.endedAt} is not null
        order by ${timeEntries.startedAt}, ${timeEntries.id}`);
      for (;;) {
        const got = await rows<ExportRow>(tx, sql.raw(`fetch ${Math.trunc(batch)} from time_export`));
        if (got.length > 0) await onRows(got);
        if (got.length < batch) break;
      }
    });
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

  /** Bulk insert of generated entries and their breaks; entries overlapping existing time are skipped. */
  async insertMany(
    db: DbOrTx,
    entries: Array<typeof timeEntries.$inferInsert & { breaks: Array<{ start: Date; end: Date }> }>,
  ): Promise<number> {
    if (entries.length === 0) return 0;
    const withIds = entries.map((e) => ({ ...e, id: e.id ?? randomUUID() }));
    const inserted = new Set(
      (
        await db
          .insert(timeEntries)
          .values(withIds.map(({ breaks: _b, ...e }) => e))
          .onConflictDoNothing()
          .returning({ id: timeEntries.id })
      ).map((r) => r.id),
    );
    const breaks = withIds
      .filter((e) => inserted.has(e.id))
      .flatMap((e) => e.breaks.map((b) => ({ entryId: e.id, startedAt: b.start, endedAt: b.end })));
    if (breaks.length > 0) await db.insert(timeBreaks).values(breaks);
    return inserted.size;
  },
};
