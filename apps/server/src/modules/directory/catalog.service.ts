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
  type TProject,
  type TProjectCreate,
  type TProjectListQuery,
  type TProjectUpdate,
  ZActivityCreate,
  ZProjectCreate,
} from '@clockpilot/contracts';
import type { Actor } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import type { DbOrTx } from '../../platform/db';
import { forbidden, notFound } from '../../platform/errors';
import { activitiesRepo, clientsRepo, projectsRepo } from './directory.repo';
import type { ActivityRow, ClientRow, ProjectRow } from './directory.tables';
import { auditCreated, createWrites, toActivity, toClient, toProject } from './directory.writes';

type Stamped = { id: string; createdAt: Date; updatedAt: Date };
type ListQuery = { limit: number; cursor?: string; sort: string; dir: 'asc' | 'desc' };
type PageKeys = keyof ListQuery;

/** One catalog table as directory.repo.ts offers it. */
type CatalogRepo<Row extends Stamped, Query extends ListQuery, Create> = {
  byId(db: DbOrTx, id: string, lock?: boolean): Promise<Row | null>;
  page(db: DbOrTx, f: Omit<Query, PageKeys>, p: Pick<Query, PageKeys>): Promise<TPage<Row>>;
  insert(db: DbOrTx, values: Create & { createdAt: Date; updatedAt: Date }): Promise<Row>;
  update(db: DbOrTx, id: string, values: Partial<Row>): Promise<Row>;
};

/**
 * Clients, projects and activities: reference data that time entries and plans point at. Each is
 * listed, read, created, patched and archived (never deleted) the same way.
 */
export function createCatalogService(ctx: AppContext) {
  const { db, clock } = ctx;
  const { inTx, patchRow } = createWrites(ctx);

  function resource<
    Row extends Stamped,
    Item,
    Query extends ListQuery,
    Create,
    Update extends Partial<Row>,
  >(def: {
    entity: string;
    repo: CatalogRepo<Row, Query, Create>;
    to: (row: Row) => Item;
    /** Applies the contract's defaults for callers that bypass HTTP; a create without defaults omits it. */
    parse?: (input: Create) => Create;
    /** The patch that archives a row. */
    archived: Update;
  }) {
    const { entity, repo, to } = def;
    const archives = (patch: Update) =>
      Object.entries(def.archived).every(([k, v]) => patch[k as keyof Update] === v);
    const update = async (
      principal: Principal,
      actor: Actor,
      id: string,
      patch: Update,
      action?: string,
    ): Promise<Item> => {
      // Time entries and plans of every team point at these rows: only admins take one out of use.
      if (archives(patch) && !can(principal.role, 'catalog:archive'))
        throw forbidden(`Only administrators archive a ${entity}`);
      return to(await patchRow(entity, id, repo, actor, () => patch, action));
    };
    return {
      async list(q: Query): Promise<TPage<Item>> {
        const { limit, cursor, sort, dir, ...filter } = q;
        const page = await repo.page(db, filter, { limit, cursor, sort, dir });
        return { ...page, items: page.items.map(to) };
      },
      async get(id: string): Promise<Item> {
        const row = await repo.byId(db, id);
        if (!row) throw notFound(entity[0]!.toUpperCase() + entity.slice(1));
        return to(row);
      },
      async create(actor: Actor, input: Create): Promise<Item> {
        const data = def.parse ? def.parse(input) : input;
        const now = clock.now();
        return inTx(async (tx) => {
          const row = await repo.insert(tx, { ...data, createdAt: now, updatedAt: now });
          await auditCreated(tx, actor, entity, row);
          return to(row);
        });
      },
      update,
      archive: (principal: Principal, actor: Actor, id: string) =>
        update(principal, actor, id, def.archived, `${entity}.archived`),
    };
  }

  const clients = resource<ClientRow, TClient, TClientListQuery, TClientCreate, TClientUpdate>({
    entity: 'client',
    repo: clientsRepo,
    to: toClient,
    archived: { active: false },
  });
  const projects = resource<ProjectRow, TProject, TProjectListQuery, TProjectCreate, TProjectUpdate>({
    entity: 'project',
    repo: projectsRepo,
    to: toProject,
    parse: (input) => ZProjectCreate.parse(input),
    // Projects have a status rather than an active flag; archiving sets it.
    archived: { status: 'archived' },
  });
  const activities = resource<ActivityRow, TActivity, TActivityListQuery, TActivityCreate, TActivityUpdate>({
    entity: 'activity',
    repo: activitiesRepo,
    to: toActivity,
    parse: (input) => ZActivityCreate.parse(input),
    archived: { active: false },
  });

  return {
    clients,
    projects,
    activities,

    // ----- the interface other modules call: null, not 404, for an unknown id -----

    async getProject(id: string): Promise<TProject | null> {
      const row = await projectsRepo.byId(db, id);
      return row && toProject(row);
    },
    async getActivity(id: string): Promise<TActivity | null> {
      const row = await activitiesRepo.byId(db, id);
      return row && toActivity(row);
    },

    listClients: clients.list,
    getClient: clients.get,
    createClient: clients.create,
    updateClient: clients.update,
    archiveClient: clients.archive,
    listProjects: projects.list,
    getProjectOr404: projects.get,
    createProject: projects.create,
    updateProject: projects.update,
    archiveProject: projects.archive,
    listActivities: activities.list,
    getActivityOr404: activities.get,
    createActivity: activities.create,
    updateActivity: activities.update,
    archiveActivity: activities.archive,
  };
}
