import { and, asc, desc, eq, getTableColumns, gte, inArray, isNull, lte, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import { keyset, type SortKey } from '../../platform/pagination';
import { pgList } from '../../platform/pg-arrays';
import {
  type AssignmentRow,
  assignments,
  type DeliverableRow,
  deliverables,
  reallocations,
  weeklyHours,
} from './planning.tables';
import { mondaysFrom, WEEK_ORIGIN } from './planning.weeks';
import type { WeekHours } from './reallocate';
import { totalsRepo, type WeekChange } from './totals.repo';

type Page<S extends string> = { limit: number; cursor?: string; sort: S; dir: 'asc' | 'desc' };

const DELIVERABLE_SORTS = {
  dueDate: { expr: sql`${deliverables.dueDate}::timestamptz`, type: 'timestamptz' },
  startDate: {
    expr: sql`coalesce(${deliverables.startDate}, '0001-01-01'::date)::timestamptz`,
    type: 'timestamptz',
  },
  name: { expr: sql`lower(${deliverables.name})`, type: 'text' },
  createdAt: { expr: deliverables.createdAt, type: 'timestamptz' },
} satisfies Record<string, SortKey>;

const ASSIGNMENT_SORTS = {
  createdAt: { expr: assignments.createdAt, type: 'timestamptz' },
  updatedAt: { expr: assignments.updatedAt, type: 'timestamptz' },
} satisfies Record<string, SortKey>;

export type DeliverableFilter = {
  projectId?: string;
  status?: DeliverableRow['status'];
  dueFrom?: string;
  dueTo?: string;
};
export type AssignmentFilter = {
  deliverableId?: string;
  personId?: string;
  projectId?: string;
  status?: AssignmentRow['status'];
};

const when = <T>(v: T | undefined, cond: (v: T) => SQL) => (v === undefined ? undefined : cond(v));

type HoursRow = { assignmentId: string; weekStart: string; hours: number };
/** What a write of an assignment's hours needs to know of it for the week totals. */
export type HoursOwner = Pick<AssignmentRow, 'id' | 'personId' | 'placeholder' | 'status'>;
const OWNER = {
  id: assignments.id,
  personId: assignments.personId,
  placeholder: assignments.placeholder,
  status: assignments.status,
};

/** Inserts (or overwrites) week rows from one JSON parameter per batch: no parameter limit applies. */
async function writeRows(db: DbOrTx, rows: HoursRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 10_000) {
    await db.execute(sql`
      insert into planning_weekly_hours (assignment_id, week_start, hours)
      select "assignmentId", "weekStart", hours
        from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 10_000))}::jsonb)
          as r("assignmentId" uuid, "weekStart" date, hours numeric)
      on conflict (assignment_id, week_start) do update set hours = excluded.hours`);
  }
}

