import {
  ZAuditPage,
  ZAuditQuery,
  ZChangePasswordBody,
  ZCreateUserBody,
  ZFirstStart,
  ZIdParams,
  ZLoginBody,
  ZMe,
  ZPasswordConfirmBody,
  ZPreferences,
  ZPreferencesBody,
  ZRecoveryCodes,
  ZRegisterBody,
  ZResetPasswordBody,
  ZRevokedCount,
  ZSessionList,
  ZTokenResponse,
  ZTotpConfirmBody,
  ZTotpSetup,
  ZUpdateUserBody,
  ZUser,
  ZUserListQuery,
  ZUserPage,
} from '@clockpilot/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config/load';
import { actorOf } from '../../platform/audit';
import { principalOf } from '../../platform/auth';
import { AppError } from '../../platform/errors';
import { assertTrustedOrigin } from '../../platform/trusted-origin';
import type { IdentityService } from './identity.service';
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './session-cookie';
import type { LoginResult } from './sessions.service';

const meta = (request: FastifyRequest) => ({
  ip: request.ip,
  userAgent: request.headers['user-agent'],
});

/** The access token in the body, the refresh token only in its HttpOnly cookie. */
function tokenReply(reply: FastifyReply, config: Config, r: LoginResult) {
  setRefreshCookie(reply, config, r.refreshToken, r.refreshExpiresIn);
  reply.header('cache-control', 'no-store');
  return { accessToken: r.accessToken, tokenType: 'Bearer' as const, expiresIn: r.expiresIn, user: r.user };
}

