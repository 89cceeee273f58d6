import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/load';
import { AppError } from '../../platform/errors';

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

/**
 * CSRF guard for the endpoints a cookie alone authenticates (refresh, logout). Browsers send Origin on
 * every POST, so a foreign or "null" Origin is refused. A request without Origin is not a browser's
 * (or is a same-origin one from a very old browser): it cannot carry a victim's cookie cross-site, so it
 * is let through unless Sec-Fetch-Site says it is cross-site. Outside production the app's own address
 * is trusted too, so opening it at 127.0.0.1 or a LAN address works without setting PUBLIC_URL.
 */
export function assertTrustedOrigin(request: FastifyRequest, config: Config): void {
  const origin = request.headers.origin;
  const fetchSite = request.headers['sec-fetch-site'];
  const allowed =
    origin === undefined
      ? fetchSite !== 'cross-site'
      : config.security.corsAllowedOrigins.includes(origin) ||
        config.security.corsAllowedOrigins.includes('*') ||
        (config.app.mode !== 'production' && origin === `${request.protocol}://${request.host}`);
  if (allowed) return;
  throw new AppError(
    'forbidden',
    origin === undefined || origin === 'null'
      ? 'This request must come from the ClockPilot web app'
      : `ClockPilot is set up for ${config.security.corsAllowedOrigins.join(', ')}, not ${origin}: open it at that address, or add this one to PUBLIC_URL or CORS_ALLOWED_ORIGINS`,
  );
}
