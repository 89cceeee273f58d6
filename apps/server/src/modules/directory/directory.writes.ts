import {
  can,
  type TActivity,
  type TClient,
  type TPerson,
  type TProject,
  type TTeam,
} from '@clockpilot/contracts';
import { type Actor, recordAudit } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import type { Tx } from '../../platform/db';
import { type ConstraintTable, forbidden, fromConstraint, notFound } from '../../platform/errors';
import type { ActivityRow, ClientRow, PersonRow, ProjectRow } from './directory.tables';

const iso = (d: Date) => d.toISOString();
const dates = <R extends { createdAt: Date; updatedAt: Date }>(r: R) => ({
  ...r,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});
export const toPerson = (r: PersonRow): TPerson => dates(r);
export const toClient = (r: ClientRow): TClient => dates(r);
export const toProject = (r: ProjectRow): TProject => dates(r);
export const toActivity = (r: ActivityRow): TActivity => dates(r);
export const toTeam = (r: Parameters<typeof dates>[0] & Omit<TTeam, 'createdAt' | 'updatedAt'>): TTeam =>
  dates(r);

/** The directory's constraints and the field each one is about. */
const CONSTRAINTS: ConstraintTable = {
  teams_name_key: { code: 'conflict', path: 'body.name', message: 'A team with this name already exists' },
  clients_name_key: {
    code: 'conflict',
    path: 'body.name',
    message: 'A client with this name already exists',
  },
  projects_code_key: {
    code: 'conflict',
    path: 'body.code',
    message: 'A project with this code already exists',
  },
  activities_global_name_key: {
    code: 'conflict',
    path: 'body.name',
    message: 'A global activity with this name already exists',
  },
  activities_project_name_key: {
    code: 'conflict',
    path: 'body.name',
    message: 'This project already has an activity with this name',
  },
  people_user_key: {
    code: 'conflict',
    path: 'body.userId',
    message: 'This user account is already linked to another person',
  },
  people_employee_number_key: {
    code: 'conflict',
    path: 'body.employeeNumber',
    message: 'Another person has this employee number',
  },
  people_user_fk: { code: 'unprocessable', path: 'body.userId', message: 'No such user' },
  people_team_fk: { code: 'unprocessable', path: 'body.teamId', message: 'No such team' },
  people_manager_fk: { code: 'unprocessable', path: 'body.managerId', message: 'No such person' },
  people_not_own_manager: {
    code: 'unprocessable',
    path: 'body.managerId',
    message: 'A person cannot be their own manager',
  },
  projects_client_fk: { code: 'unprocessable', path: 'body.clientId', message: 'No such client' },
  activities_project_fk: { code: 'unprocessable', path: 'body.projectId', message: 'No such project' },
};

/** Fields that change, with `after` values; empty when the patch changes nothing. */
export function changes<T extends object>(before: T, patch: Partial<T>): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(patch) as Array<[keyof T, T[keyof T]]>) {
    if (v !== undefined && before[k] !== v) out[k] = v;
  }
  return out;
}

/**
 * A manager who could set reporting lines could make themselves anyone's manager and so gain
 * their time (read, edit, approve); only admins change who manages whom.
 */
export function assertMayAssign(principal: Principal, touches: boolean) {
  if (touches && !can(principal.role, 'directory:assign')) {
    throw forbidden('Only administrators change reporting lines (manager, team, team managers)');
  }
}

/** Audits a new row of the directory: `<entity>.created` with the row as `after`. */
export function auditCreated(tx: Tx, actor: Actor, entity: string, row: { id: string }) {
  return recordAudit(tx, actor, {
    action: `${entity}.created`,
    entityType: entity,
    entityId: row.id,
    after: row,
  });
}

/** How the directory writes: one transaction whose constraint violations become field errors. */
export function createWrites(ctx: AppContext) {
  const { db, clock } = ctx;

  async function inTx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await db.transaction(fn);
    } catch (err) {
      throw fromConstraint(CONSTRAINTS, err);
    }
  }

  /** Updates one row under a lock and audits before/after; a patch that changes nothing is a no-op. */
  async function patchRow<R extends { id: string; createdAt: Date; updatedAt: Date }>(
    entity: string,
    id: string,
    repo: {
      byId(tx: Tx, id: string, lock: boolean): Promise<R | null>;
      update(tx: Tx, id: string, values: NoInfer<Partial<R>>): Promise<NoInfer<R>>;
    },
    actor: Actor,
    patch: (before: R, tx: Tx) => Partial<R> | Promise<Partial<R>>,
    action = `${entity}.updated`,
    /** Runs first in the transaction, before the row is locked (for locks that must come first). */
    prelude?: (tx: Tx) => Promise<void>,
  ): Promise<R> {
    return inTx(async (tx) => {
      await prelude?.(tx);
      const before = await repo.byId(tx, id, true);
      if (!before) throw notFound(entity[0]!.toUpperCase() + entity.slice(1));
      const diff = changes(before, await patch(before, tx));
      if (Object.keys(diff).length === 0) return before;
      const after = await repo.update(tx, id, { ...diff, updatedAt: clock.now() });
      await recordAudit(tx, actor, { action, entityType: entity, entityId: id, before, after });
      return after;
    });
  }

  return { inTx, patchRow };
}
