import { and, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import { keyset } from '../../platform/pagination';
import { inScope, rows, type Scope } from './time.repo';
import {
  type LockRow,
  type SettingsRow,
  type TimesheetRow,
  timeLocks,
  timeSettings,
  timesheets,
} from './time.tables';

/** A stable, unlockable key shared by every writer of time (shared) and by lock changes (exclusive). */
const LOCKS_KEY = 7_020_001;

/** Weeks, period locks and the rules: what decides whether time may still change, and how it counts. */
export const timesheetsRepo = {
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

  /** The person's weeks sent back to them, newest week first. */
  returnedWeeks(db: DbOrTx, personId: string, limit: number): Promise<TimesheetRow[]> {
    return db
      .select()
      .from(timesheets)
      .where(and(eq(timesheets.personId, personId), eq(timesheets.status, 'rejected')))
      .orderBy(desc(timesheets.week))
      .limit(limit);
  },

  async timesheetById(db: DbOrTx, id: string): Promise<TimesheetRow | null> {
    const [row] = await db.select().from(timesheets).where(eq(timesheets.id, id));
    return row ?? null;
  },

  async updateTimesheet(db: DbOrTx, id: string, values: Partial<TimesheetRow>): Promise<TimesheetRow> {
    const [row] = await db.update(timesheets).set(values).where(eq(timesheets.id, id)).returning();
    return row!;
  },

  /** Timesheets waiting for a manager's decision, company-wide. */
  async submittedCount(db: DbOrTx): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(timesheets)
      .where(eq(timesheets.status, 'submitted'));
    return row?.n ?? 0;
  },

  /** Timesheets in a status with the worked seconds of their week, oldest submission first. */
  async listTimesheets(
    db: DbOrTx,
    f: { scope: Scope; status: string; week?: string },
    page: { limit: number; cursor?: string },
    at: Date,
  ) {
    const now = sql`${at.toISOString()}::timestamptz`;
    const ks = keyset({
      sorts: { submittedAt: { expr: sql`coalesce(t.submitted_at, t.updated_at)`, type: 'timestamptz' } },
      sort: 'submittedAt',
      dir: 'asc',
      id: sql`t.id`,
      ...page,
    });
    const found = await rows<{
      id: string;
      person_id: string;
      week: string;
      status: TimesheetRow['status'];
      submitted_at: string | null;
      worked_seconds: number;
      _k: string;
    }>(
      db,
      sql`
      select t.id, t.person_id, t.week, t.status,
        to_char(t.submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as submitted_at,
        coalesce(w.seconds, 0)::int as worked_seconds,
        ${ks.key} as _k
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
        ${ks.where ? sql`and ${ks.where}` : sql``}
      order by ${sql.join(ks.orderBy, sql`, `)}
      limit ${ks.fetch}`,
    );
    return ks.page(found);
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
};
