import { ZProblem } from '@clockpilot/contracts';
import { z } from 'zod';
import type { RouteAccess } from './security';

type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: Array<{ in: string }>;
  requestBody?: unknown;
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
  security?: unknown[];
  [extension: `x-${string}`]: unknown;
};
type Document = {
  servers?: Array<{ url: string }>;
  paths?: Record<string, Record<string, Operation>>;
  components?: Record<string, Record<string, unknown>>;
};

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const DESCRIPTIONS: Record<number, string> = {
  400: 'The request is not valid (problem+json with field paths)',
  401: 'Not signed in, or the token expired',
  403: 'Signed in without the permission this needs',
  404: 'No such record, or not one the caller may see',
  409: 'Conflicts with the current state',
  413: 'The body is too large',
  415: 'The body is not JSON',
  422: 'Valid, but breaks a rule of the data',
  423: 'The period is locked',
  429: 'Too many requests; see Retry-After',
  500: 'An unexpected error',
  503: 'Maintenance or overload; see Retry-After',
};
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const WRITES = new Set(['post', 'put', 'patch', 'delete']);

/** `GET /api/v1/time/entries/{id}` → `getTimeEntriesById`, derived from the route. */
function operationIdOf(method: string, path: string, short = true): string {
  const words = (short ? path.replace(/^\/api\/v1\//, '/') : path)
    .split('/')
    .filter(Boolean)
    .map((part) => (part.startsWith('{') ? `by-${part.slice(1, -1)}` : part))
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return [method, ...words].map((w, i) => (i ? w[0]!.toUpperCase() + w.slice(1) : w)).join('');
}

/** The statuses an operation can answer with an error, from how it is reached and what it takes. */
function errorStatuses(method: string, path: string, op: Operation, access?: RouteAccess): number[] {
  const statuses = [400, 429, 500, 503];
  // Sign-in routes are public and still answer 401 to wrong credentials.
  statuses.push(401);
  if (access?.permission) statuses.push(403);
  if (path.includes('{')) statuses.push(404);
  if (WRITES.has(method)) statuses.push(409, 422);
  if (op.requestBody || (WRITES.has(method) && method !== 'delete')) statuses.push(413, 415);
  if (WRITES.has(method) && path.startsWith('/api/v1/time/')) statuses.push(423);
  return statuses.sort();
}

/**
 * Completes the generated document from what every route already declares (its access, its parameters,
 * its body), so no route repeats it: an operationId and a summary, the problem+json answers it can give,
 * 204 for a write without a response body, the export formats, the permission it needs, the servers and the security schemes.
 */
export function completeDocument<T extends object>(
  doc: T,
  routes: readonly RouteAccess[],
  publicUrl: string,
): T {
  const d = doc as Document;
  const access = new Map(
    routes.map((r) => [`${r.method.toLowerCase()} ${r.url.replace(/:(\w+)/g, '{$1}')}`, r]),
  );
  d.servers = [{ url: publicUrl }];
  d.components ??= {};
  d.components.schemas = { ...d.components.schemas, Problem: z.toJSONSchema(ZProblem, { io: 'output' }) };
  d.components.securitySchemes = {
    ...d.components.securitySchemes,
    bearer: { type: 'http', scheme: 'bearer', description: 'An access token or a personal API token' },
    refreshCookie: {
      type: 'apiKey',
      in: 'cookie',
      name: 'clockpilot_refresh',
      description: 'The refresh token of a browser session (`__Host-clockpilot_refresh` over HTTPS)',
    },
  };
  const taken = new Set<string>();
  d.paths ??= {};
  const paths = d.paths;
  // Fastify serves a plugin's root route with and without the slash; a client needs only one of them.
  for (const path of Object.keys(paths).filter((p) => p.length > 1 && p.endsWith('/'))) {
    const bare = path.slice(0, -1);
    paths[bare] = { ...paths[path], ...paths[bare] };
    delete paths[path];
  }
  // The API's own paths name first, so an alias outside /api/v1 is the one that gets the longer name.
  const ordered = Object.entries(paths).sort(
    ([a], [b]) => Number(!a.startsWith('/api/v1/')) - Number(!b.startsWith('/api/v1/')),
  );
  for (const [path, item] of ordered) {
    for (const [method, op] of Object.entries(item)) {
      const route = access.get(`${method} ${path}`);
      // The same path outside /api/v1 (the original systems' aliases) keeps its prefix, or says it is one.
      const short = operationIdOf(method, path);
      const names = [short, operationIdOf(method, path, false), `${short}Alias`];
      op.operationId ??= names.find((n) => !taken.has(n)) ?? short;
      taken.add(op.operationId);
      op.summary ??= op.description?.split('\n')[0]?.slice(0, 120) ?? `${method.toUpperCase()} ${path}`;
      if (route?.permission) op['x-permission'] = route.permission;
      // The browser's session is renewed and ended with its refresh cookie, not a bearer token.
      if (/\/auth\/(refresh|logout)$/.test(path)) op.security = [{ refreshCookie: [] }];
      op.responses ??= {};
      const responses = op.responses;
      const bare = responses['200'] && !responses['200'].content;
      if (bare && WRITES.has(method)) {
        delete responses['200'];
        responses['204'] = { description: 'Done; no content' };
      } else if (bare && path.endsWith('/exports')) {
        const file = { schema: { type: 'string', format: 'binary' } };
        responses['200'] = { description: 'The file', content: { 'text/csv': file, [XLSX]: file } };
      }
      for (const status of errorStatuses(method, path, op, route)) {
        responses[status] ??= {
          description: DESCRIPTIONS[status]!,
          content: { 'application/problem+json': { schema: PROBLEM_REF } },
        };
      }
    }
  }
  return doc;
}
