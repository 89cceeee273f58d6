import { can, type TPermission, type TRole } from '@clockpilot/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors';

/** Who is calling: set on every authenticated request by the identity module's authenticator. */
export type Principal = {
  userId: string;
  role: TRole;
  /** Login session (refresh-token family) of a browser or app login. */
  sessionId?: string;
  /** Set when the call is made with a personal API token. */
  apiTokenId?: string;
  /** API tokens are limited to these; logins carry both. */
  scopes: ReadonlyArray<'read' | 'write'>;
};

/** Resolves the caller from the request, or answers null when there are no credentials at all. */
export type Authenticator = (request: FastifyRequest) => Promise<Principal | null>;

/**
 * Every route declares how it is reached: `public: true` or the permission it needs. A route that
 * declares neither refuses to register, so nothing is accidentally left open.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    public?: boolean;
    permission?: TPermission;
    /** For routes any signed-in user may call (their own profile, their own sessions). */
    authenticated?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The principal of a route that required one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthenticated', 'Authentication required');
  return request.principal;
}

export type AuthOptions = {
  enforced: boolean;
  /** Called with each denial, so it reaches the security log and metrics. */
  onDenied?: (request: FastifyRequest, reason: string) => void;
};

/** Installs route-declaration checks and the authentication + permission hook. */
export function installAuth(app: FastifyInstance, opts: AuthOptions) {
  let authenticator: Authenticator | undefined;
  app.decorate('setAuthenticator', (fn: Authenticator) => {
    authenticator = fn;
  });
  app.decorateRequest('principal', undefined);

  app.addHook('onRoute', (route) => {
    const c = route.config ?? {};
    const declared = [c.public, c.permission !== undefined, c.authenticated].filter(Boolean).length;
    if (declared !== 1 && route.url.startsWith('/api/') && route.method !== 'HEAD') {
      throw new Error(
        `route ${route.method} ${route.url} must declare exactly one of public, permission, authenticated`,
      );
    }
  });

  // On request, before the body is read or validated: anonymous callers get 401 and nothing more.
  app.addHook('onRequest', async (request) => {
    const c = request.routeOptions.config ?? {};
    if (c.public || (!c.permission && !c.authenticated)) return;
    const principal = authenticator ? await authenticator(request) : null;
    if (!principal) {
      if (!opts.enforced) return;
      throw new AppError('unauthenticated', 'Authentication required', {
        headers: { 'www-authenticate': 'Bearer realm="clockpilot"' },
      });
    }
    request.principal = principal;
    const needs = SAFE_METHODS.has(request.method) ? 'read' : 'write';
    if (!principal.scopes.includes(needs)) {
      opts.onDenied?.(request, `token lacks ${needs} scope`);
      throw new AppError('forbidden', `This API token lacks the "${needs}" scope`);
    }
    if (c.permission && !can(principal.role, c.permission)) {
      opts.onDenied?.(request, `role ${principal.role} lacks ${c.permission}`);
      throw new AppError('forbidden', 'You do not have permission to do this');
    }
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    setAuthenticator(fn: Authenticator): void;
  }
}
