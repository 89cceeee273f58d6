import { isIP, isIPv6 } from 'node:net';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from './context';
import { CSP_REPORT_GROUP } from './csp';
import { isHealthProbe } from './health';

/** Browsers send no camera, microphone, location … to a workforce app; a module that needs one relaxes it. */
export const PERMISSIONS_POLICY =
  'accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), ' +
  'magnetometer=(), microphone=(), midi=(), usb=(), xr-spatial-tracking=()';

const CIDR = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/;
const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY as Fastify takes it: only addresses, CIDRs or proxy-addr's named ranges. A hop count or
 * `true` would let any client choose its own IP through X-Forwarded-For, so they stop the boot.
 */
export function trustProxyOption(entries: readonly string[]): string[] | false {
  const bad = entries.filter((e) => {
    if (PROXY_KEYWORDS.has(e) || isIP(e)) return false;
    const m = CIDR.exec(e);
    return !(m && isIP(m[1]!) && Number(m[2]) <= (isIPv6(m[1]!) ? 128 : 32));
  });
  if (bad.length > 0) {
    throw new Error(`TRUST_PROXY: not an address or CIDR: ${bad.join(', ')} (hop counts are refused)`);
  }
  return entries.length > 0 ? [...entries] : false;
}

/** Transport and browser security: the HTTPS redirect, security headers and CORS. */
export async function installTransport(app: FastifyInstance, ctx: AppContext) {
  const { config } = ctx;
  const sec = config.security;

  if (config.server.forceHttps) {
    // Redirect to the configured host, never to the Host header a client made up.
    const publicHost = new URL(config.app.publicUrl).host;
    app.addHook('onRequest', async (request, reply) => {
      if (request.protocol === 'https' || isHealthProbe(request.url)) return;
      const status = request.method === 'GET' || request.method === 'HEAD' ? 301 : 308;
      return reply.redirect(`https://${publicHost}${request.url}`, status);
    });
  }

  await app.register(helmet, {
    // The CSP with its per-response nonce is set on HTML by the web layer (platform/web.ts).
    contentSecurityPolicy: false,
    hsts: config.server.forceHttps ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
  const reportingEndpoints = `${CSP_REPORT_GROUP}="${sec.cspReportUri}"`;
  app.addHook('onSend', async (request, reply) => {
    reply.header('permissions-policy', PERMISSIONS_POLICY);
    // Pages carry the CSP (platform/web.ts); its report-to group needs this header beside it.
    if (sec.cspEnabled && String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('reporting-endpoints', reportingEndpoints);
    }
    // API answers carry personal data: no shared or browser cache keeps them.
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
  });

  await app.register(cors, {
    origin: sec.corsAllowedOrigins,
    credentials: true,
    exposedHeaders: [
      'x-request-id',
      'retry-after',
      'ratelimit-limit',
      'ratelimit-remaining',
      'ratelimit-reset',
    ],
  });
}
