import {
  can,
  type TActivity,
  type TActivityCreate,
  type TActivityListQuery,
  type TActivityUpdate,
  type TClient,
  type TClientCreate,
  type TClientListQuery,
  type TClientUpdate,
  type TPage,
  type TPerson,
  type TPersonCreate,
  type TPersonListQuery,
  type TPersonUpdate,
  type TPersonView,
  type TProject,
  type TProjectCreate,
  type TProjectListQuery,
  type TProjectUpdate,
  type TTeam,
  type TTeamCreate,
  type TTeamListQuery,
  type TTeamUpdate,
  type TUser,
  ZActivityCreate,
  ZPersonCreate,
  ZProjectCreate,
  ZTeamCreate,
} from '@clockpilot/contracts';
import { type Actor, recordAudit } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import type { Tx } from '../../platform/db';
import { AppError, forbidden, notFound, pgErrorOf } from '../../platform/errors';
import { activitiesRepo, clientsRepo, peopleRepo, projectsRepo, teamsRepo } from './directory.repo';
import type { ActivityRow, ClientRow, PersonRow, ProjectRow } from './directory.tables';

// ---------- row → contract ----------

const iso = (d: Date) => d.toISOString();
const dates = <R extends { createdAt: Date; updatedAt: Date }>(r: R) => ({
  ...r,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});
const toPerson = (r: PersonRow): TPerson => dates(r);
const toClient = (r: ClientRow): TClient => dates(r);
const toProject = (r: ProjectRow): TProject => dates(r);
const toActivity = (r: ActivityRow): TActivity => dates(r);
const toTeam = (r: Parameters<typeof dates>[0] & Omit<TTeam, 'createdAt' | 'updatedAt'>): TTeam => dates(r);

// ---------- database constraint → field error ----------

type Violation = { code: 'conflict' | 'unprocessable'; path: string; message: string };
const CONSTRAINTS: Record<string, Violation> = {
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

function mapConstraint(err: unknown): unknown {
  const v = CONSTRAINTS[pgErrorOf(err).constraint ?? ''];
  return v ? new AppError(v.code, v.message, { errors: [{ path: v.path, message: v.message }] }) : err;
}

/** Fields that change, with `after` values; empty when the patch changes nothing. */
function changes<T extends object>(before: T, patch: Partial<T>): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(patch) as Array<[keyof T, T[keyof T]]>) {
    if (v !== undefined && before[k] !== v) out[k] = v;
  }
  return out;
}

const SYSTEM: Actor = { userId: null, label: 'system: account created' };

export type DirectoryService = ReturnType<typeof createDirectoryService>;

