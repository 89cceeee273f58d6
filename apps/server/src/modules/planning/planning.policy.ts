import { can, type TAssignment, type TDeliverable } from '@clockpilot/contracts';
import type { Principal } from '../../platform/auth';
import { type AppContext, moduleApi } from '../../platform/context';
import type { Tx } from '../../platform/db';
import { type ConstraintTable, forbidden, fromConstraint } from '../../platform/errors';
import type { AssignmentRow, DeliverableRow } from './planning.tables';

const CONSTRAINTS: ConstraintTable = {
  planning_deliverables_project_fk: {
    code: 'unprocessable',
    path: 'body.projectId',
    message: 'No such project',
  },
  planning_deliverables_dates_check: {
    code: 'unprocessable',
    path: 'body.startDate',
    message: 'The start date is after the due date',
  },
  planning_assignments_project_fk: {
    code: 'unprocessable',
    path: 'body.projectId',
    message: 'No such project',
  },
  planning_assignments_person_fk: { code: 'unprocessable', path: 'body.personId', message: 'No such person' },
  planning_assignments_deliverable_fk: {
    code: 'unprocessable',
    path: 'body.deliverableId',
    message: 'No such deliverable',
  },
  planning_assignments_who_check: {
    code: 'unprocessable',
    path: 'body.personId',
    message: 'Give either a person or a placeholder, not both',
  },
  planning_time_off_person_fk: { code: 'unprocessable', path: 'body.personId', message: 'No such person' },
  planning_time_off_dates_check: {
    code: 'unprocessable',
    path: 'body.endDate',
    message: 'The end date is before the start date',
  },
  planning_holidays_date_region_key: {
    code: 'conflict',
    path: 'body.date',
    message: 'There is already a holiday on this date for this region',
  },
};

export const toDeliverable = (r: DeliverableRow): TDeliverable => ({
  id: r.id,
  projectId: r.projectId,
  name: r.name,
  description: r.description,
  startDate: r.startDate,
  dueDate: r.dueDate,
  status: r.status,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export const toAssignment = (r: AssignmentRow): TAssignment => ({
  id: r.id,
  projectId: r.projectId,
  deliverableId: r.deliverableId,
  personId: r.personId,
  placeholder: r.placeholder,
  status: r.status,
  note: r.note,
  hoursVersion: r.hoursVersion,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const VERSION_KEY = 'planning:version';

export type PlanningPolicy = ReturnType<typeof createPlanningPolicy>;

/**
 * What every planning service shares: who may read what, the transaction that maps the module's
 * constraints to 409/422, and the version of the plan that cached aggregates are keyed by.
 */
export function createPlanningPolicy(ctx: AppContext) {
  const directory = () => moduleApi(ctx, 'directory');
  return {
    directory,
    manages: (principal: Principal) => can(principal.role, 'planning:manage'),
    assertManages(principal: Principal) {
      if (!can(principal.role, 'planning:manage'))
        throw forbidden('Only managers and admins change the plan');
    },
    /** The caller's person id, or null when the account has none. */
    async ownPersonId(principal: Principal): Promise<string | null> {
      return (await directory().personForUser(principal.userId))?.id ?? null;
    },
    /**
     * Runs a planning write; the plan's version moves on after the commit so a cached aggregate is
     * never served after its writer has seen the write succeed.
     */
    async write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
      let out: T;
      try {
        out = await ctx.db.transaction(fn);
      } catch (err) {
        throw fromConstraint(CONSTRAINTS, err);
      }
      await ctx.cache.set(
        VERSION_KEY,
        `${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}`,
        7 * 86_400,
      );
      return out;
    },
    /** The current version of the plan (made on first use, and again if the cache lost it). */
    async version(): Promise<string> {
      const v = await ctx.cache.get(VERSION_KEY);
      if (v) return v;
      const made = `${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}`;
      await ctx.cache.set(VERSION_KEY, made, 7 * 86_400);
      return made;
    },
  };
}
