import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP, isIPv6 } from 'node:net';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
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

  const headers = staticHeaders({
    // The CSP with its per-response nonce is set on HTML by the web layer (platform/web.ts).
    contentSecurityPolicy: false,
    hsts: config.server.forceHttps ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
  // Into Fastify's own header object, not onto the raw response: Node then writes every header of the
  // answer from that one object instead of storing each through setHeader first.
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers.set) reply.header(name, value);
    for (const name of headers.removed) reply.removeHeader(name);
    done();
  });
  const reportingEndpoints = `${CSP_REPORT_GROUP}="${sec.cspReportUri}"`;
  // The headers every answer carries, in one synchronous hook (it runs for every response).
  app.addHook('onSend', (request, reply, _payload, done) => {
    reply.header('x-request-id', request.id);
    reply.header('permissions-policy', PERMISSIONS_POLICY);
    // Pages carry the CSP (platform/web.ts); its report-to group needs this header beside it.
    if (sec.cspEnabled && String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('reporting-endpoints', reportingEndpoints);
    }
    // API answers carry personal data: no shared or browser cache keeps them.
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
    done();
  });

  await app.register(cors, {
    origin: sec.corsAllowedOrigins,
    credentials: true,
    // An OPTIONS without Origin is no preflight: answered as one (no origin allowed), not by a
    // plain-text 400 outside the API's problem+json errors.
    strictPreflight: false,
    exposedHeaders: [
      'x-request-id',
      'retry-after',
      'ratelimit-limit',
      'ratelimit-remaining',
      'ratelimit-reset',
    ],
  });
}

/**
 * The headers helmet sets for these options, taken from its own middleware once: without a CSP they
 * depend on nothing in the request, and building the middleware per request cost every answer.
 */
function staticHeaders(options: HelmetOptions) {
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string) => set.push([name.toLowerCase(), value]),
    removeHeader: (name: string) => removed.push(name.toLowerCase()),
  };
  let complete = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
    complete = true;
  });
  // Every one of its middlewares ran, at once: none of them waited on the request.
  if (!complete) throw new Error('helmet did not set its headers synchronously');
  return { set, removed };
}
