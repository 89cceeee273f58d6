import { randomUUID } from 'node:crypto';
import type { TPage } from '@clockpilot/contracts';
import { and, asc, eq, getTableColumns, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import { keyset, type SortKey } from '../../platform/pagination';
import { pgList } from '../../platform/pg-arrays';
import { prepared } from '../../platform/unit-of-work';
import { type BreakRow, type EntryRow, timeBreaks, timeEntries } from './time.tables';

/**
 * The SQL of time entries and breaks; weeks, locks and rules are in timesheets.repo.ts, reports in
 * reports.repo.ts. A scope of `null` means every person (admins); otherwise the list of person ids
 * the caller may see, resolved by the services through the directory.
 */
export type Scope = string[] | null;

/** Raw queries answer `{ rows }` on both drivers; numbers are cast in SQL so both parse them alike. */
export async function rows<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  return (await db.execute<T>(query)).rows;
}

export const inScope = (column: SQL | typeof timeEntries.personId, scope: Scope) =>
  scope === null ? sql`true` : sql`${column} = any(${pgList(scope)}::uuid[])`;

/**
 * Entry times as a range for conflicts: a finished entry is [start, end); an open one is the time it
 * has run by `now`, so it collides with entries that have started, never with future ones.
 */
const rangeAt = (start: SQL | Date, end: SQL | Date | null, now: Date) => {
  const at = (v: SQL | Date) => (v instanceof Date ? sql`${v.toISOString()}::timestamptz` : v);
  const open = sql`tstzrange(${at(start)}, greatest(${at(start)}, ${now.toISOString()}::timestamptz), '[]')`;
  if (end === null) return open;
  if (end instanceof Date) return sql`tstzrange(${at(start)}, ${at(end)}, '[)')`;
  return sql`(case when ${end} is null then ${open} else tstzrange(${at(start)}, ${end}, '[)') end)`;
};

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
export function entryConditions(f: EntryFilter): SQL[] {
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

const ENTRY_SORTS = {
  startedAt: { expr: timeEntries.startedAt, type: 'timestamptz' },
} satisfies Record<string, SortKey>;

/** The person's earliest entry that matches `where`. */
async function firstEntry(db: DbOrTx, personId: string, where: SQL | undefined): Promise<EntryRow | null> {
  const [row] = await db
    .select()
    .from(timeEntries)
    .where(and(eq(timeEntries.personId, personId), where))
    .orderBy(asc(timeEntries.startedAt))
    .limit(1);
  return row ?? null;
}

type BreakJson = Array<{ id: string; s: number; e: number | null }>;

/** The breaks found in `from` (aliased `b`) as one JSON array, oldest first, times in epoch ms. */
const breaksJson = (from: SQL) => {
  const ms = (column: string) => sql.raw(`floor(extract(epoch from b.${column}) * 1000)::float8`);
  return sql<BreakJson>`(
    select coalesce(json_agg(json_build_object('id', b.id, 's', ${ms('started_at')}, 'e', ${ms('ended_at')})
      order by b.started_at), '[]'::json)
    from ${from})`;
};

const breakRows = (entryId: string, found: BreakJson): BreakRow[] =>
  found.map((b) => ({
    id: b.id,
    entryId,
    startedAt: new Date(b.s),
    endedAt: b.e === null ? null : new Date(b.e),
  }));

/** The clock status's read (every screen refresh): a prepared statement. */
const entriesWithBreaksOf = prepared('time_entries_with_breaks', (db) =>
  db
    .select({
      ...getTableColumns(timeEntries),
      breaks: breaksJson(sql`time_breaks b where b.entry_id = time_entries.id`),
    })
    .from(timeEntries)
    .where(
      and(
        eq(timeEntries.personId, sql.placeholder('personId')),
        sql`(${timeEntries.endedAt} is null or (${timeEntries.startedAt} < ${sql.placeholder('end')}::timestamptz
          and ${timeEntries.endedAt} > ${sql.placeholder('start')}::timestamptz))`,
      ),
    )
    .orderBy(asc(timeEntries.startedAt), asc(timeEntries.id)),
);

export const timeRepo = {
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

  /**
   * The person's open entry, row-locked, with the start of their next entry after it (where a
   * clock-out ends it at the latest): one statement on the clock's hot path.
   */
  async openEntryForClock(
    tx: DbOrTx,
    personId: string,
  ): Promise<{ open: EntryRow; nextStartedAt: Date | null } | null> {
    const [row] = await tx
      .select({
        ...getTableColumns(timeEntries),
        nextStartedAt: sql`(select min(n.started_at) from time_entries n
          where n.person_id = time_entries.person_id and n.started_at > time_entries.started_at)`.mapWith(
          timeEntries.startedAt,
        ),
      })
      .from(timeEntries)
      .where(and(eq(timeEntries.personId, personId), isNull(timeEntries.endedAt)))
      .for('update');
    if (!row) return null;
    const { nextStartedAt, ...open } = row;
    return { open, nextStartedAt: (nextStartedAt as Date | null) ?? null };
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

  /** Another entry of the person overlapping [start, end) (open: up to `now`); names the conflict of a 409. */
  overlapping(
    db: DbOrTx,
    attempted: { personId: string; start: Date; end: Date | null; exceptId?: string },
    now: Date,
  ): Promise<EntryRow | null> {
    const { personId, start, end, exceptId } = attempted;
    return firstEntry(
      db,
      personId,
      and(
        sql`${rangeAt(sql`${timeEntries.startedAt}`, sql`${timeEntries.endedAt}`, now)} && ${rangeAt(start, end, now)}`,
        exceptId ? sql`${timeEntries.id} <> ${exceptId}` : undefined,
      ),
    );
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

  /** Newest first. */
  async listEntries(
    db: DbOrTx,
    filter: EntryFilter,
    page: { limit: number; cursor?: string },
  ): Promise<TPage<EntryRow>> {
    const ks = keyset({ sorts: ENTRY_SORTS, sort: 'startedAt', dir: 'desc', id: timeEntries.id, ...page });
    const found = await db
      .select({ ...getTableColumns(timeEntries), _k: ks.key })
      .from(timeEntries)
      .where(and(...entryConditions(filter), ks.where))
      .orderBy(...ks.orderBy)
      .limit(ks.fetch);
    return ks.page(found);
  },

  // ---------- breaks ----------

  /**
   * A person's entries that touch [start, end) plus their open entry wherever it started, with the
   * breaks of each, in one statement (the clock status is read on every screen refresh). The
   * subquery names `time_entries.id` itself: drizzle leaves columns of a one-table select unqualified,
   * and a bare `id` would mean the break's.
   */
  async entriesWithBreaks(
    db: DbOrTx,
    personId: string,
    start: Date,
    end: Date,
  ): Promise<{ entries: EntryRow[]; breaks: BreakRow[] }> {
    const found = await entriesWithBreaksOf(db).execute({
      personId,
      start: start.toISOString(),
      end: end.toISOString(),
    });
    const breaks = found.flatMap((r) => breakRows(r.id, r.breaks));
    return { entries: found.map(({ breaks: _, ...entry }) => entry), breaks };
  },

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

  /**
   * Ends an entry at `at` with its breaks (those starting at or after it go, those reaching past it
   * are shortened) and answers the entry and the breaks it keeps, in one statement: clock-out is a hot
   * path. The parts touch disjoint rows; the kept breaks are read from the statement's own results,
   * as its snapshot does not show its changes.
   */
  async closeEntry(
    db: DbOrTx,
    entryId: string,
    at: Date,
    now: Date,
  ): Promise<{ entry: EntryRow; breaks: BreakRow[] }> {
    const iso = at.toISOString();
    const gone = db.$with('gone').as(
      db
        .delete(timeBreaks)
        .where(and(eq(timeBreaks.entryId, entryId), sql`${timeBreaks.startedAt} >= ${iso}::timestamptz`))
        .returning({ id: timeBreaks.id }),
    );
    const cut = db.$with('cut').as(
      db
        .update(timeBreaks)
        .set({ endedAt: at })
        .where(
          and(
            eq(timeBreaks.entryId, entryId),
            sql`${timeBreaks.startedAt} < ${iso}::timestamptz`,
            sql`coalesce(${timeBreaks.endedAt}, 'infinity') > ${iso}::timestamptz`,
          ),
        )
        .returning({ id: timeBreaks.id, startedAt: timeBreaks.startedAt, endedAt: timeBreaks.endedAt }),
    );
    const [row] = await db
      .with(gone, cut)
      .update(timeEntries)
      .set({ endedAt: at, updatedAt: now })
      .where(eq(timeEntries.id, entryId))
      .returning({
        ...getTableColumns(timeEntries),
        breaks: breaksJson(sql`(
          select id, started_at, ended_at from cut
          union all
          select id, started_at, ended_at from time_breaks
          where entry_id = ${entryId} and started_at < ${iso}::timestamptz and id not in (select id from cut)
        ) b`),
      });
    const { breaks, ...entry } = row!;
    return { entry, breaks: breakRows(entry.id, breaks) };
  },

  async endRunningBreak(db: DbOrTx, entryId: string, at: Date): Promise<BreakRow | null> {
    const [row] = await db
      .update(timeBreaks)
      .set({ endedAt: at })
      .where(and(eq(timeBreaks.entryId, entryId), isNull(timeBreaks.endedAt)))
      .returning();
    return row ?? null;
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
