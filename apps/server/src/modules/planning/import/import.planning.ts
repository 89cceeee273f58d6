import { randomUUID } from 'node:crypto';
import type { TImportAssignmentRow, TImportProjectRow } from '@clockpilot/contracts';
import { type AuditRecord, recordAudits } from '../../../platform/audit';
import { type AppContext, moduleApi } from '../../../platform/context';
import type { Tx } from '../../../platform/db';
import { planningRepo as repo } from '../planning.repo';
import type { AssignmentRow } from '../planning.tables';
import { mondayOfWeek } from '../planning.weeks';
import {
  type BatchResult,
  type ImportBy,
  outcomes,
  type ParsedRow,
  type PlanningWrites,
} from './import.kinds';

type Outcome = 'created' | 'updated' | 'unchanged';
const lower = (s: string | null | undefined) => (s ?? '').toLowerCase();
/** The stronger of two outcomes of one row: a created part makes the row created. */
const merge = (a: Outcome, b: Outcome): Outcome =>
  a === 'created' || b === 'created'
    ? 'created'
    : a === 'updated' || b === 'updated'
      ? 'updated'
      : 'unchanged';
const err = <T>(r: ParsedRow<T>, field: string, message: string) => ({
  row: r.row,
  column: r.headers.get(field) ?? field,
  value: null,
  message,
});

