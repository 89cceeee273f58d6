import {
  type TPage,
  type TPermission,
  ZActivity,
  ZActivityCreate,
  ZActivityListQuery,
  ZActivityUpdate,
  ZClient,
  ZClientCreate,
  ZClientListQuery,
  ZClientUpdate,
  ZIdParams,
  ZPage,
  ZPersonCreate,
  ZPersonListQuery,
  ZPersonUpdate,
  ZPersonView,
  ZProject,
  ZProjectCreate,
  ZProjectListQuery,
  ZProjectUpdate,
  ZTeam,
  ZTeamCreate,
  ZTeamListQuery,
  ZTeamPersonBody,
  ZTeamPersonParams,
  ZTeamUpdate,
} from '@clockpilot/contracts';
import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { type Actor, actorOf } from '../../platform/audit';
import { type Principal, principalOf } from '../../platform/auth';
import type { DirectoryService } from './directory.service';

type Caller = { principal: Principal; actor: Actor };
const callerOf = (request: FastifyRequest): Caller => ({
  principal: principalOf(request),
  actor: actorOf(request),
});

const READ = { permission: 'directory:read' as TPermission };
const MANAGE = { permission: 'directory:manage' as TPermission };
/** Team membership and managers are reporting lines: see the directory service. */
const ASSIGN = { permission: 'directory:assign' as TPermission };
const ARCHIVE_CATALOG = { permission: 'catalog:archive' as TPermission };

type Schemas = { item: z.ZodType; query: z.ZodType; create: z.ZodType; update: z.ZodType };
type Item<S extends Schemas> = z.input<S['item']>;

/**
 * The five routes every directory resource has: list, get, create, update (PATCH) and archive
 * (DELETE; nothing is hard-deleted). Requests are validated and answers serialised by the schemas.
 */
function resource<S extends Schemas>(
  app: FastifyInstance,
  path: string,
  def: {
    schemas: S;
    list(c: Caller, q: z.output<S['query']>): Promise<TPage<Item<S>>>;
    get(c: Caller, id: string): Promise<Item<S>>;
    create(c: Caller, body: z.output<S['create']>): Promise<Item<S>>;
    update(c: Caller, id: string, body: z.output<S['update']>): Promise<Item<S>>;
    archive(c: Caller, id: string): Promise<Item<S>>;
    /** The permission of DELETE; people and teams are scoped in the service instead. */
    archivePermission?: { permission: TPermission };
  },
) {
  const { item, query, create, update } = def.schemas;
  const tags = ['directory'];
  const id = (request: FastifyRequest) => (request.params as { id: string }).id;
  app.get(
    path,
    { config: READ, schema: { tags, querystring: query, response: { 200: ZPage(item) } } as FastifySchema },
    async (request) => def.list(callerOf(request), request.query as z.output<S['query']>),
  );
  app.get(
    `${path}/:id`,
    { config: READ, schema: { tags, params: ZIdParams, response: { 200: item } } as FastifySchema },
    async (request) => def.get(callerOf(request), id(request)),
  );
  app.post(
    path,
    { config: MANAGE, schema: { tags, body: create, response: { 201: item } } as FastifySchema },
    async (request, reply) => {
      reply.status(201);
      return def.create(callerOf(request), request.body as z.output<S['create']>);
    },
  );
  app.patch(
    `${path}/:id`,
    {
      config: MANAGE,
      schema: { tags, params: ZIdParams, body: update, response: { 200: item } } as FastifySchema,
    },
    async (request) => def.update(callerOf(request), id(request), request.body as z.output<S['update']>),
  );
  app.delete(
    `${path}/:id`,
    {
      config: def.archivePermission ?? MANAGE,
      schema: { tags, params: ZIdParams, response: { 200: item } } as FastifySchema,
    },
    async (request) => def.archive(callerOf(request), id(request)),
  );
}

