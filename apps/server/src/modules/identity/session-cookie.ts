import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/load';

/**
 * The refresh token travels only in this cookie. `__Host-` binds it to this exact host over HTTPS with
 * Path=/; without COOKIE_SECURE (plain-HTTP development) the prefix would be refused by browsers.
 */
export function refreshCookieName(config: Config): string {
  return config.auth.cookieSecure ? '__Host-clockpilot_refresh' : 'clockpilot_refresh';
}

export function setRefreshCookie(reply: FastifyReply, config: Config, token: string, maxAgeSeconds: number) {
  reply.setCookie(refreshCookieName(config), token, {
    httpOnly: true,
    secure: config.auth.cookieSecure,
    sameSite: 'lax',
    path: '/',
    maxAge: Math.max(0, Math.floor(maxAgeSeconds)),
  });
}

export function clearRefreshCookie(reply: FastifyReply, config: Config) {
  reply.clearCookie(refreshCookieName(config), {
    httpOnly: true,
    secure: config.auth.cookieSecure,
    sameSite: 'lax',
    path: '/',
  });
}

export function readRefreshCookie(request: FastifyRequest, config: Config): string | undefined {
  const value = request.cookies[refreshCookieName(config)];
  return value && value.length <= 200 ? value : undefined;
}
