import type { TActivity, TPage, TPerson, TProject } from '@clockpilot/contracts';
import { type AppContext, moduleApi } from '../../platform/context';
import type { Tx } from '../../platform/db';
import { defineModule } from '../../platform/module';
import { directoryRoutes } from './directory.routes';
import { createDirectoryService, type DirectoryService } from './directory.service';
import { DIRECTORY_SEED_STEPS, seedDirectoryDemo } from './seed-demo';

/**
 * What other modules may call on the directory: reads of people, reporting lines and the catalogue,
 * and the bulk upserts of planning's imports (the directory's rules and audit apply).
 */
export type DirectoryApi = Pick<
  DirectoryService,
  | 'personForUser'
  | 'getPerson'
  | 'listPeople'
  | 'listCapacities'
  | 'managedPersonIds'
  | 'isManagerOf'
  | 'getTeam'
  | 'getProject'
  | 'getActivity'
  | 'listProjects'
  | 'listActivities'
  | 'importPeople'
  | 'importProjects'
  | 'peopleByKeys'
  | 'projectsByCodes'
>;
export type { ImportedProject, ImportOutcome } from './imports.service';
export type { TPersonCapacity } from './people.service';
export type { TActivity, TPage, TPerson, TProject };

declare module '../../platform/context' {
  interface ModuleApis {
    directory: DirectoryApi;
  }
}
declare module '../../platform/events' {
  interface Events {
    /** A person left the directory (their account may stay). Handlers run in its transaction. */
    'directory.person.archived': { tx: Tx; person: TPerson };
  }
}
declare module '../../platform/module' {
  interface ModuleServices {
    directory: { directory: DirectoryService };
  }
}

function createDirectoryServices(ctx: AppContext) {
  const directory = createDirectoryService(ctx);
  // Every staff account gets its person in the same transaction, so anyone can clock in at once; one
  // made by an admin, SSO or the CLI takes over the unlinked person with its email.
  ctx.events.on('identity.user.created', async ({ tx, user }) => {
    if (user.role !== 'customer') await directory.ensurePersonForUser(tx, user, { byEmail: true });
  });
  // Customers (outside renters) are not staff: they get a person only when an admin gives them a staff
  // role, and one of their own: a self-registered email proves nothing, and anyone could otherwise
  // claim a colleague's record and its time by signing up with the address. An admin links an
  // existing record with PATCH /people/:id { userId }.
  ctx.events.on('identity.user.updated', async ({ tx, user, before }) => {
    if (before.role === 'customer' && user.role !== 'customer')
      await directory.ensurePersonForUser(tx, user, { byEmail: false });
    await directory.followAccount(tx, user, before);
  });
  return { directory };
}

export const directoryModule = defineModule({
  name: 'directory',
  dependsOn: ['identity'],
  prefix: '/api/v1',
  services: createDirectoryServices,
  api: ({ directory: d }) => ({
    personForUser: d.personForUser,
    getPerson: d.getPerson,
    listPeople: d.listPeople,
    listCapacities: d.listCapacities,
    managedPersonIds: d.managedPersonIds,
    isManagerOf: d.isManagerOf,
    getTeam: d.getTeam,
    getProject: d.getProject,
    getActivity: d.getActivity,
    listProjects: d.listProjects,
    listActivities: d.listActivities,
    importPeople: d.importPeople,
    importProjects: d.importProjects,
    peopleByKeys: d.peopleByKeys,
    projectsByCodes: d.projectsByCodes,
  }),
  routes: async (app, { directory }) => {
    await app.register(directoryRoutes, { service: directory });
  },
  seed: {
    steps: DIRECTORY_SEED_STEPS,
    async run({ directory }, opts, ctx) {
      const report = await seedDirectoryDemo(moduleApi(ctx, 'identity'), directory, opts);
      return {
        ...report,
        lines: [
          `directory: ${report.users.length} accounts, ${report.teams} teams, ${report.clients} clients, ${report.projects} projects, ${report.activities} activities`,
          ...report.users.map((u) => `  ${u.username.padEnd(14)} ${u.role.padEnd(9)} ${u.name}`),
        ],
      };
    },
  },
});