export async function authRoutes(root: FastifyInstance, opts: { service: IdentityService; config: Config }) {
  const { service, config } = opts;
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];

  app.get(
    '/first-start',
    { config: { public: true }, schema: { tags, response: { 200: ZFirstStart } } },
    async () => ({ pending: await service.firstStartPending() }),
  );

  app.post(
    '/login',
    {
      config: { public: true, authRateLimit: 'login' },
      schema: { tags, body: ZLoginBody, response: { 200: ZTokenResponse } },
    },
    async (request, reply) => tokenReply(reply, config, await service.login(request.body, meta(request))),
  );

  app.post(
    '/refresh',
    {
      config: { public: true, authRateLimit: 'refresh' },
      schema: { tags, response: { 200: ZTokenResponse } },
    },
    async (request, reply) => {
      assertTrustedOrigin(request, config);
      const token = readRefreshCookie(request, config);
      if (!token) throw new AppError('unauthenticated', 'No session; sign in');
      try {
        return tokenReply(reply, config, await service.refresh(token, meta(request)));
      } catch (err) {
        if (err instanceof AppError && err.status === 401) clearRefreshCookie(reply, config);
        throw err;
      }
    },
  );

  app.post('/logout', { config: { public: true }, schema: { tags } }, async (request, reply) => {
    assertTrustedOrigin(request, config);
    const token = readRefreshCookie(request, config);
    if (token) await service.logout(token);
    clearRefreshCookie(reply, config);
    return reply.status(204).send();
  });

  app.post(
    '/register',
    {
      config: { public: true, authRateLimit: 'register' },
      schema: { tags, body: ZRegisterBody, response: { 201: ZUser } },
    },
    async (request, reply) => reply.status(201).send(await service.register(request.body, actorOf(request))),
  );

  app.get(
    '/me',
    { config: { authenticated: true }, schema: { tags, response: { 200: ZMe } } },
    async (request) => service.me(principalOf(request)),
  );

  app.put(
    '/me/preferences',
    {
      config: { authenticated: true },
      schema: { tags, body: ZPreferencesBody, response: { 200: ZPreferences } },
    },
    async (request) => service.savePreferences(principalOf(request), request.body),
  );

  app.get(
    '/sessions',
    { config: { authenticated: true }, schema: { tags, response: { 200: ZSessionList } } },
    async (request) => ({ items: await service.listSessions(principalOf(request)) }),
  );

  app.delete(
    '/sessions/:id',
    { config: { authenticated: true }, schema: { tags, params: ZIdParams } },
    async (request, reply) => {
      await service.revokeSession(principalOf(request), request.params.id, actorOf(request));
      return reply.status(204).send();
    },
  );

  app.post(
    '/sessions/revoke-all',
    { config: { authenticated: true }, schema: { tags, response: { 200: ZRevokedCount } } },
    async (request, reply) => {
      const revoked = await service.revokeAllSessions(principalOf(request), actorOf(request));
      clearRefreshCookie(reply, config);
      return { revoked };
    },
  );

  app.post(
    '/password',
    { config: { authenticated: true }, schema: { tags, body: ZChangePasswordBody } },
    async (request, reply) => {
      await service.changePassword(principalOf(request), request.body, actorOf(request));
      return reply.status(204).send();
    },
  );

  app.post(
    '/totp/setup',
    { config: { authenticated: true }, schema: { tags, response: { 200: ZTotpSetup } } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return service.totpSetup(principalOf(request));
    },
  );

  app.post(
    '/totp/confirm',
    {
      config: { authenticated: true },
      schema: { tags, body: ZTotpConfirmBody, response: { 200: ZRecoveryCodes } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return {
        recoveryCodes: await service.totpConfirm(principalOf(request), request.body.code, actorOf(request)),
      };
    },
  );

  app.post(
    '/totp/recovery-codes',
    {
      config: { authenticated: true },
      schema: { tags, body: ZPasswordConfirmBody, response: { 200: ZRecoveryCodes } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const principal = principalOf(request);
      return {
        recoveryCodes: await service.regenerateRecoveryCodes(
          principal,
          request.body.password,
          actorOf(request),
        ),
      };
    },
  );

  app.post(
    '/totp/disable',
    { config: { authenticated: true }, schema: { tags, body: ZPasswordConfirmBody } },
    async (request, reply) => {
      await service.totpDisable(principalOf(request), request.body.password, actorOf(request));
      return reply.status(204).send();
    },
  );
}

export async function userRoutes(root: FastifyInstance, opts: { service: IdentityService }) {
  const { service } = opts;
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['users'];

  app.get(
    '/',
    {
      config: { permission: 'users:read' },
      schema: { tags, querystring: ZUserListQuery, response: { 200: ZUserPage } },
    },
    async (request) => service.listUsers(request.query),
  );

  app.post(
    '/',
    {
      config: { permission: 'users:manage' },
      schema: { tags, body: ZCreateUserBody, response: { 201: ZUser } },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createUser(request.body, actorOf(request))),
  );

  app.get(
    '/:id',
    { config: { permission: 'users:read' }, schema: { tags, params: ZIdParams, response: { 200: ZUser } } },
    async (request) => service.getUserOrThrow(request.params.id),
  );

  app.patch(
    '/:id',
    {
      config: { permission: 'users:manage' },
      schema: { tags, params: ZIdParams, body: ZUpdateUserBody, response: { 200: ZUser } },
    },
    async (request) => service.updateUser(request.params.id, request.body, actorOf(request)),
  );

  app.post(
    '/:id/password',
    { config: { permission: 'users:manage' }, schema: { tags, params: ZIdParams, body: ZResetPasswordBody } },
    async (request, reply) => {
      await service.resetPassword(request.params.id, request.body.password, actorOf(request));
      return reply.status(204).send();
    },
  );

  app.delete(
    '/:id/totp',
    { config: { permission: 'users:manage' }, schema: { tags, params: ZIdParams } },
    async (request, reply) => {
      await service.resetSecondFactor(request.params.id, actorOf(request));
      return reply.status(204).send();
    },
  );
}

export async function auditRoutes(root: FastifyInstance, opts: { service: IdentityService }) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/',
    {
      config: { permission: 'audit:read' },
      schema: { tags: ['audit'], querystring: ZAuditQuery, response: { 200: ZAuditPage } },
    },
    async (request) => opts.service.listAudit(request.query),
  );
}
