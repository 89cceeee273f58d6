import {
  can,
  type TPage,
  type TPerson,
  type TPersonCreate,
  type TPersonListQuery,
  type TPersonUpdate,
  type TPersonView,
  type TUser,
  ZPersonCreate,
} from '@clockpilot/contracts';
import { type Actor, recordAudit } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import type { Tx } from '../../platform/db';
import { AppError, forbidden, notFound } from '../../platform/errors';
import { assertManagesPerson } from './directory.policy';
import { peopleRepo, teamsRepo } from './directory.repo';
import type { PersonRow } from './directory.tables';
import { assertMayAssign, auditCreated, createWrites, toPerson } from './directory.writes';

type PeopleFilter = { ids?: string[]; teamId?: string; active?: boolean };
export type TPersonCapacity = Pick<TPerson, 'id' | 'name' | 'teamId' | 'weeklyCapacity'>;

const SYSTEM: Actor = { userId: null, label: 'system: account created' };
const FOLLOW: Actor = { userId: null, label: 'system: account changed' };

/** People, their reporting lines, and who manages whom (what time and planning ask of the directory). */
export function createPeopleService(ctx: AppContext) {
  const { db, clock } = ctx;
  const { inTx, patchRow } = createWrites(ctx);

  async function personOfUser(userId: string) {
    return peopleRepo.byUser(db, userId);
  }

  /** Contract details of others stay with those who manage the directory. */
  function view(principal: Principal, p: TPerson): TPersonView {
    if (can(principal.role, 'directory:manage') || p.userId === principal.userId) return p;
    return { ...p, employeeNumber: null, weeklyHours: null, weeklyCapacity: null };
  }

  function assertMayLink(principal: Principal, userId: string | null | undefined) {
    if (userId !== undefined && !can(principal.role, 'users:manage'))
      throw forbidden('Linking a person to a user account needs the users:manage permission');
  }

  return {
    async personForUser(userId: string): Promise<TPerson | null> {
      const row = await personOfUser(userId);
      return row && toPerson(row);
    },
    async getPerson(id: string): Promise<TPerson | null> {
      const row = await peopleRepo.byId(db, id);
      return row && toPerson(row);
    },
    async listPeople(filter: PeopleFilter): Promise<TPerson[]> {
      if (filter.ids?.length === 0) return [];
      return (await peopleRepo.list(db, filter)).map(toPerson);
    },
    /** The people's names, teams and weekly capacity only: a planning grid of thousands reads no more. */
    async listCapacities(filter: PeopleFilter): Promise<TPersonCapacity[]> {
      if (filter.ids?.length === 0) return [];
      return peopleRepo.listCapacities(db, filter);
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

    /**
     * Gives an account its person, inside the transaction that creates or promotes it: with `byEmail`,
     * an unlinked person with the same email is linked, otherwise one is created from the account.
     */
    async ensurePersonForUser(tx: Tx, user: TUser, { byEmail }: { byEmail: boolean }): Promise<TPerson> {
      const linked = await peopleRepo.byUser(tx, user.id);
      if (linked) return toPerson(linked);
      const match = byEmail ? await peopleRepo.unlinkedByEmail(tx, user.email) : null;
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
      await auditCreated(tx, SYSTEM, 'person', row);
      return toPerson(row);
    },

    /** A renamed account or a new time zone reaches the linked person, in the account's transaction. */
    async followAccount(tx: Tx, user: TUser, before: TUser): Promise<void> {
      const patch = {
        ...(user.displayName !== before.displayName && { name: user.displayName }),
        ...(user.timeZone !== before.timeZone && { timeZone: user.timeZone }),
      };
      if (Object.keys(patch).length === 0) return;
      const person = await peopleRepo.byUser(tx, user.id);
      if (!person) return;
      const after = await peopleRepo.update(tx, person.id, { ...patch, updatedAt: clock.now() });
      await recordAudit(tx, FOLLOW, {
        action: 'person.updated',
        entityType: 'person',
        entityId: person.id,
        before: person,
        after,
      });
    },

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
        await auditCreated(tx, actor, 'person', row);
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
          await assertManagesPerson(tx, principal, id);
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
    async archivePerson(principal: Principal, actor: Actor, id: string): Promise<TPerson> {
      const archive = async (before: PersonRow, tx: Tx) => {
        await assertManagesPerson(tx, principal, id);
        // Followers (planning, …) act in the same transaction, so they never see half an archive.
        if (before.active) {
          const person = toPerson({ ...before, active: false });
          await ctx.events.emit('directory.person.archived', { tx, person });
        }
        return { active: false };
      };
      return toPerson(await patchRow('person', id, peopleRepo, actor, archive, 'person.archived'));
    },
  };
}