/** Projects (through the directory) with their deliverables, and assignments with weekly hours. */
export function createPlanningWrites(ctx: AppContext): PlanningWrites {
  const directory = () => moduleApi(ctx, 'directory');
  const now = () => ctx.clock.now();

  /** The project's fields must agree on every row of its code; the first row that names a value sets it. */
  function projectsOf(rows: Array<ParsedRow<TImportProjectRow>>) {
    const first = new Map<string, ParsedRow<TImportProjectRow>>();
    const conflicts: BatchResult = [];
    for (const r of rows) {
      const seen = first.get(lower(r.data.code));
      if (!seen) {
        first.set(lower(r.data.code), r);
        continue;
      }
      for (const f of ['name', 'client', 'billable', 'budgetHours', 'status'] as const) {
        const v = r.data[f];
        if (v !== undefined && seen.data[f] !== undefined && v !== seen.data[f]) {
          conflicts.push(err(r, f, `Differs from row ${seen.row} of the same project`));
          break;
        }
        if (v !== undefined) seen.data = { ...seen.data, [f]: v };
      }
    }
    return { first: [...first.values()], conflicts };
  }

  async function writeProjects(
    tx: Tx,
    by: ImportBy,
    rows: Array<ParsedRow<TImportProjectRow>>,
  ): Promise<BatchResult> {
    const { first, conflicts } = projectsOf(rows);
    const bad = new Set(conflicts.map((c) => c.row));
    const projectRows = first.filter((r) => !bad.has(r.row));
    const written = await directory().importProjects(
      tx,
      by.actor,
      projectRows.map((r) => ({ row: r.row, data: r.data })),
    );
    const results = outcomes(written, projectRows);
    const projectOf = new Map<string, { id: string; outcome: Outcome } | null>();
    written.forEach((w, i) => {
      projectOf.set(lower(projectRows[i]!.data.code), 'error' in w ? null : { id: w.id, outcome: w.outcome });
    });
    const failed = new Set(results.flatMap((r) => ('message' in r ? [r.row] : [])));
    const ids = [...projectOf.values()].flatMap((p) => (p ? [p.id] : []));
    const existing = new Map(
      (await repo.deliverablesOfProjects(tx, ids)).map((d) => [`${d.projectId}\u0000${lower(d.name)}`, d]),
    );
    const out: BatchResult = [...conflicts, ...results.filter((r) => 'message' in r)];
    const audits: AuditRecord[] = [];
    for (const r of rows) {
      if (bad.has(r.row) || failed.has(r.row)) continue;
      const project = projectOf.get(lower(r.data.code));
      if (!project) {
        out.push(err(r, 'code', 'The project of this row could not be written (see its first row)'));
        continue;
      }
      const own = first.some((f) => f.row === r.row) ? project.outcome : 'unchanged';
      if (!r.data.deliverable) {
        out.push({ row: r.row, outcome: own });
        continue;
      }
      const d = r.data;
      const before = existing.get(`${project.id}\u0000${lower(d.deliverable)}`);
      const next = {
        description: d.deliverableDescription ?? before?.description ?? null,
        startDate: d.deliverableStartDate ?? before?.startDate ?? null,
        dueDate: d.deliverableDueDate ?? before?.dueDate ?? null,
        status: d.deliverableStatus ?? before?.status ?? 'planned',
      };
      if (!next.dueDate) {
        out.push(err(r, 'deliverableDueDate', 'A new deliverable needs a due date'));
        continue;
      }
      if (next.startDate && next.startDate > next.dueDate) {
        out.push(err(r, 'deliverableStartDate', 'The start date is after the due date'));
        continue;
      }
      if (!before) {
        const rec = await repo.insertDeliverable(tx, {
          projectId: project.id,
          name: d.deliverable!,
          ...next,
          dueDate: next.dueDate,
          createdAt: now(),
          updatedAt: now(),
        });
        existing.set(`${project.id}\u0000${lower(d.deliverable)}`, { ...rec, assigned: false });
        audits.push({
          action: 'deliverable.created',
          entityType: 'deliverable',
          entityId: rec.id,
          after: rec,
        });
        out.push({ row: r.row, outcome: 'created' });
        continue;
      }
      const changed = (['description', 'startDate', 'dueDate', 'status'] as const).some(
        (k) => next[k] !== before[k],
      );
      if (!changed) {
        out.push({ row: r.row, outcome: own });
        continue;
      }
      // Hours follow a due date only through the plan's reallocation, which an import does not run.
      if (next.dueDate !== before.dueDate && before.assigned) {
        out.push(
          err(
            r,
            'deliverableDueDate',
            'This deliverable has assignments: move its due date in the plan, where the hours move with it',
          ),
        );
        continue;
      }
      const after = {
        ...(await repo.updateDeliverable(tx, before.id, {
          ...next,
          dueDate: next.dueDate,
          updatedAt: now(),
        })),
        assigned: before.assigned,
      };
      existing.set(`${project.id}\u0000${lower(d.deliverable)}`, after);
      audits.push({
        action: 'deliverable.updated',
        entityType: 'deliverable',
        entityId: before.id,
        before,
        after,
      });
      out.push({ row: r.row, outcome: merge(own, 'updated') });
    }
    await recordAudits(tx, by.actor, audits);
    return out;
  }

  async function writeAssignments(
    tx: Tx,
    by: ImportBy,
    rows: Array<ParsedRow<TImportAssignmentRow>>,
  ): Promise<BatchResult> {
    const people = await directory().peopleByKeys(tx, {
      emails: rows.flatMap((r) => r.data.email ?? []),
      employeeNumbers: rows.flatMap((r) => r.data.employeeNumber ?? []),
    });
    const byNumber = new Map(people.filter((p) => p.employeeNumber).map((p) => [lower(p.employeeNumber), p]));
    const byEmail = new Map<string, typeof people>();
    for (const p of people)
      if (p.email) byEmail.set(lower(p.email), [...(byEmail.get(lower(p.email)) ?? []), p]);
    const projects = new Map(
      (
        await directory().projectsByCodes(
          tx,
          rows.map((r) => r.data.projectCode),
        )
      ).map((p) => [lower(p.code), p]),
    );
    const ids = [...projects.values()].map((p) => p.id);
    const deliverables = new Map(
      (await repo.deliverablesOfProjects(tx, ids)).map((d) => [`${d.projectId}\u0000${lower(d.name)}`, d]),
    );
    type Assignment = Pick<
      AssignmentRow,
      'id' | 'projectId' | 'deliverableId' | 'personId' | 'placeholder' | 'status' | 'note'
    >;
    const assignments = new Map<string, Assignment>();
    const keyOf = (a: Pick<Assignment, 'projectId' | 'deliverableId' | 'personId' | 'placeholder'>) =>
      [a.projectId, a.deliverableId ?? '', a.personId ?? '', lower(a.placeholder)].join('\u0000');
    for (const a of await repo.assignmentsOfProjects(tx, ids))
      if (!assignments.has(keyOf(a))) assignments.set(keyOf(a), a);
    const hours = new Map<string, number>();
    for (const [id, weeks] of await repo.hoursOf(
      tx,
      [...assignments.values()].map((a) => a.id),
    ))
      for (const [week, h] of Object.entries(weeks)) hours.set(`${id}\u0000${week}`, h);
    // New assignments are inserted together, before their hours, with what the batch's last row says.
    const created = new Set<Assignment>();
    const out: BatchResult = [];
    const writes: Array<{ assignmentId: string; weekStart: string; hours: number }> = [];
    const audits: AuditRecord[] = [];
    for (const r of rows) {
      const d = r.data;
      let personId: string | null = null;
      if (d.employeeNumber || d.email) {
        const mailed = byEmail.get(lower(d.email)) ?? [];
        const person = d.employeeNumber
          ? byNumber.get(lower(d.employeeNumber))
          : mailed.length === 1
            ? mailed[0]
            : undefined;
        if (!person) {
          out.push(
            err(
              r,
              d.employeeNumber ? 'employeeNumber' : 'email',
              mailed.length > 1 ? 'Several people have this email' : 'No such person in the directory',
            ),
          );
          continue;
        }
        personId = person.id;
      }
      const project = projects.get(lower(d.projectCode));
      if (!project) {
        out.push(err(r, 'projectCode', 'No project has this code'));
        continue;
      }
      const deliverable = d.deliverable
        ? deliverables.get(`${project.id}\u0000${lower(d.deliverable)}`)
        : undefined;
      if (d.deliverable && !deliverable) {
        out.push(err(r, 'deliverable', `Project ${project.code} has no deliverable "${d.deliverable}"`));
        continue;
      }
      const want = {
        projectId: project.id,
        deliverableId: deliverable?.id ?? null,
        personId,
        placeholder: personId ? null : (d.placeholder ?? null),
      };
      let outcome: Outcome = 'unchanged';
      let a = assignments.get(keyOf(want));
      const status =
        d.tentative === undefined ? (a?.status ?? 'confirmed') : d.tentative ? 'tentative' : 'confirmed';
      const note = d.note ?? a?.note ?? null;
      if (!a) {
        a = { id: randomUUID(), ...want, status, note };
        created.add(a);
        assignments.set(keyOf(a), a);
        audits.push({ action: 'assignment.created', entityType: 'assignment', entityId: a.id, after: a });
        outcome = 'created';
      } else if (created.has(a)) {
        // Not inserted yet (an UPDATE would find no row): the insert and its audit record take these.
        Object.assign(a, { status, note });
      } else if (a.status !== status || a.note !== note) {
        const after = { ...a, status, note };
        await repo.updateAssignment(tx, a.id, { status, note, updatedAt: now() });
        audits.push({
          action: 'assignment.updated',
          entityType: 'assignment',
          entityId: a.id,
          before: a,
          after,
        });
        assignments.set(keyOf(a), after);
        outcome = 'updated';
      }
      const weekStart = mondayOfWeek(d.week, 'week');
      const key = `${a.id}\u0000${weekStart}`;
      const before = hours.get(key);
      if (before !== d.hours) {
        writes.push({ assignmentId: a.id, weekStart, hours: d.hours });
        audits.push({
          action: 'assignment.hours_updated',
          entityType: 'assignment',
          entityId: a.id,
          before: before === undefined ? null : { week: d.week, hours: before },
          after: { week: d.week, hours: d.hours },
        });
        hours.set(key, d.hours);
        outcome = merge(outcome, before === undefined ? 'created' : 'updated');
      }
      out.push({ row: r.row, outcome });
    }
    await repo.insertAssignments(
      tx,
      [...created].map((a) => ({ ...a, createdAt: now(), updatedAt: now() })),
    );
    await repo.upsertHours(tx, writes, now());
    await recordAudits(tx, by.actor, audits);
    return out;
  }

  return { writeProjects, writeAssignments };
}