export function createDirectoryService(ctx: AppContext) {
  const { db, clock } = ctx;

  async function inTx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await db.transaction(fn);
    } catch (err) {
      throw mapConstraint(err);
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

  async function personOfUser(userId: string) {
    return peopleRepo.byUser(db, userId);
  }

  /** Contract details of others stay with those who manage the directory. */
  function view(principal: Principal, p: TPerson): TPersonView {
    if (can(principal.role, 'directory:manage') || p.userId === principal.userId) return p;
    return { ...p, employeeNumber: null, weeklyHours: null, weeklyCapacity: null };
  }

  /**
   * A manager who could set reporting lines could make themselves anyone's manager and so gain
   * their time (read, edit, approve); only admins change who manages whom.
   */
  function assertMayAssign(principal: Principal, touches: boolean) {
    if (touches && !can(principal.role, 'directory:assign')) {
      throw forbidden('Only administrators change reporting lines (manager, team, team managers)');
    }
  }
  function assertMayLink(principal: Principal, userId: string | null | undefined) {
    if (userId !== undefined && !can(principal.role, 'users:manage'))
      throw forbidden('Linking a person to a user account needs the users:manage permission');
  }

  async function getTeamOr404(id: string, tx: Tx | typeof db = db, lock = false) {
    const team = await teamsRepo.byId(tx, id, lock);
    if (!team) throw notFound('Team');
    return team;
  }

  /** 422 naming each unknown person id; `pathOf` gives the field of the i-th id. */
  async function assertPeopleExist(tx: Tx, ids: string[], pathOf: (i: number) => string) {
    const found = await peopleRepo.existingIds(tx, ids);
    const errors = ids.flatMap((id, i) =>
      found.has(id) ? [] : [{ path: pathOf(i), message: 'No such person' }],
    );
    if (errors.length > 0) throw new AppError('unprocessable', 'Unknown person', { errors });
  }

  const service = {
    // ----- the interface other modules call -----

    async personForUser(userId: string): Promise<TPerson | null> {
      const row = await personOfUser(userId);
      return row && toPerson(row);
    },
    async getPerson(id: string): Promise<TPerson | null> {
      const row = await peopleRepo.byId(db, id);
      return row && toPerson(row);
    },
    async listPeople(filter: { ids?: string[]; teamId?: string; active?: boolean }): Promise<TPerson[]> {
      if (filter.ids?.length === 0) return [];
      return (await peopleRepo.list(db, filter)).map(toPerson);
    },
    async managedPersonIds(userId: string): Promise<string[]> {
      const me = await personOfUser(userId);
      return me ? peopleRepo.managedBy(db, me.id) : [];
    },
    async isManagerOf(userId: string, personId: string): Promise<boolean> {
      const me = await personOfUser(userId);
      return me ? (await peopleRepo.managedBy(db, me.id, personId)).length > 0 : false;
    },
    async managedTeamIds(userId: string): Promise<string[]> {
      const me = await personOfUser(userId);
      return me ? teamsRepo.managedBy(db, me.id) : [];
    },
    async getProject(id: string): Promise<TProject | null> {
      const row = await projectsRepo.byId(db, id);
      return row && toProject(row);
    },
    async getActivity(id: string): Promise<TActivity | null> {
      const row = await activitiesRepo.byId(db, id);
      return row && toActivity(row);
    },

    /**
     * Gives a new account its person, inside the transaction that creates the account: an unlinked
     * person with the same email is linked, otherwise one is created from the account.
     */
    async ensurePersonForUser(tx: Tx, user: TUser): Promise<TPerson> {
      const linked = await peopleRepo.byUser(tx, user.id);
      if (linked) return toPerson(linked);
      // With open self-registration an email proves nothing: anyone could claim a colleague's record,
      // its contract details and its time, by registering with its address. The account then gets a
      // person of its own; an admin links an existing record with PATCH /people/:id { userId }.
      const match = ctx.config.auth.allowRegistration
        ? null
        : await peopleRepo.unlinkedByEmail(tx, user.email);
      const now = clock.now();
      if (match) {
        // An account for someone who left and came back brings their archived record back too.
        const after = await peopleRepo.update(tx, match.id, {
          userId: user.id,
          active: true,
          updatedAt: now,
        });
        await recordAudit(tx, SYSTEM, {
          action: 'person.linked',
          entityType: 'person',
          entityId: match.id,
          before: match,
          after,
        });
        return toPerson(after);
      }
      const row = await peopleRepo.insert(tx, {
        userId: user.id,
        name: user.displayName,
        email: user.email,
        timeZone: user.timeZone,
        createdAt: now,
        updatedAt: now,
      });
      await recordAudit(tx, SYSTEM, {
        action: 'person.created',
        entityType: 'person',
        entityId: row.id,
        after: row,
      });
      return toPerson(row);
    },

    // ----- people -----

    view,
    async me(principal: Principal): Promise<TPersonView> {
      const row = await personOfUser(principal.userId);
      if (!row) throw new AppError('not_found', 'No person is linked to your account');
      return toPerson(row);
    },
    async listPeoplePage(principal: Principal, q: TPersonListQuery): Promise<TPage<TPersonView>> {
      const { limit, cursor, sort, dir, ...filter } = q;
      // A search must not reveal what the answer hides.
      const searchEmployeeNumber = can(principal.role, 'directory:manage');
      const page = await peopleRepo.page(
        db,
        { ...filter, searchEmployeeNumber },
        { limit, cursor, sort, dir },
      );
      return { ...page, items: page.items.map((r) => view(principal, toPerson(r))) };
    },
    async getPersonView(principal: Principal, id: string): Promise<TPersonView> {
      const row = await peopleRepo.byId(db, id);
      if (!row) throw notFound('Person');
      return view(principal, toPerson(row));
    },
    async createPerson(principal: Principal, actor: Actor, input: TPersonCreate): Promise<TPerson> {
      const data = ZPersonCreate.parse(input);
      assertMayLink(principal, data.userId);
      assertMayAssign(principal, data.managerId != null || data.teamId != null);
      const now = clock.now();
      return inTx(async (tx) => {
        const row = await peopleRepo.insert(tx, {
          ...data,
          weeklyCapacity: data.weeklyCapacity ?? data.weeklyHours,
          createdAt: now,
          updatedAt: now,
        });
        await recordAudit(tx, actor, {
          action: 'person.created',
          entityType: 'person',
          entityId: row.id,
          after: row,
        });
        return toPerson(row);
      });
    },
    async updatePerson(
      principal: Principal,
      actor: Actor,
      id: string,
      patch: TPersonUpdate,
    ): Promise<TPerson> {
      assertMayLink(principal, patch.userId);
      const row = await patchRow(
        'person',
        id,
        peopleRepo,
        actor,
        async (before, tx) => {
          // Forms send the whole record: only a real change of manager or team counts.
          assertMayAssign(
            principal,
            (patch.managerId !== undefined && patch.managerId !== before.managerId) ||
              (patch.teamId !== undefined && patch.teamId !== before.teamId),
          );
          if (
            patch.managerId &&
            patch.managerId !== id &&
            (await peopleRepo.managerChain(tx, patch.managerId)).includes(id)
          ) {
            throw new AppError('unprocessable', 'The change would make a management cycle', {
              errors: [
                {
                  path: 'body.managerId',
                  message: 'This person reports, directly or not, to the one being changed',
                },
              ],
            });
          }
          return {
            ...patch,
            // Capacity follows the contracted hours unless it was set apart from them.
            weeklyCapacity:
              patch.weeklyCapacity ??
              (patch.weeklyHours !== undefined && before.weeklyCapacity === before.weeklyHours
                ? patch.weeklyHours
                : undefined),
          };
        },
        'person.updated',
        patch.managerId ? (tx) => peopleRepo.lockReportingLines(tx) : undefined,
      );
      return toPerson(row);
    },
    async archivePerson(actor: Actor, id: string): Promise<TPerson> {
      return toPerson(
        await patchRow('person', id, peopleRepo, actor, () => ({ active: false }), 'person.archived'),
      );
    },

    // ----- teams -----

    async listTeams(principal: Principal, q: TTeamListQuery): Promise<TPage<TTeam>> {
      const { limit, cursor, sort, dir, managedByMe, ...filter } = q;
      let managerPersonId: string | undefined;
      if (managedByMe) {
        const me = await personOfUser(principal.userId);
        if (!me) return { items: [], nextCursor: null };
        managerPersonId = me.id;
      }
      const page = await teamsRepo.page(db, { ...filter, managerPersonId }, { limit, cursor, sort, dir });
      return { ...page, items: page.items.map(toTeam) };
    },
    async getTeam(id: string): Promise<TTeam> {
      return toTeam(await getTeamOr404(id));
    },
    async createTeam(principal: Principal, actor: Actor, input: TTeamCreate): Promise<TTeam> {
      const { managerIds, ...data } = ZTeamCreate.parse(input);
      assertMayAssign(principal, managerIds.length > 0);
      const now = clock.now();
      return inTx(async (tx) => {
        await assertPeopleExist(tx, managerIds, (i) => `body.managerIds.${i}`);
        const managers = [...new Set(managerIds)];
        const id = await teamsRepo.insert(tx, { ...data, createdAt: now, updatedAt: now });
        await teamsRepo.addManagers(tx, id, managers);
        const team = toTeam((await teamsRepo.byId(tx, id))!);
        await recordAudit(tx, actor, {
          action: 'team.created',
          entityType: 'team',
          entityId: id,
          after: team,
        });
        return team;
      });
    },
    async updateTeam(actor: Actor, id: string, patch: TTeamUpdate, action = 'team.updated'): Promise<TTeam> {
      return inTx(async (tx) => {
        const before = await getTeamOr404(id, tx, true);
        const diff = changes(before, patch);
        if (Object.keys(diff).length === 0) return toTeam(before);
        await teamsRepo.update(tx, id, { ...diff, updatedAt: clock.now() });
        const after = (await teamsRepo.byId(tx, id))!;
        await recordAudit(tx, actor, { action, entityType: 'team', entityId: id, before, after });
        return toTeam(after);
      });
    },
    async archiveTeam(actor: Actor, id: string): Promise<TTeam> {
      return service.updateTeam(actor, id, { active: false }, 'team.archived');
    },
    /** Makes the person a manager of the team (they need not be a member). */
    async addTeamManager(actor: Actor, teamId: string, personId: string): Promise<TTeam> {
      return inTx(async (tx) => {
        const before = await getTeamOr404(teamId, tx, true);
        await assertPeopleExist(tx, [personId], () => 'body.personId');
        if (!(await teamsRepo.addManagers(tx, teamId, [personId]))) return toTeam(before);
        const after = (await teamsRepo.byId(tx, teamId))!;
        await recordAudit(tx, actor, {
          action: 'team.manager_added',
          entityType: 'team',
          entityId: teamId,
          before,
          after,
        });
        return toTeam(after);
      });
    },
    async removeTeamManager(actor: Actor, teamId: string, personId: string): Promise<TTeam> {
      return inTx(async (tx) => {
        const before = await getTeamOr404(teamId, tx, true);
        if (!(await teamsRepo.removeManager(tx, teamId, personId))) throw notFound('Manager of this team');
        const after = (await teamsRepo.byId(tx, teamId))!;
        await recordAudit(tx, actor, {
          action: 'team.manager_removed',
          entityType: 'team',
          entityId: teamId,
          before,
          after,
        });
        return toTeam(after);
      });
    },
    /** A person belongs to one team: adding them moves them from their previous one. */
    async addTeamMember(actor: Actor, teamId: string, personId: string): Promise<TPerson> {
      await getTeamOr404(teamId);
      const exists = await peopleRepo.byId(db, personId);
      if (!exists)
        throw new AppError('unprocessable', 'Unknown person', {
          errors: [{ path: 'body.personId', message: 'No such person' }],
        });
      return toPerson(
        await patchRow('person', personId, peopleRepo, actor, () => ({ teamId }), 'team.member_added'),
      );
    },
    async removeTeamMember(actor: Actor, teamId: string, personId: string): Promise<TPerson> {
      await getTeamOr404(teamId);
      const row = await patchRow(
        'person',
        personId,
        peopleRepo,
        actor,
        (before) => {
          if (before.teamId !== teamId) throw notFound('Member of this team');
          return { teamId: null };
        },
        'team.member_removed',
      );
      return toPerson(row);
    },

    // ----- clients -----

    async listClients(q: TClientListQuery): Promise<TPage<TClient>> {
      const { limit, cursor, sort, dir, ...filter } = q;
      const page = await clientsRepo.page(db, filter, { limit, cursor, sort, dir });
      return { ...page, items: page.items.map(toClient) };
    },
    async getClient(id: string): Promise<TClient> {
      const row = await clientsRepo.byId(db, id);
      if (!row) throw notFound('Client');
      return toClient(row);
    },
    async createClient(actor: Actor, input: TClientCreate): Promise<TClient> {
      const now = clock.now();
      return inTx(async (tx) => {
        const row = await clientsRepo.insert(tx, { ...input, createdAt: now, updatedAt: now });
        await recordAudit(tx, actor, {
          action: 'client.created',
          entityType: 'client',
          entityId: row.id,
          after: row,
        });
        return toClient(row);
      });
    },
    async updateClient(actor: Actor, id: string, patch: TClientUpdate, action?: string): Promise<TClient> {
      return toClient(await patchRow('client', id, clientsRepo, actor, () => patch, action));
    },
    async archiveClient(actor: Actor, id: string): Promise<TClient> {
      return service.updateClient(actor, id, { active: false }, 'client.archived');
    },

    // ----- projects -----

    async listProjects(q: TProjectListQuery): Promise<TPage<TProject>> {
      const { limit, cursor, sort, dir, ...filter } = q;
      const page = await projectsRepo.page(db, filter, { limit, cursor, sort, dir });
      return { ...page, items: page.items.map(toProject) };
    },
    async getProjectOr404(id: string): Promise<TProject> {
      const row = await projectsRepo.byId(db, id);
      if (!row) throw notFound('Project');
      return toProject(row);
    },
    async createProject(actor: Actor, input: TProjectCreate): Promise<TProject> {
      const data = ZProjectCreate.parse(input);
      const now = clock.now();
      return inTx(async (tx) => {
        const row = await projectsRepo.insert(tx, { ...data, createdAt: now, updatedAt: now });
        await recordAudit(tx, actor, {
          action: 'project.created',
          entityType: 'project',
          entityId: row.id,
          after: row,
        });
        return toProject(row);
      });
    },
    async updateProject(actor: Actor, id: string, patch: TProjectUpdate, action?: string): Promise<TProject> {
      return toProject(await patchRow('project', id, projectsRepo, actor, () => patch, action));
    },
    /** Projects have a status rather than an active flag; archiving sets it. */
    async archiveProject(actor: Actor, id: string): Promise<TProject> {
      return service.updateProject(actor, id, { status: 'archived' }, 'project.archived');
    },

    // ----- activities -----

    async listActivities(q: TActivityListQuery): Promise<TPage<TActivity>> {
      const { limit, cursor, sort, dir, ...filter } = q;
      const page = await activitiesRepo.page(db, filter, { limit, cursor, sort, dir });
      return { ...page, items: page.items.map(toActivity) };
    },
    async getActivityOr404(id: string): Promise<TActivity> {
      const row = await activitiesRepo.byId(db, id);
      if (!row) throw notFound('Activity');
      return toActivity(row);
    },
    async createActivity(actor: Actor, input: TActivityCreate): Promise<TActivity> {
      const data = ZActivityCreate.parse(input);
      const now = clock.now();
      return inTx(async (tx) => {
        const row = await activitiesRepo.insert(tx, { ...data, createdAt: now, updatedAt: now });
        await recordAudit(tx, actor, {
          action: 'activity.created',
          entityType: 'activity',
          entityId: row.id,
          after: row,
        });
        return toActivity(row);
      });
    },
    async updateActivity(
      actor: Actor,
      id: string,
      patch: TActivityUpdate,
      action?: string,
    ): Promise<TActivity> {
      return toActivity(await patchRow('activity', id, activitiesRepo, actor, () => patch, action));
    },
    async archiveActivity(actor: Actor, id: string): Promise<TActivity> {
      return service.updateActivity(actor, id, { active: false }, 'activity.archived');
    },
  };
  return service;
}
