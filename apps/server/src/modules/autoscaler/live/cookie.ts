import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../../config/load';
import { isTrustedOrigin } from '../../../platform/trusted-origin';

/** Where the live WebSocket is, the only path the cookie is sent to. */
export const LIVE_PATH = '/api/v1/autoscaler/ws';

/** `__Secure-` (HTTPS only) where cookies are secure; without COOKIE_SECURE browsers would refuse it. */
const cookieName = (config: Config) =>
  config.auth.cookieSecure ? '__Secure-clockpilot_live' : 'clockpilot_live';

/**
 * The access token the original's sign-in answers, also as the cookie that authenticates the live
 * WebSocket (as the original's clients do). Scoped to that one path and to the token's lifetime, it is
 * never sent to a route that would take it for a bearer token; HttpOnly and SameSite=Strict keep it
 * from scripts and from other sites' pages.
 */
export function setLiveCookie(reply: FastifyReply, config: Config, token: string, maxAgeSeconds: number) {
  reply.setCookie(cookieName(config), token, {
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
  const value = request.cookies[cookieName(config)];
  if (!value || value.length > 4096) return undefined;
  return isTrustedOrigin(request, config) ? value : undefined;
}
