import type { TPermission } from '@clockpilot/contracts';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { AppContext } from './context';
import { cspReports } from './csp';
import { installRateLimits } from './rate-limit';
import { installTransport } from './transport';

export { CSP_REPORT_GROUP } from './csp';
export { clientKey } from './rate-limit';
export { createCounters } from './rate-limit-counters';
export { PERMISSIONS_POLICY, trustProxyOption } from './transport';

/** The auth endpoints with a strict limit of their own (see docs/SECURITY.md, "Rate limits"). */
export type AuthLimitKind = 'login' | 'register' | 'refresh';

/** How one route is reached, as it declared it (platform/auth.ts). */
export type RouteAccess = {
  method: string;
  url: string;
  public: boolean;
  authenticated: boolean;
  permission?: TPermission;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Puts the route under the strict login/register/refresh limit. */
    authRateLimit?: AuthLimitKind;
    /**
     * Beside it, every request counts, success or not, toward AUTH_RATE_LIMIT_MAX a minute per IP,
     * shared by the routes naming the same group: an original system's own auth paths, as it limits them.
     */
    authAttempts?: string;
  }
  interface FastifyInstance {
    /** The access table of every route, for reviews and the whole-app access tests. */
    routeAccess(): readonly RouteAccess[];
  }
}

/**
 * Transport security and abuse limits: HTTPS redirect, headers, CORS (transport.ts), the global per-IP
 * limit, the strict auth limit, the per-user API limit (rate-limit.ts) and the CSP report endpoint
 * (csp.ts). Runs on the root instance.
 */
export async function installSecurity(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await installTransport(app, ctx);
  const { counters, tooManyRequests, authLimit, onAuthError, afterAuth, apiLimit } = await installRateLimits(
    app,
    ctx,
  );

  const routeAccess: RouteAccess[] = [];
  app.decorate('routeAccess', () => routeAccess);
  // The API limit runs as a route preHandler, after authentication (onRequest) has set the principal.
  app.addHook('onRoute', (route: RouteOptions) => {
    const c = route.config ?? {};
    for (const method of hookList(route.method)) {
      routeAccess.push({
        method,
        url: route.url,
        public: c.public === true,
        authenticated: c.authenticated === true,
        permission: c.permission,
      });
    }
    // The OpenAPI document says how each operation is reached (its default is a bearer token).
    if (c.public) route.schema = { ...route.schema, security: [] };
    if (c.permission) {
      const note = `Needs the \`${c.permission}\` permission.`;
      route.schema = {
        ...route.schema,
        description: [route.schema?.description, note].filter(Boolean).join('\n\n'),
      };
    }
    if (c.authRateLimit) {
      route.preHandler = [...hookList(route.preHandler), authLimit];
      route.onError = [...hookList(route.onError), onAuthError];
      route.onSend = [...hookList(route.onSend), async (req, reply) => afterAuth(req, reply)];
    } else if (c.permission || c.authenticated) {
      route.preHandler = [...hookList(route.preHandler), apiLimit];
    }
  });

  // An absolute CSP_REPORT_URI points at an outside collector; only a path is served here.
  if (ctx.config.security.cspReportUri.startsWith('/')) {
    await app.register(async (scope) => cspReports(scope, ctx, counters, tooManyRequests));
  }
}

function hookList<T>(hook: T | T[] | undefined): T[] {
  return hook === undefined ? [] : Array.isArray(hook) ? hook : [hook];
}
