import type {
  TActivity,
  TActivityCreate,
  TClient,
  TClientCreate,
  TPerson,
  TPersonCreate,
  TProject,
  TProjectCreate,
  TTeam,
  TTeamCreate,
} from '@clockpilot/contracts';
import type { Actor } from '../../src/platform/audit';
import type { Principal } from '../../src/platform/auth';
import { moduleServices, type WithServices } from '../helpers';

const ACTOR: Actor = { userId: null, label: 'test' };
/** Full rights: the principal only feeds the service's object-level checks. */
export const SYSTEM: Principal = {
  userId: '00000000-0000-0000-0000-000000000000',
  role: 'admin',
  scopes: ['read', 'write'],
};

// A counter, not random names: codes then sort in the order a test made them.
let seq = 0;

/** The person every account gets; fails when the account has none. */
export async function personOf(t: WithServices, user: { id: string }): Promise<TPerson> {
  const person = await moduleServices(t, 'directory').directory.personForUser(user.id);
  if (!person) throw new Error(`no person is linked to user ${user.id}`);
  return person;
}

/** A person without an account. */
export async function createPerson(
  t: WithServices,
  overrides: Partial<TPersonCreate> = {},
): Promise<TPerson> {
  return moduleServices(t, 'directory').directory.createPerson(SYSTEM, ACTOR, {
    name: `Person ${++seq}`,
    ...overrides,
  });
}

/** A team with the managers of `managerIds` and the members of `memberIds` (person ids). */
export async function createTeam(
  t: WithServices,
  overrides: Partial<TTeamCreate> & { memberIds?: string[] } = {},
): Promise<TTeam> {
  const directory = moduleServices(t, 'directory').directory;
  const { memberIds = [], ...input } = overrides;
  const team = await directory.createTeam(SYSTEM, ACTOR, { name: `Team ${++seq}`, ...input });
  for (const personId of memberIds) await directory.addTeamMember(ACTOR, team.id, personId);
  return memberIds.length > 0 ? directory.getTeam(team.id) : team;
}

export async function createClient(
  t: WithServices,
  overrides: Partial<TClientCreate> = {},
): Promise<TClient> {
  return moduleServices(t, 'directory').directory.createClient(ACTOR, {
    name: `Client ${++seq}`,
    ...overrides,
  });
}

/** A project named `Project <code>`, of a new client unless `clientId` is given. */
export async function createProject(
  t: WithServices,
  overrides: Partial<TProjectCreate> = {},
): Promise<TProject> {
  const code = overrides.code ?? `P${++seq}`;
  const clientId = overrides.clientId ?? (await createClient(t)).id;
  return moduleServices(t, 'directory').directory.createProject(ACTOR, {
    name: `Project ${code}`,
    ...overrides,
    code,
    clientId,
  });
}

/** A global activity unless `projectId` is given. */
export async function createActivity(
  t: WithServices,
  overrides: Partial<TActivityCreate> = {},
): Promise<TActivity> {
  return moduleServices(t, 'directory').directory.createActivity(ACTOR, {
    name: `Activity ${++seq}`,
    ...overrides,
  });
}
