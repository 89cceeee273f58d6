import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/load';
import { AppError } from './errors';

/**
 * Whether a request a cookie alone authenticates may act on it: the CSRF (and cross-site WebSocket)
 * guard. Browsers send Origin on every POST and every WebSocket handshake, so a foreign or "null"
 * Origin is refused. A request without Origin is not a browser's (or is a same-origin one from a very
 * old browser): it cannot carry a victim's cookie cross-site, so it is let through unless Sec-Fetch-Site
 * says it is cross-site. Outside production the app's own address is trusted too, so opening it at
 * 127.0.0.1 or a LAN address works without setting PUBLIC_URL.
 */
export function isTrustedOrigin(request: FastifyRequest, config: Config): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return request.headers['sec-fetch-site'] !== 'cross-site';
  return (
    config.security.corsAllowedOrigins.includes(origin) ||
    config.security.corsAllowedOrigins.includes('*') ||
    (config.app.mode !== 'production' && origin === `${request.protocol}://${request.host}`)
  );
}

/** `isTrustedOrigin` or a 403 that says where the app is set up to be opened. */
export function assertTrustedOrigin(request: FastifyRequest, config: Config): void {
  if (isTrustedOrigin(request, config)) return;
  const origin = request.headers.origin;
  throw new AppError(
    'forbidden',
    origin === undefined || origin === 'null'
      ? 'This request must come from the ClockPilot web app'
      : `ClockPilot is set up for ${config.security.corsAllowedOrigins.join(', ')}, not ${origin}: open it at that address, or add this one to PUBLIC_URL or CORS_ALLOWED_ORIGINS`,
  );
}
