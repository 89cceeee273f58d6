import type { TPerson, TRole } from '@clockpilot/contracts';
import type { Principal } from '../../platform/auth';
import { AppError } from '../../platform/errors';
import type { SeedOptions } from '../../platform/module';
import type { IdentityApi } from '../identity';
import type { DirectoryService } from './directory.service';

/**
 * A demo company: three teams with managers, twelve people with accounts, clients, projects and
 * activities. Everything goes through the services, so the account → person event, the rules and the
 * audit trail are the real ones.
 */

type DemoPerson = {
  username: string;
  name: string;
  role: TRole;
  team: string;
  title: string;
  timeZone: string;
  weeklyHours?: number;
};

const TEAMS = [
  { name: 'Platform', description: 'Backend, infrastructure and the public API', manager: 'maya_chen' },
  { name: 'Customer Success', description: 'Onboarding, support and account care', manager: 'jonas_weber' },
  { name: 'Design', description: 'Product and brand design', manager: 'priya_nair' },
];

const PEOPLE: DemoPerson[] = [
  {
    username: 'maya_chen',
    name: 'Maya Chen',
    role: 'manager',
    team: 'Platform',
    title: 'Engineering Manager',
    timeZone: 'Europe/Berlin',
  },
  {
    username: 'leo_martin',
    name: 'Léo Martin',
    role: 'employee',
    team: 'Platform',
    title: 'Backend Engineer',
    timeZone: 'Europe/Paris',
  },
  {
    username: 'sofia_rossi',
    name: 'Sofia Rossi',
    role: 'employee',
    team: 'Platform',
    title: 'Backend Engineer',
    timeZone: 'Europe/Rome',
    weeklyHours: 32,
  },
  {
    username: 'kenji_sato',
    name: 'Kenji Sato',
    role: 'employee',
    team: 'Platform',
    title: 'Site Reliability Engineer',
    timeZone: 'Asia/Tokyo',
  },
  {
    username: 'amara_okafor',
    name: 'Amara Okafor',
    role: 'employee',
    team: 'Platform',
    title: 'Frontend Engineer',
    timeZone: 'Europe/London',
  },
  {
    username: 'jonas_weber',
    name: 'Jonas Weber',
    role: 'manager',
    team: 'Customer Success',
    title: 'Head of Customer Success',
    timeZone: 'Europe/Berlin',
  },
  {
    username: 'elena_garcia',
    name: 'Elena García',
    role: 'employee',
    team: 'Customer Success',
    title: 'Support Specialist',
    timeZone: 'Europe/Madrid',
  },
  {
    username: 'omar_haddad',
    name: 'Omar Haddad',
    role: 'employee',
    team: 'Customer Success',
    title: 'Customer Success Manager',
    timeZone: 'America/New_York',
  },
  {
    username: 'hana_kim',
    name: 'Hana Kim',
    role: 'employee',
    team: 'Customer Success',
    title: 'Support Specialist',
    timeZone: 'America/Los_Angeles',
    weeklyHours: 20,
  },
  {
    username: 'priya_nair',
    name: 'Priya Nair',
    role: 'manager',
    team: 'Design',
    title: 'Design Lead',
    timeZone: 'Europe/London',
  },
  {
    username: 'tom_becker',
    name: 'Tom Becker',
    role: 'employee',
    team: 'Design',
    title: 'Product Designer',
    timeZone: 'Europe/Berlin',
    weeklyHours: 36,
  },
  {
    username: 'lucas_silva',
    name: 'Lucas Silva',
    role: 'employee',
    team: 'Design',
    title: 'Brand Designer',
    timeZone: 'America/Sao_Paulo',
  },
];

const CLIENTS = ['Northwind Traders', 'Globex Corporation', 'ClockPilot Internal'];

const PROJECTS = [
  {
    client: 'Northwind Traders',
    code: 'NW-SHOP',
    name: 'Webshop relaunch',
    color: '#2563EB',
    budgetHours: 800,
    billable: true,
  },
  {
    client: 'Northwind Traders',
    code: 'NW-SUP',
    name: 'Support retainer',
    color: '#0EA5E9',
    budgetHours: null,
    billable: true,
  },
  {
    client: 'Globex Corporation',
    code: 'GLX-APP',
    name: 'Field service app',
    color: '#16A34A',
    budgetHours: 1200,
    billable: true,
  },
  {
    client: 'ClockPilot Internal',
    code: 'INT-OPS',
    name: 'Internal operations',
    color: '#6B7280',
    budgetHours: null,
    billable: false,
  },
];

