import {
  type TPage,
  type TPerson,
  type TTeam,
  type TTeamCreate,
  type TTeamListQuery,
  type TTeamUpdate,
  ZTeamCreate,
} from '@clockpilot/contracts';
import { type Actor, recordAudit } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import type { DbOrTx, Tx } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { assertManagesTeam } from './directory.policy';
import { peopleRepo, teamsRepo } from './directory.repo';
import { assertMayAssign, auditCreated, changes, createWrites, toPerson, toTeam } from './directory.writes';

/** Teams, their managers and members; membership and managers are reporting lines (admins only). */
export function createTeamsService(ctx: AppContext) {
  const { db, clock } = ctx;
  const { inTx, patchRow } = createWrites(ctx);

  async function getTeamOr404(id: string, tx: DbOrTx = db, lock = false) {
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

  /** Changes a team's managers with the team locked; `change` answers whether anything changed. */
  function changeManagers(
    actor: Actor,
    teamId: string,
    action: string,
    change: (tx: Tx) => Promise<boolean>,
  ) {
    return inTx(async (tx) => {
      const before = await getTeamOr404(teamId, tx, true);
      if (!(await change(tx))) return toTeam(before);
      const after = (await teamsRepo.byId(tx, teamId))!;
      await recordAudit(tx, actor, { action, entityType: 'team', entityId: teamId, before, after });
      return toTeam(after);
    });
  }

  const service = {
    async listTeams(principal: Principal, q: TTeamListQuery): Promise<TPage<TTeam>> {
      const { limit, cursor, sort, dir, managedByMe, ...filter } = q;
      let managerPersonId: string | undefined;
      if (managedByMe) {
        const me = await peopleRepo.byUser(db, principal.userId);
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
        await auditCreated(tx, actor, 'team', team);
        return team;
      });
    },
    async updateTeam(
      principal: Principal,
      actor: Actor,
      id: string,
      patch: TTeamUpdate,
      action = 'team.updated',
    ): Promise<TTeam> {
      return inTx(async (tx) => {
        const before = await getTeamOr404(id, tx, true);
        await assertManagesTeam(tx, principal, id);
        const diff = changes(before, patch);
        if (Object.keys(diff).length === 0) return toTeam(before);
        await teamsRepo.update(tx, id, { ...diff, updatedAt: clock.now() });
        const after = (await teamsRepo.byId(tx, id))!;
        await recordAudit(tx, actor, { action, entityType: 'team', entityId: id, before, after });
        return toTeam(after);
      });
    },
    async archiveTeam(principal: Principal, actor: Actor, id: string): Promise<TTeam> {
      return service.updateTeam(principal, actor, id, { active: false }, 'team.archived');
    },
    /** Makes the person a manager of the team (they need not be a member). */
    async addTeamManager(actor: Actor, teamId: string, personId: string): Promise<TTeam> {
      return changeManagers(actor, teamId, 'team.manager_added', async (tx) => {
        await assertPeopleExist(tx, [personId], () => 'body.personId');
        return teamsRepo.addManagers(tx, teamId, [personId]);
      });
    },
    async removeTeamManager(actor: Actor, teamId: string, personId: string): Promise<TTeam> {
      return changeManagers(actor, teamId, 'team.manager_removed', async (tx) => {
        if (!(await teamsRepo.removeManager(tx, teamId, personId))) throw notFound('Manager of this team');
        return true;
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
  };
  return service;
}
