import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../../config/load';
import { isTrustedOrigin } from '../../../platform/trusted-origin';

/** Where the live WebSocket is, the only path the cookie is sent to. */
const LIVE_PATH = '/api/v1/autoscaler/ws';

/** The original's name for the cookie its sign-in sets. */
const COOKIE = 'auth_token';

/**
 * The access token the original's sign-in answers, also as its `auth_token` cookie, which
 * authenticates the live WebSocket. Scoped to that one path and to the token's lifetime, it is
 * never sent to a route that would take it for a bearer token; HttpOnly and SameSite=Strict keep it
 * from scripts and from other sites' pages.
 */
export function setLiveCookie(reply: FastifyReply, config: Config, token: string, maxAgeSeconds: number) {
  reply.setCookie(COOKIE, token, {
    httpOnly: true,
    secure: config.auth.cookieSecure,
    sameSite: 'strict',
    path: LIVE_PATH,
    maxAge: Math.max(0, Math.floor(maxAgeSeconds)),
  });
}

/**
 * The cookie's token of a WebSocket handshake, or undefined: none, too long to be a token, or sent
 * from a page of another origin (a cross-site WebSocket would otherwise act with the victim's cookie).
 */
export function liveCookieToken(request: FastifyRequest, config: Config): string | undefined {
  const value = request.cookies[COOKIE];
  if (!value || value.length > 4096) return undefined;
  return isTrustedOrigin(request, config) ? value : undefined;
}