const GLOBAL_ACTIVITIES = [
  'Development',
  'Code review',
  'Design',
  'Support',
  'Meetings',
  'Project management',
];
const PROJECT_ACTIVITIES = [
  { project: 'GLX-APP', name: 'Discovery workshop' },
  { project: 'NW-SHOP', name: 'Content migration' },
];

export type DirectorySeedReport = {
  users: Array<{ username: string; role: TRole; name: string }>;
  teams: number;
  clients: number;
  projects: number;
  activities: number;
};

/** Steps the seed reports through `tick`, for a progress bar. */
export const DIRECTORY_SEED_STEPS = PEOPLE.length + TEAMS.length + 3;

/** The demo company's accounts (through identity's public API), people, teams and catalogue. */
export async function seedDirectoryDemo(
  identity: IdentityApi,
  directory: DirectoryService,
  opts: SeedOptions,
): Promise<DirectorySeedReport> {
  const { actor, password, tick } = opts;
  // Demo data is written with full rights; the principal only feeds the service's object-level checks.
  const system: Principal = {
    userId: '00000000-0000-0000-0000-000000000000',
    role: 'admin',
    scopes: ['read', 'write'],
  };

  const existing = await directory.listClients({ q: CLIENTS[0]!, limit: 1, sort: 'name', dir: 'asc' });
  if (existing.items.length > 0) {
    throw new AppError(
      'conflict',
      `The demo company is already there (client "${CLIENTS[0]}" exists); nothing was changed`,
    );
  }

  const people = new Map<string, TPerson>();
  for (const p of PEOPLE) {
    const user = await identity.createUser(
      {
        username: p.username,
        email: `${p.username.replace('_', '.')}@example.com`,
        displayName: p.name,
        role: p.role,
        timeZone: p.timeZone,
        password,
      },
      actor,
    );
    // The account came with its person; fill in what the directory knows beyond the account.
    const person = (await directory.personForUser(user.id))!;
    people.set(p.username, person);
    tick(p.username);
  }

  for (const team of TEAMS) {
    const manager = people.get(team.manager)!;
    const created = await directory.createTeam(system, actor, {
      name: team.name,
      description: team.description,
      managerIds: [manager.id],
    });
    for (const p of PEOPLE.filter((x) => x.team === team.name)) {
      const person = people.get(p.username)!;
      const updated = await directory.updatePerson(system, actor, person.id, {
        teamId: created.id,
        managerId: p.username === team.manager ? null : manager.id,
        title: p.title,
        department: team.name,
        employeeNumber: `E-${String(PEOPLE.indexOf(p) + 1001)}`,
        weeklyHours: p.weeklyHours ?? 40,
      });
      people.set(p.username, updated);
    }
    tick(team.name);
  }

  const clientIds = new Map<string, string>();
  for (const name of CLIENTS) clientIds.set(name, (await directory.createClient(actor, { name })).id);
  tick('clients');
  const projectIds = new Map<string, string>();
  for (const p of PROJECTS) {
    const { client, ...rest } = p;
    projectIds.set(
      p.code,
      (await directory.createProject(actor, { ...rest, clientId: clientIds.get(client)! })).id,
    );
  }
  tick('projects');
  for (const name of GLOBAL_ACTIVITIES) {
    // A company that already made a global activity of this name keeps it; the demo uses it too.
    const same = await directory.listActivities({
      q: name,
      global: true,
      limit: 50,
      sort: 'name',
      dir: 'asc',
    });
    if (!same.items.some((a) => a.name.toLowerCase() === name.toLowerCase()))
      await directory.createActivity(actor, { name, projectId: null });
  }
  for (const a of PROJECT_ACTIVITIES)
    await directory.createActivity(actor, { name: a.name, projectId: projectIds.get(a.project)! });
  tick('activities');

  return {
    users: PEOPLE.map((p) => ({ username: p.username, role: p.role, name: p.name })),
    teams: TEAMS.length,
    clients: CLIENTS.length,
    projects: PROJECTS.length,
    activities: GLOBAL_ACTIVITIES.length + PROJECT_ACTIVITIES.length,
  };
}
