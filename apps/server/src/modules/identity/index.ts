import type {
  TCreateUserBody,
  TLoginBody,
  TRegisterBody,
  TTokenResponse,
  TUser,
} from '@clockpilot/contracts';
import type { Actor } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import type { Tx } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { defineModule } from '../../platform/module';
import { apiTokenRoutes } from './api-tokens.routes';
import { createApiTokenService, isApiToken } from './api-tokens.service';
import { identityCli } from './identity.cli';
import { auditRoutes, authRoutes, userRoutes } from './identity.routes';
import { createIdentityService } from './identity.service';
import { oidcRoutes } from './oidc.routes';
import { createOidcService } from './oidc.service';
import { createAccessTokens, deriveKey } from './tokens';

/** What other modules may call on identity. */
export type IdentityApi = {
  /** Creates an account as a system actor (demo data, provisioning); the same rules as the API. */
  createUser(input: TCreateUserBody, actor: Actor): Promise<TUser>;
  /** An account by id (fleet reads the renter's email for the payment provider). */
  getUser(id: string): Promise<TUser | null>;
  /** Self-registration with the same rules as `POST /api/v1/auth/register` (the original systems' sign-up paths). */
  register(input: TRegisterBody, actor: Actor): Promise<TUser>;
  /**
   * Sign-in with the same checks and audit as `POST /api/v1/auth/login`, for clients that keep a
   * bearer token: the refresh token is not handed out (the session shows in the account's list).
   */
  login(input: TLoginBody, actor: Actor): Promise<TTokenResponse>;
  /** Who holds this access or API token, as a request's bearer would be checked (a WebSocket's first message). */
  authenticate(token: string): Promise<Principal>;
};

/** Account changes other modules follow. Handlers run inside the transaction of the change. */
export type UserEvent = { tx: Tx; user: TUser };

declare module '../../platform/context' {
  interface ModuleApis {
    identity: IdentityApi;
  }
}
declare module '../../platform/events' {
  interface Events {
    /** An account was created (by an admin, registration, SSO, the CLI or demo data). */
    'identity.user.created': UserEvent;
    /** An account's name, email, time zone, role or active flag changed. */
    'identity.user.updated': UserEvent & { before: TUser };
  }
}
declare module '../../platform/module' {
  interface ModuleServices {
    identity: IdentityServices;
  }
}

export type IdentityServices = ReturnType<typeof createIdentityServices>;

/** Permissions whose routes re-read the caller's role and active flag from the database. */
const RECHECKED = new Set(['users:manage', 'audit:read']);
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;
/** Ended sessions are forgotten this often. */
const PRUNE_EVERY_SECONDS = 3600;

function createIdentityServices(ctx: AppContext) {
  const { secret } = ctx;
  const tokens = createAccessTokens(ctx.config, ctx.clock, new TextEncoder().encode(secret));
  const { service: identity, sessions } = createIdentityService(ctx, tokens, {
    totp: deriveKey(secret, 'totp-secret'),
  });
  return {
    identity,
    apiTokens: createApiTokenService(ctx, sessions),
    oidc: createOidcService(ctx, identity),
  };
}

export const identityModule = defineModule({
  name: 'identity',
  prefix: '/api/v1',
  services: createIdentityServices,
  api: ({ identity, apiTokens }) => ({
    createUser: identity.createUser,
    getUser: identity.getUser,
    register: identity.register,
    authenticate: (token) =>
      isApiToken(token)
        ? apiTokens.authenticate(token, { authRoute: false })
        : identity.authenticate(token, { recheck: true, authRoute: false }),
    async login(input, actor) {
      const r = await identity.login(input, { ip: actor.ip, userAgent: actor.userAgent });
      return { accessToken: r.accessToken, tokenType: 'Bearer', expiresIn: r.expiresIn, user: r.user };
    },
  }),

  async routes(app, { identity, apiTokens, oidc }, { config }) {
    app.setAuthenticator(async (request) => {
      const header = request.headers.authorization;
      if (!header) return null;
      const match = BEARER.exec(header);
      if (!match) {
        throw new AppError('unauthenticated', 'Authentication required', {
          headers: { 'www-authenticate': 'Bearer realm="clockpilot", error="invalid_request"' },
        });
      }
      const authRoute = request.routeOptions.url?.startsWith('/api/v1/auth/') ?? false;
      if (isApiToken(match[1]!)) return apiTokens.authenticate(match[1]!, { authRoute });
      const permission = request.routeOptions.config.permission;
      return identity.authenticate(match[1]!, {
        recheck: permission !== undefined && RECHECKED.has(permission),
        authRoute,
      });
    });
    await app.register(authRoutes, { prefix: '/auth', service: identity, config });
    await app.register(userRoutes, { prefix: '/users', service: identity });
    await app.register(apiTokenRoutes, { prefix: '/tokens', service: apiTokens });
    await app.register(oidcRoutes, { prefix: '/auth/oidc', service: oidc, config });
    await app.register(auditRoutes, { prefix: '/audit', service: identity });
  },

  jobs: ({ identity }) => [
    {
      name: 'identity.prune-sessions',
      everySeconds: PRUNE_EVERY_SECONDS,
      handler: async () => {
        await identity.pruneSessions();
      },
    },
  ],

  cli: identityCli,

  async start({ identity }, { config }) {
    // Test runs start from an empty database unless they ask for an admin.
    if (config.app.mode !== 'test' || config.auth.adminUsername) {
      await identity.ensureFirstAdmin((text) => process.stdout.write(text));
    }
  },
});