/** The SQL of deliverables, assignments, their weekly hours and the reallocations' before-images. */
export const planningRepo = {
  async deliverable(db: DbOrTx, id: string, lock = false): Promise<DeliverableRow | null> {
    const q = db.select().from(deliverables).where(eq(deliverables.id, id));
    const [row] = lock ? await q.for('update') : await q;
    return row ?? null;
  },
  async deliverablePage(db: DbOrTx, f: DeliverableFilter, p: Page<keyof typeof DELIVERABLE_SORTS>) {
    const ks = keyset({ sorts: DELIVERABLE_SORTS, id: deliverables.id, ...p });
    const rows = await db
      .select({ ...getTableColumns(deliverables), _k: ks.key })
      .from(deliverables)
      .where(
        and(
          when(f.projectId, (v) => eq(deliverables.projectId, v)),
          when(f.status, (v) => eq(deliverables.status, v)),
          when(f.dueFrom, (v) => gte(deliverables.dueDate, v)),
          when(f.dueTo, (v) => lte(deliverables.dueDate, v)),
          ks.where,
        ),
      )
      .orderBy(...ks.orderBy)
      .limit(ks.fetch);
    return ks.page(rows);
  },
  async insertDeliverable(db: DbOrTx, values: typeof deliverables.$inferInsert): Promise<DeliverableRow> {
    const [row] = await db.insert(deliverables).values(values).returning();
    return row!;
  },
  async updateDeliverable(db: DbOrTx, id: string, values: Partial<DeliverableRow>): Promise<DeliverableRow> {
    const [row] = await db.update(deliverables).set(values).where(eq(deliverables.id, id)).returning();
    return row!;
  },
  async deleteDeliverable(db: DbOrTx, id: string): Promise<void> {
    await db.delete(deliverables).where(eq(deliverables.id, id));
  },

  async assignment(db: DbOrTx, id: string, lock = false): Promise<AssignmentRow | null> {
    const q = db.select().from(assignments).where(eq(assignments.id, id));
    const [row] = lock ? await q.for('update') : await q;
    return row ?? null;
  },
  async assignmentPage(db: DbOrTx, f: AssignmentFilter, p: Page<keyof typeof ASSIGNMENT_SORTS>) {
    const ks = keyset({ sorts: ASSIGNMENT_SORTS, id: assignments.id, ...p });
    const rows = await db
      .select({ ...getTableColumns(assignments), _k: ks.key })
      .from(assignments)
      .where(
        and(
          when(f.deliverableId, (v) => eq(assignments.deliverableId, v)),
          when(f.personId, (v) => eq(assignments.personId, v)),
          when(f.projectId, (v) => eq(assignments.projectId, v)),
          when(f.status, (v) => eq(assignments.status, v)),
          ks.where,
        ),
      )
      .orderBy(...ks.orderBy)
      .limit(ks.fetch);
    return ks.page(rows);
  },
  /** The deliverable's assignments, locked for a reallocation, in id order, with what its write needs of them. */
  linkedAssignments(db: DbOrTx, deliverableId: string): Promise<HoursOwner[]> {
    return db
      .select(OWNER)
      .from(assignments)
      .where(eq(assignments.deliverableId, deliverableId))
      .orderBy(asc(assignments.id))
      .for('update');
  },
  async linkedPersonIds(db: DbOrTx, deliverableId: string): Promise<string[]> {
    const rows = await db
      .selectDistinct({ personId: assignments.personId })
      .from(assignments)
      .where(eq(assignments.deliverableId, deliverableId));
    return rows.flatMap((r) => (r.personId ? [r.personId] : []));
  },
  async insertAssignment(db: DbOrTx, values: typeof assignments.$inferInsert): Promise<AssignmentRow> {
    const [row] = await db.insert(assignments).values(values).returning();
    return row!;
  },
  /** Updates an assignment; a new person, placeholder or status moves its hours between week totals. */
  async updateAssignment(db: DbOrTx, id: string, values: Partial<AssignmentRow>): Promise<AssignmentRow> {
    const moves = 'personId' in values || 'placeholder' in values || 'status' in values;
    const before = moves ? await totalsRepo.keysOf(db, [id]) : [];
    const [row] = await db.update(assignments).set(values).where(eq(assignments.id, id)).returning();
    if (moves) await totalsRepo.sync(db, { assignmentIds: [id], keys: before });
    return row!;
  },
  async deleteAssignment(db: DbOrTx, id: string): Promise<void> {
    const keys = await totalsRepo.keysOf(db, [id]);
    await db.delete(assignments).where(eq(assignments.id, id));
    await totalsRepo.sync(db, { keys });
  },
  /** Marks the hours of the assignments changed: a new version for the grid's optimistic concurrency. */
  async bumpHoursVersion(db: DbOrTx, ids: string[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await db
      .update(assignments)
      .set({ hoursVersion: sql`${assignments.hoursVersion} + 1`, updatedAt: now })
      .where(inArray(assignments.id, ids));
  },

  /**
   * Hours by assignment and Monday, within [from, to] when given, each assignment's weeks in date
   * order. One row per assignment with its weeks as one list of `week:quarters` pairs (one ordered
   * aggregate, not two): a reallocation reads thousands of weeks, and a row each (mapped by the ORM)
   * was most of the read's CPU.
   */
  async hoursOf(db: DbOrTx, ids: string[], from?: string, to?: string): Promise<Map<string, WeekHours>> {
    const out = new Map<string, WeekHours>(ids.map((id) => [id, {}]));
    if (ids.length === 0) return out;
    // Weeks counted from a Monday: the same text whatever the session's DateStyle, a third of a date's.
    const result = await db.execute<{ id: string; weeks: string }>(sql`
      select assignment_id::text as id,
             string_agg(((week_start - ${WEEK_ORIGIN}::date) / 7)::text || ':' || (hours * 4)::int::text, ',' order by week_start) as weeks
        from planning_weekly_hours
       where assignment_id = any(${pgList(ids)}::uuid[])
             ${from === undefined ? sql`` : sql`and week_start >= ${from}::date`}
             ${to === undefined ? sql`` : sql`and week_start <= ${to}::date`}
       group by assignment_id`);
    const monday = mondaysFrom(WEEK_ORIGIN);
    for (const r of result.rows) {
      const hours = out.get(r.id)!;
      const text = r.weeks;
      // `week:quarters,…`, digits read as they come (split and Number were most of this loop's time).
      let week = 0;
      let n = 0;
      let sign = 1;
      for (let i = 0; i <= text.length; i++) {
        const c = i < text.length ? text.charCodeAt(i) : 44;
        if (c >= 48 && c <= 57) n = n * 10 + c - 48;
        else if (c === 45) sign = -1;
        else if (c === 58) {
          week = sign * n;
          n = 0;
          sign = 1;
        } else {
          hours[monday(week)] = (sign * n) / 4;
          n = 0;
          sign = 1;
        }
      }
    }
    return out;
  },
  /** Replaces the hours of the assignment in the given Mondays: zero clears a week. */
  async replaceHours(db: DbOrTx, assignmentId: string, weeks: string[], hours: WeekHours): Promise<void> {
    if (weeks.length > 0) {
      await db
        .delete(weeklyHours)
        .where(and(eq(weeklyHours.assignmentId, assignmentId), inArray(weeklyHours.weekStart, weeks)));
    }
    const rows = Object.entries(hours)
      .filter(([, h]) => h > 0)
      .map(([weekStart, h]) => ({ assignmentId, weekStart, hours: h }));
    if (rows.length > 0) await db.insert(weeklyHours).values(rows);
    const touched = [...new Set([...weeks, ...Object.keys(hours)])];
    await totalsRepo.sync(db, { assignmentIds: [assignmentId], weeks: touched });
  },
  /**
   * Moves the assignments from their `current` hours (read under their row locks in this transaction)
   * to `next` (a reallocation, or its undo), writing only the weeks that differ: a shift moves most
   * hours to a week that already held the same amount, so 10,000 week rows become a few hundred writes.
   * A row whose week keeps hours is updated in place, and a week emptied and one filled of the same
   * assignment (most of a shift's other changes) share a row, moved to its new week: one update
   * instead of a delete and an insert, and no foreign-key check. One statement: the rows to write go as
   * four arrays, each naming its assignment by its place in `owners` (the locked rows of `next`'s
   * assignments); the deletes, updates, inserts, the new hours versions and the totals touch
   * different rows.
   */
  async setAllHours(
    db: DbOrTx,
    owners: readonly HoursOwner[],
    current: ReadonlyMap<string, WeekHours>,
    next: ReadonlyMap<string, WeekHours>,
    now: Date,
  ): Promise<void> {
    // Per row written: its assignment's place, its week after, its week now ('NULL': a new row), its hours (0 deletes it).
    const places: number[] = [];
    const weeks: string[] = [];
    const froms: string[] = [];
    const hours: number[] = [];
    const changes: WeekChange[] = [];
    const moved: string[] = [];
    const row = (place: number, week: string, from: string, h: number) => {
      places.push(place);
      weeks.push(week);
      froms.push(from);
      hours.push(h);
    };
    owners.forEach((owner, i) => {
      const to = next.get(owner.id);
      if (!to) return;
      const from = current.get(owner.id) ?? {};
      const before = changes.length;
      const emptied: string[] = [];
      const filled: string[] = [];
      const change = (weekStart: string, was: number, h: number) => {
        if (was === h) return;
        changes.push({ owner, monday: weekStart, quarters: Math.round((h - was) * 4) });
        if (was > 0 && h > 0) row(i + 1, weekStart, weekStart, h);
        else (h > 0 ? filled : emptied).push(weekStart);
      };
      // The weeks of either side, `from`'s first (a set of both made 20,000 entries a reallocation).
      for (const weekStart of Object.keys(from)) change(weekStart, from[weekStart]!, to[weekStart] ?? 0);
      for (const weekStart of Object.keys(to)) if (!(weekStart in from)) change(weekStart, 0, to[weekStart]!);
      for (let j = 0; j < Math.max(emptied.length, filled.length); j++) {
        const week = filled[j];
        if (week === undefined) row(i + 1, emptied[j]!, emptied[j]!, 0);
        else row(i + 1, week, emptied[j] ?? 'NULL', to[week]!);
      }
      // Only an assignment whose hours changed gets a new version: a client's If-Match stays good otherwise.
      if (changes.length > before) moved.push(owner.id);
    });
    await totalsRepo.add(
      db,
      sql`ka as (select * from unnest(${pgList(owners.map((o) => o.id))}::uuid[]) with ordinality u(id, n)),
      rows as (
        select ka.id as a, r.w, r.f, r.h
          from unnest(${pgList(places)}::int[], ${pgList(weeks)}::date[], ${pgList(froms)}::date[], ${pgList(hours)}::numeric[]) r(n, w, f, h)
          join ka on ka.n = r.n),
      gone as (
        delete from planning_weekly_hours x using rows r
         where r.h = 0 and x.assignment_id = r.a and x.week_start = r.w),
      kept as (
        update planning_weekly_hours x set week_start = r.w, hours = r.h from rows r
         where r.h > 0 and x.assignment_id = r.a and x.week_start = r.f),
      put as (
        insert into planning_weekly_hours (assignment_id, week_start, hours)
        select a, w, h from rows where h > 0 and f is null
        on conflict (assignment_id, week_start) do update set hours = excluded.hours),
      bumped as (
        update planning_assignments set hours_version = hours_version + 1, updated_at = ${now.toISOString()}::timestamptz
         where id in (select unnest(${pgList(moved)}::uuid[])))`,
      changes,
    );
  },

  /** The projects' deliverables, locked, oldest first, each saying whether assignments link to it. */
  deliverablesOfProjects(db: DbOrTx, projectIds: string[]) {
    if (projectIds.length === 0) return Promise.resolve([]);
    return db
      .select({
        ...getTableColumns(deliverables),
        assigned: sql<boolean>`exists (select 1 from planning_assignments a where a.deliverable_id = ${deliverables.id})`,
      })
      .from(deliverables)
      .where(inArray(deliverables.projectId, projectIds))
      .orderBy(asc(deliverables.createdAt), asc(deliverables.id))
      .for('update', { of: deliverables });
  },
  /** The projects' assignments, locked, oldest first. */
  assignmentsOfProjects(db: DbOrTx, projectIds: string[]): Promise<AssignmentRow[]> {
    if (projectIds.length === 0) return Promise.resolve([]);
    return db
      .select()
      .from(assignments)
      .where(inArray(assignments.projectId, projectIds))
      .orderBy(asc(assignments.createdAt), asc(assignments.id))
      .for('update');
  },
  /** Inserts many assignments in one statement (ids chosen by the caller). */
  async insertAssignments(db: DbOrTx, values: Array<typeof assignments.$inferInsert>): Promise<void> {
    for (let i = 0; i < values.length; i += 1000)
      await db.insert(assignments).values(values.slice(i, i + 1000));
  },
  /**
   * Sets hours per (assignment, Monday) in one statement per batch, moves each touched assignment's
   * version on (its grid's ETag) and its people's week totals.
   */
  async upsertHours(db: DbOrTx, values: HoursRow[], now: Date): Promise<void> {
    if (values.length === 0) return;
    await writeRows(db, values);
    const ids = [...new Set(values.map((v) => v.assignmentId))];
    await planningRepo.bumpHoursVersion(db, ids, now);
    await totalsRepo.sync(db, { assignmentIds: ids, weeks: [...new Set(values.map((v) => v.weekStart))] });
  },

  /**
   * A reallocation's record as a CTE (`reallocation as (insert …)`), written with another statement;
   * its summary is an expression of that statement (the audit record's copy: sent once).
   */
  reallocationInsert(
    values: Omit<typeof reallocations.$inferInsert, 'id' | 'createdAt' | 'undoneAt' | 'summary'> & {
      summary: SQL;
    },
  ): SQL {
    const json = (v: unknown) => sql`${JSON.stringify(v)}::json`;
    return sql`reallocation as (
      insert into planning_reallocations (deliverable_id, old_due_date, new_due_date, before, after, summary, created_by)
      values (${values.deliverableId}::uuid, ${values.oldDueDate}::date, ${values.newDueDate}::date,
              ${json(values.before)}, ${json(values.after)}, ${values.summary}::json, ${values.createdBy ?? null}::uuid))`;
  },
  /** The deliverable's last reallocation not undone yet, locked. */
  async lastReallocation(db: DbOrTx, deliverableId: string) {
    const [row] = await db
      .select()
      .from(reallocations)
      .where(and(eq(reallocations.deliverableId, deliverableId), isNull(reallocations.undoneAt)))
      .orderBy(desc(reallocations.createdAt), desc(reallocations.id))
      .limit(1)
      .for('update');
    return row ?? null;
  },
  /** Those of the assignments that still exist, locked, with what a write of their hours needs. */
  async lockOwners(db: DbOrTx, ids: string[]): Promise<HoursOwner[]> {
    if (ids.length === 0) return [];
    return (
      db
        .select(OWNER)
        .from(assignments)
        .where(inArray(assignments.id, ids))
        // In id order, as linkedAssignments locks them: two writers sharing rows never wait on each other in a circle.
        .orderBy(asc(assignments.id))
        .for('update')
    );
  },
  async markUndone(db: DbOrTx, id: string, now: Date): Promise<void> {
    await db.update(reallocations).set({ undoneAt: now }).where(eq(reallocations.id, id));
  },
};
