import {
  type TAssignment,
  type TAssignmentCreate,
  type TAssignmentListQuery,
  type TAssignmentUpdate,
  type TPage,
  type TWeeklyHours,
  type TWeeklyHoursPut,
  ZAssignmentCreate,
} from '@clockpilot/contracts';
import { type Actor, recordAudit } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import { AppError, notFound, unprocessable } from '../../platform/errors';
import { type PlanningPolicy, toAssignment } from './planning.policy';
import { planningRepo } from './planning.repo';
import type { AssignmentRow } from './planning.tables';
import { addWeeks, mondayOfWeek, mondaysBetween, weekKey } from './planning.weeks';
import type { WeekHours } from './reallocate';

const ENTITY = 'planning_assignment';

/** The weeks a grid shows by default: from this week, a year ahead. */
const DEFAULT_WEEKS = 52;

/** Assignments of people or placeholders to projects, and their hours per ISO week. */
export function createAssignmentsService(ctx: AppContext, policy: PlanningPolicy) {
  const { db, clock } = ctx;

  /** An assignment the caller may read: managers any, employees their own; others are 404. */
  async function readable(principal: Principal, id: string): Promise<AssignmentRow> {
    const row = await planningRepo.assignment(db, id);
    if (!row) throw notFound('Assignment');
    if (
      !policy.manages(principal) &&
      (!row.personId || row.personId !== (await policy.ownPersonId(principal)))
    )
      throw notFound('Assignment');
    return row;
  }

  /** The deliverable must belong to the assignment's project. */
  async function assertLinks(
    projectId: string,
    deliverableId: string | null | undefined,
    personId?: string | null,
  ) {
    if (!(await policy.directory().getProject(projectId)))
      throw unprocessable('body.projectId', 'No such project');
    if (deliverableId) {
      const d = await planningRepo.deliverable(db, deliverableId);
      if (!d) throw unprocessable('body.deliverableId', 'No such deliverable');
      if (d.projectId !== projectId)
        throw unprocessable('body.deliverableId', 'The deliverable belongs to another project');
    }
    if (personId && !(await policy.directory().getPerson(personId)))
      throw unprocessable('body.personId', 'No such person');
  }

  function range(from: string | undefined, to: string | undefined) {
    const start = from ?? weekKey(clock.now().toISOString().slice(0, 10));
    const end = to ?? weekKey(addWeeks(mondayOfWeek(start, 'query.from'), DEFAULT_WEEKS - 1));
    return { from: start, to: end, mondays: mondaysBetween(start, end, 530) };
  }

  const grid = (id: string, version: number, from: string, to: string, hours: WeekHours): TWeeklyHours => ({
    assignmentId: id,
    from,
    to,
    version,
    items: Object.keys(hours)
      .sort()
      .map((w) => ({ week: weekKey(w), hours: hours[w]! })),
  });

  return {
    async list(principal: Principal, q: TAssignmentListQuery): Promise<TPage<TAssignment>> {
      const { limit, cursor, sort, dir, ...filter } = q;
      if (!policy.manages(principal)) {
        const own = await policy.ownPersonId(principal);
        if (!own || (filter.personId && filter.personId !== own)) return { items: [], nextCursor: null };
        filter.personId = own;
      }
      const page = await planningRepo.assignmentPage(db, filter, { limit, cursor, sort, dir });
      return { ...page, items: page.items.map(toAssignment) };
    },

    get: async (principal: Principal, id: string) => toAssignment(await readable(principal, id)),

    async create(principal: Principal, actor: Actor, input: TAssignmentCreate): Promise<TAssignment> {
      policy.assertManages(principal);
      const data = ZAssignmentCreate.parse(input);
      await assertLinks(data.projectId, data.deliverableId, data.personId);
      return policy.write(async (tx) => {
        const row = await planningRepo.insertAssignment(tx, {
          ...data,
          deliverableId: data.deliverableId ?? null,
          personId: data.personId ?? null,
          placeholder: data.placeholder ?? null,
          note: data.note ?? null,
        });
        await recordAudit(tx, actor, {
          action: 'planning.assignment.created',
          entityType: ENTITY,
          entityId: row.id,
          after: row,
        });
        return toAssignment(row);
      });
    },

    async update(
      principal: Principal,
      actor: Actor,
      id: string,
      patch: TAssignmentUpdate,
    ): Promise<TAssignment> {
      policy.assertManages(principal);
      // Checked before the transaction: the directory reads on its own connection. The project never changes.
      const current = await planningRepo.assignment(db, id);
      if (!current) throw notFound('Assignment');
      await assertLinks(current.projectId, patch.deliverableId, patch.personId);
      return policy.write(async (tx) => {
        const before = await planningRepo.assignment(tx, id, true);
        if (!before) throw notFound('Assignment');
        const after = await planningRepo.updateAssignment(tx, id, { ...patch, updatedAt: clock.now() });
        await recordAudit(tx, actor, {
          action: 'planning.assignment.updated',
          entityType: ENTITY,
          entityId: id,
          before,
          after,
        });
        return toAssignment(after);
      });
    },

    async remove(principal: Principal, actor: Actor, id: string): Promise<void> {
      policy.assertManages(principal);
      await policy.write(async (tx) => {
        const before = await planningRepo.assignment(tx, id, true);
        if (!before) throw notFound('Assignment');
        const hours = (await planningRepo.hoursOf(tx, [id])).get(id);
        await planningRepo.deleteAssignment(tx, id);
        await recordAudit(tx, actor, {
          action: 'planning.assignment.deleted',
          entityType: ENTITY,
          entityId: id,
          before: { ...before, hours },
        });
      });
    },

    async hours(principal: Principal, id: string, q: { from?: string; to?: string }): Promise<TWeeklyHours> {
      const row = await readable(principal, id);
      const r = range(q.from, q.to);
      const hours = (await planningRepo.hoursOf(db, [id], r.mondays[0], r.mondays.at(-1))).get(id)!;
      return grid(id, row.hoursVersion, r.from, r.to, hours);
    },

    /**
     * Replaces the given weeks (and, with a range, clears the range's other weeks) in one transaction,
     * if `version` (body or If-Match) is still the current one: otherwise 409 and nothing changes.
     */
    async putHours(
      principal: Principal,
      actor: Actor,
      id: string,
      q: { from?: string; to?: string },
      body: TWeeklyHoursPut,
      ifMatch: number | undefined,
    ): Promise<TWeeklyHours> {
      policy.assertManages(principal);
      const expected = ifMatch ?? body.version;
      if (expected === undefined) {
        throw new AppError('validation_failed', 'Send the version you edited (body.version or If-Match)', {
          errors: [{ path: 'body.version', message: 'Required (or an If-Match header)' }],
        });
      }
      const given: WeekHours = {};
      body.items.forEach((item, i) => {
        const monday = mondayOfWeek(item.week, `body.items.${i}.week`);
        if (monday in given) throw unprocessable(`body.items.${i}.week`, `${item.week} is given twice`);
        given[monday] = item.hours;
      });
      const ranged = q.from !== undefined || q.to !== undefined;
      const r = ranged ? range(q.from, q.to) : null;
      if (r) {
        const inRange = new Set(r.mondays);
        const outside = Object.keys(given).findIndex((m) => !inRange.has(m));
        if (outside >= 0) throw unprocessable(`body.items.${outside}.week`, 'This week is outside from..to');
      }
      const weeks = (r ? r.mondays : Object.keys(given)).sort();
      return policy.write(async (tx) => {
        const row = await planningRepo.assignment(tx, id, true);
        if (!row) throw notFound('Assignment');
        if (row.hoursVersion !== expected) {
          throw new AppError('conflict', 'The hours were changed by someone else; reload and try again', {
            extra: { currentVersion: row.hoursVersion },
            headers: { etag: `"${row.hoursVersion}"` },
          });
        }
        const first = weeks[0];
        const last = weeks.at(-1);
        const before = first ? (await planningRepo.hoursOf(tx, [id], first, last)).get(id)! : {};
        await planningRepo.replaceHours(tx, id, weeks, given);
        await planningRepo.bumpHoursVersion(tx, [id], clock.now());
        const after = first ? (await planningRepo.hoursOf(tx, [id], first, last)).get(id)! : {};
        await recordAudit(tx, actor, {
          action: 'planning.hours.replaced',
          entityType: ENTITY,
          entityId: id,
          before: { version: row.hoursVersion, hours: before },
          after: { version: row.hoursVersion + 1, hours: after },
        });
        const from = r?.from ?? weekKey(first ?? clock.now().toISOString().slice(0, 10));
        const to = r?.to ?? (last ? weekKey(last) : from);
        return grid(id, row.hoursVersion + 1, from, to, after);
      });
    },
  };
}
