import { randomBytes } from 'node:crypto';
import { AppError } from '../../platform/errors';
import type { ModuleDef } from '..';
import { apiTokenRoutes } from './api-tokens.routes';
import { createApiTokenService, isApiToken } from './api-tokens.service';
import { auditRoutes, authRoutes, userRoutes } from './identity.routes';
import { createIdentityService, type IdentityService } from './identity.service';
import { oidcRoutes } from './oidc.routes';
import { createOidcService } from './oidc.service';
import { createAccessTokens, deriveKey } from './tokens';

declare module '../../platform/context' {
  interface Services {
    identity: IdentityService;
  }
}

/** Permissions whose routes re-read the caller's role and active flag from the database. */
const RECHECKED = new Set(['users:manage', 'audit:read']);
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

export const identityModule: ModuleDef = {
  name: 'identity',
  async register(app, ctx) {
    const { config } = ctx;
    if (!config.auth.jwtSecret) {
      ctx.log.app.warn(
        'JWT_SECRET is not set: using a random key for this process; sign-ins and two-factor setups do not survive a restart',
      );
    }
    // Outside production (where config refuses to start without JWT_SECRET) a random key per process,
    // so a development server never signs with a guessable constant.
    const secret = config.auth.jwtSecret ?? randomBytes(32).toString('base64url');
    const tokens = createAccessTokens(config, ctx.clock, new TextEncoder().encode(secret));
    const service = createIdentityService(ctx, tokens, { totp: deriveKey(secret, 'totp-secret') });
    ctx.services.identity = service;
    const apiTokens = createApiTokenService(ctx);

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
      return service.authenticate(match[1]!, {
        recheck: permission !== undefined && RECHECKED.has(permission),
        authRoute,
      });
    });

    await app.register(authRoutes, { prefix: '/api/v1/auth', service, config });
    await app.register(userRoutes, { prefix: '/api/v1/users', service });
    await app.register(apiTokenRoutes, { prefix: '/api/v1/tokens', service: apiTokens });
    await app.register(oidcRoutes, {
      prefix: '/api/v1/auth/oidc',
      service: createOidcService(ctx, service),
      config,
    });
    await app.register(auditRoutes, { prefix: '/api/v1/audit', service });

    // Ended sessions are forgotten hourly; the timer never keeps the process alive.
    ctx.onDatabaseReady(async () => {
      const timer = setInterval(() => {
        service.pruneSessions().catch((err) => ctx.log.app.warn({ err }, 'session pruning failed'));
      }, 3_600_000);
      timer.unref();
      ctx.onClose(async () => clearInterval(timer));
    });

    // Test runs start from an empty database unless they ask for an admin.
    if (config.app.mode !== 'test' || config.auth.adminUsername) {
      ctx.onDatabaseReady(async () => {
        await service.ensureFirstAdmin((text) => process.stdout.write(text));
      });
    }
  },
};