/** A catalog resource (clients, projects, activities): shared by all, archived by admins only. */
function catalogResource<S extends Schemas>(
  app: FastifyInstance,
  path: string,
  schemas: S,
  ops: {
    list(q: z.output<S['query']>): Promise<TPage<Item<S>>>;
    get(id: string): Promise<Item<S>>;
    create(actor: Actor, body: z.output<S['create']>): Promise<Item<S>>;
    update(principal: Principal, actor: Actor, id: string, body: z.output<S['update']>): Promise<Item<S>>;
    archive(principal: Principal, actor: Actor, id: string): Promise<Item<S>>;
  },
) {
  resource(app, path, {
    schemas,
    list: (_c, q) => ops.list(q),
    get: (_c, id) => ops.get(id),
    create: (c, body) => ops.create(c.actor, body),
    update: (c, id, body) => ops.update(c.principal, c.actor, id, body),
    archive: (c, id) => ops.archive(c.principal, c.actor, id),
    archivePermission: ARCHIVE_CATALOG,
  });
}

export async function directoryRoutes(root: FastifyInstance, opts: { service: DirectoryService }) {
  const { service: s } = opts;
  const app = root.withTypeProvider<ZodTypeProvider>();

  // Before /people/:id so "me" is never read as an id.
  app.get(
    '/people/me',
    { config: { authenticated: true }, schema: { tags: ['directory'], response: { 200: ZPersonView } } },
    async (request) => s.me(principalOf(request)),
  );

  resource(root, '/people', {
    schemas: { item: ZPersonView, query: ZPersonListQuery, create: ZPersonCreate, update: ZPersonUpdate },
    list: (c, q) => s.listPeoplePage(c.principal, q),
    get: (c, id) => s.getPersonView(c.principal, id),
    create: (c, body) => s.createPerson(c.principal, c.actor, body),
    update: (c, id, body) => s.updatePerson(c.principal, c.actor, id, body),
    archive: (c, id) => s.archivePerson(c.principal, c.actor, id),
  });

  resource(root, '/teams', {
    schemas: { item: ZTeam, query: ZTeamListQuery, create: ZTeamCreate, update: ZTeamUpdate },
    list: (c, q) => s.listTeams(c.principal, q),
    get: (_c, id) => s.getTeam(id),
    create: (c, body) => s.createTeam(c.principal, c.actor, body),
    update: (c, id, body) => s.updateTeam(c.principal, c.actor, id, body),
    archive: (c, id) => s.archiveTeam(c.principal, c.actor, id),
  });

  const tags = ['directory'];
  app.post(
    '/teams/:id/members',
    {
      config: ASSIGN,
      schema: { tags, params: ZIdParams, body: ZTeamPersonBody, response: { 200: ZPersonView } },
    },
    async (request) => s.addTeamMember(actorOf(request), request.params.id, request.body.personId),
  );
  app.delete(
    '/teams/:id/members/:personId',
    { config: ASSIGN, schema: { tags, params: ZTeamPersonParams, response: { 200: ZPersonView } } },
    async (request) => s.removeTeamMember(actorOf(request), request.params.id, request.params.personId),
  );
  app.post(
    '/teams/:id/managers',
    { config: ASSIGN, schema: { tags, params: ZIdParams, body: ZTeamPersonBody, response: { 200: ZTeam } } },
    async (request) => s.addTeamManager(actorOf(request), request.params.id, request.body.personId),
  );
  app.delete(
    '/teams/:id/managers/:personId',
    { config: ASSIGN, schema: { tags, params: ZTeamPersonParams, response: { 200: ZTeam } } },
    async (request) => s.removeTeamManager(actorOf(request), request.params.id, request.params.personId),
  );

  catalogResource(
    root,
    '/clients',
    { item: ZClient, query: ZClientListQuery, create: ZClientCreate, update: ZClientUpdate },
    s.clients,
  );
  catalogResource(
    root,
    '/projects',
    { item: ZProject, query: ZProjectListQuery, create: ZProjectCreate, update: ZProjectUpdate },
    s.projects,
  );
  catalogResource(
    root,
    '/activities',
    { item: ZActivity, query: ZActivityListQuery, create: ZActivityCreate, update: ZActivityUpdate },
    s.activities,
  );
}
