import { and, asc, desc, eq, getTableColumns, gte, inArray, isNull, lte, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import { keyset, type SortKey } from '../../platform/pagination';
import {
  type AssignmentRow,
  assignments,
  type DeliverableRow,
  deliverables,
  reallocations,
  weeklyHours,
} from './planning.tables';
import type { WeekHours } from './reallocate';

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
  /** The deliverable's assignments, locked for a reallocation, in id order. */
  linkedAssignments(db: DbOrTx, deliverableId: string): Promise<AssignmentRow[]> {
    return db
      .select()
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
  async updateAssignment(db: DbOrTx, id: string, values: Partial<AssignmentRow>): Promise<AssignmentRow> {
    const [row] = await db.update(assignments).set(values).where(eq(assignments.id, id)).returning();
    return row!;
  },
  async deleteAssignment(db: DbOrTx, id: string): Promise<void> {
    await db.delete(assignments).where(eq(assignments.id, id));
  },
  /** Marks the hours of the assignments changed: a new version for the grid's optimistic concurrency. */
  async bumpHoursVersion(db: DbOrTx, ids: string[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await db
      .update(assignments)
      .set({ hoursVersion: sql`${assignments.hoursVersion} + 1`, updatedAt: now })
      .where(inArray(assignments.id, ids));
  },

  /** Hours by assignment and Monday, within [from, to] when given. */
  async hoursOf(db: DbOrTx, ids: string[], from?: string, to?: string): Promise<Map<string, WeekHours>> {
    const out = new Map<string, WeekHours>(ids.map((id) => [id, {}]));
    if (ids.length === 0) return out;
    const rows = await db
      .select()
      .from(weeklyHours)
      .where(
        and(
          inArray(weeklyHours.assignmentId, ids),
          when(from, (v) => gte(weeklyHours.weekStart, v)),
          when(to, (v) => lte(weeklyHours.weekStart, v)),
        ),
      )
      .orderBy(weeklyHours.assignmentId, weeklyHours.weekStart);
    for (const r of rows) out.get(r.assignmentId)![r.weekStart] = Number(r.hours);
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
  },
  /** Replaces every week of the assignments with `hours` (a reallocation, or its undo). */
  async setAllHours(db: DbOrTx, byAssignment: Map<string, WeekHours>): Promise<void> {
    const ids = [...byAssignment.keys()];
    if (ids.length === 0) return;
    await db.delete(weeklyHours).where(inArray(weeklyHours.assignmentId, ids));
    const rows = ids.flatMap((assignmentId) =>
      Object.entries(byAssignment.get(assignmentId)!)
        .filter(([, h]) => h > 0)
        .map(([weekStart, hours]) => ({ assignmentId, weekStart, hours })),
    );
    // Batches keep each statement under the drivers' parameter limit.
    for (let i = 0; i < rows.length; i += 5000) await db.insert(weeklyHours).values(rows.slice(i, i + 5000));
  },

  /**
   * Hours per person and Monday in [from, to] on assignments other than `except`: what a person is
   * already booked for while a deliverable's hours move.
   */
  async otherLoad(db: DbOrTx, personIds: string[], except: string[], from: string, to: string) {
    if (personIds.length === 0) return [];
    return db
      .select({
        personId: sql<string>`${assignments.personId}`,
        weekStart: weeklyHours.weekStart,
        hours: sql<number>`sum(${weeklyHours.hours})::float8`,
      })
      .from(weeklyHours)
      .innerJoin(assignments, eq(assignments.id, weeklyHours.assignmentId))
      .where(
        and(
          inArray(assignments.personId, personIds),
          except.length > 0 ? sql`${assignments.id} <> all(${`{${except.join(',')}}`}::uuid[])` : undefined,
          gte(weeklyHours.weekStart, from),
          lte(weeklyHours.weekStart, to),
        ),
      )
      .groupBy(assignments.personId, weeklyHours.weekStart);
  },

  async insertReallocation(db: DbOrTx, values: typeof reallocations.$inferInsert): Promise<void> {
    await db.insert(reallocations).values(values);
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
  async markUndone(db: DbOrTx, id: string, now: Date): Promise<void> {
    await db.update(reallocations).set({ undoneAt: now }).where(eq(reallocations.id, id));
  },
};
