import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../../platform/db';

/** Planning's deliverables, assignments and weekly hours as an import reads and writes them, in bulk. */

const list = (values: readonly unknown[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
const rows = async <T>(tx: Tx, q: SQL) => ((await tx.execute(q)) as unknown as { rows: T[] }).rows;

export type DeliverableRec = {
  id: string;
  project_id: string;
  name: string;
  description: string | null;
  start_date: string | null;
  due_date: string;
  status: string;
  assigned: boolean;
};
export type AssignmentRec = {
  id: string;
  project_id: string;
  deliverable_id: string | null;
  person_id: string | null;
  placeholder: string | null;
  status: string;
  note: string | null;
};

export const importPlanningRepo = {
  deliverables(tx: Tx, projectIds: string[]) {
    if (!projectIds.length) return Promise.resolve([]);
    return rows<DeliverableRec>(
      tx,
      sql`select d.id, d.project_id, d.name, d.description, d.start_date::text as start_date,
            d.due_date::text as due_date, d.status,
            exists (select 1 from planning_assignments a where a.deliverable_id = d.id) as assigned
          from planning_deliverables d where d.project_id in (${list(projectIds)})
          order by d.created_at, d.id for update of d`,
    );
  },
  async insertDeliverable(tx: Tx, v: Omit<DeliverableRec, 'id' | 'assigned'>, now: Date) {
    const [row] = await rows<{ id: string }>(
      tx,
      sql`insert into planning_deliverables (project_id, name, description, start_date, due_date, status, created_at, updated_at)
          values (${v.project_id}, ${v.name}, ${v.description}, ${v.start_date}::date, ${v.due_date}::date, ${v.status}, ${now}, ${now})
          returning id`,
    );
    return row!.id;
  },
  updateDeliverable(
    tx: Tx,
    id: string,
    v: Pick<DeliverableRec, 'description' | 'start_date' | 'due_date' | 'status'>,
    now: Date,
  ) {
    return tx.execute(
      sql`update planning_deliverables set description = ${v.description}, start_date = ${v.start_date}::date,
            due_date = ${v.due_date}::date, status = ${v.status}, updated_at = ${now} where id = ${id}`,
    );
  },
  assignments(tx: Tx, projectIds: string[]) {
    if (!projectIds.length) return Promise.resolve([]);
    return rows<AssignmentRec>(
      tx,
      sql`select id, project_id, deliverable_id, person_id, placeholder, status, note from planning_assignments
          where project_id in (${list(projectIds)}) order by created_at, id for update`,
    );
  },
  async insertAssignment(tx: Tx, v: Omit<AssignmentRec, 'id'>, now: Date) {
    const [row] = await rows<{ id: string }>(
      tx,
      sql`insert into planning_assignments (project_id, deliverable_id, person_id, placeholder, status, note, created_at, updated_at)
          values (${v.project_id}, ${v.deliverable_id}, ${v.person_id}, ${v.placeholder}, ${v.status}, ${v.note}, ${now}, ${now})
          returning id`,
    );
    return row!.id;
  },
  updateAssignment(tx: Tx, id: string, v: Pick<AssignmentRec, 'status' | 'note'>, now: Date) {
    return tx.execute(
      sql`update planning_assignments set status = ${v.status}, note = ${v.note}, updated_at = ${now} where id = ${id}`,
    );
  },
  weeks(tx: Tx, assignmentIds: string[]) {
    if (!assignmentIds.length) return Promise.resolve([]);
    return rows<{ assignment_id: string; week_start: string; hours: string }>(
      tx,
      sql`select assignment_id, week_start::text as week_start, hours::text as hours from planning_weekly_hours
          where assignment_id in (${list(assignmentIds)})`,
    );
  },
  /** Writes hours per (assignment, week) and bumps each touched assignment's version (its grid's ETag). */
  async upsertWeeks(
    tx: Tx,
    values: Array<{ assignmentId: string; weekStart: string; hours: number }>,
    now: Date,
  ) {
    for (let i = 0; i < values.length; i += 1000) {
      const chunk = values.slice(i, i + 1000);
      await tx.execute(
        sql`insert into planning_weekly_hours (assignment_id, week_start, hours) values ${sql.join(
          chunk.map((v) => sql`(${v.assignmentId}, ${v.weekStart}::date, ${v.hours})`),
          sql`, `,
        )} on conflict (assignment_id, week_start) do update set hours = excluded.hours`,
      );
      const ids = [...new Set(chunk.map((v) => v.assignmentId))];
      await tx.execute(
        sql`update planning_assignments set hours_version = hours_version + 1, updated_at = ${now}
            where id in (${list(ids)})`,
      );
    }
  },
};
