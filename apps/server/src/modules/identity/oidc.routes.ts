import { ZOidcCallbackQuery, ZSsoConfig } from '@clockpilot/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config/load';
import { OIDC_FLOW_SECONDS, type OidcService, SsoRefused } from './oidc.service';
import { setRefreshCookie } from './session-cookie';

const LOGIN_PATH = '/api/v1/auth/oidc/login';

/** Single sign-on under /api/v1/auth/oidc: config for the login page, then the two browser redirects. */
export async function oidcRoutes(root: FastifyInstance, opts: { service: OidcService; config: Config }) {
  const { service, config } = opts;
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];
  // Binds the flow to the browser that started it; Lax so it comes back with the provider's redirect.
  const stateCookie = config.auth.cookieSecure ? '__Host-cp_oidc' : 'cp_oidc';
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    secure: config.auth.cookieSecure,
    sameSite: 'lax' as const,
  };
  const refused = (reply: FastifyReply, err: unknown) => {
    if (!(err instanceof SsoRefused)) throw err;
    return reply.redirect(`${config.app.publicUrl}/login?sso_error=${err.reason}`, 302);
  };

  app.get(
    '/config',
    { config: { public: true }, schema: { tags, response: { 200: ZSsoConfig } } },
    async () => ({ enabled: service.enabled, loginUrl: service.enabled ? LOGIN_PATH : null }),
  );
  if (!service.enabled) return;

  app.get('/login', { config: { public: true }, schema: { tags } }, async (_request, reply) => {
    try {
      const { url, state } = await service.begin();
      reply.setCookie(stateCookie, state, { ...cookieOptions, maxAge: OIDC_FLOW_SECONDS });
      return reply.redirect(url, 302);
    } catch (err) {
      return refused(reply, err);
    }
  });

  app.get(
    '/callback',
    { config: { public: true }, schema: { tags, querystring: ZOidcCallbackQuery } },
    async (request, reply) => {
      reply.clearCookie(stateCookie, cookieOptions);
      try {
        const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
        const issued = await service.complete(query, request.cookies[stateCookie], {
          ip: request.ip,
          userAgent: request.headers['user-agent'],
        });
        // Same cookie as a password login; the web app then refreshes to get its access token.
        setRefreshCookie(reply, config, issued.refreshToken, issued.refreshExpiresIn);
        return reply.redirect(`${config.app.publicUrl}/`, 302);
      } catch (err) {
        return refused(reply, err);
      }
    },
  );
}
