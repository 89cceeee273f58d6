import type { TRole } from '@clockpilot/contracts';
import type { Principal } from '../../platform/auth';
import type { DbOrTx } from '../../platform/db';
import { forbidden } from '../../platform/errors';
import { peopleRepo, teamsRepo } from './directory.repo';

/**
 * Object scope of `directory:manage`: admins act on everyone, managers on the people and teams they
 * manage (their direct reports and the members of their active teams). Everyone with
 * `directory:read` sees every person and team, so an object out of scope answers 403, not 404 (as
 * the time module does for a person whose time the caller can read but not change).
 */
export async function assertManagesPerson(db: DbOrTx, principal: Principal, personId: string) {
  if (principal.role === 'admin') return;
  const me = await peopleRepo.byUser(db, principal.userId);
  if (!me || (await peopleRepo.managedBy(db, me.id, personId)).length === 0)
    throw forbidden('You may change only the people you manage');
}

export async function assertManagesTeam(db: DbOrTx, principal: Principal, teamId: string) {
  if (principal.role === 'admin') return;
  const me = await peopleRepo.byUser(db, principal.userId);
  if (!me || !(await teamsRepo.managedBy(db, me.id)).includes(teamId))
    throw forbidden('You may change only the teams you manage');
}

/** The ids of the people a non-admin manages (for bulk writes); null for admins, who may change anyone. */
export async function managedPeople(
  db: DbOrTx,
  role: TRole,
  userId: string | null,
): Promise<Set<string> | null> {
  if (role === 'admin') return null;
  const me = userId ? await peopleRepo.byUser(db, userId) : null;
  return new Set(me ? await peopleRepo.managedBy(db, me.id) : []);
}
