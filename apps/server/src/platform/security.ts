import { createHmac, randomBytes } from 'node:crypto';
import { isIP, isIPv6 } from 'node:net';
import { type TPermission, ZCspReportBody } from '@clockpilot/contracts';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Cache } from './cache';
import type { AppContext } from './context';
import { AppError } from './errors';
import { isHealthProbe } from './health';

/** The auth endpoints with a strict limit of their own (see docs/SECURITY.md, "Rate limits"). */
export type AuthLimitKind = 'login' | 'register' | 'refresh';

/** How one route is reached, as it declared it (platform/auth.ts). */
export type RouteAccess = {
  method: string;
  url: string;
  public: boolean;
  authenticated: boolean;
  permission?: TPermission;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Puts the route under the strict login/register/refresh limit. */
    authRateLimit?: AuthLimitKind;
  }
  interface FastifyInstance {
    /** The access table of every route, for reviews and the whole-app access tests. */
    routeAccess(): readonly RouteAccess[];
  }
}

/** The Reporting API group (`report-to`) of CSP violations; `Reporting-Endpoints` maps it to CSP_REPORT_URI. */
export const CSP_REPORT_GROUP = 'csp';

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

/** IPv6 clients usually own a whole /64, so they are counted by it, as @fastify/rate-limit does. */
export function clientKey(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

// --- counters -------------------------------------------------------------------------------------

export type Hit = { count: number; resetMs: number };

/**
 * Fixed-window counters shared by every replica through Redis, with an in-process fallback so a Redis
 * outage weakens the limits to per-replica instead of switching them off.
 */
export type Counters = {
  hit(key: string, windowMs: number): Promise<Hit>;
  /** Takes one hit back (an attempt that turned out to succeed). */
  refund(key: string): Promise<void>;
};

const HIT_LUA = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`;
const REFUND_LUA = `
if redis.call('GET', KEYS[1]) and tonumber(redis.call('GET', KEYS[1])) > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0`;

type LimitCommands = {
  cpLimitHit?(key: string, windowMs: number): Promise<[number, number]>;
  cpLimitRefund?(key: string): Promise<number>;
};

export function createCounters(cache: Cache): Counters {
  const local = new Map<string, { count: number; resetAt: number }>();
  const localHit = (key: string, windowMs: number): Hit => {
    const now = Date.now();
    let entry = local.get(key);
    if (!entry || entry.resetAt <= now) {
      if (local.size > 50_000) for (const [k, v] of local) if (v.resetAt <= now) local.delete(k);
      entry = { count: 0, resetAt: now + windowMs };
      local.set(key, entry);
    }
    entry.count++;
    return { count: entry.count, resetMs: entry.resetAt - now };
  };
  const localRefund = (key: string) => {
    const entry = local.get(key);
    if (entry && entry.count > 0) entry.count--;
  };

  const client = cache.redis;
  if (!client) return { hit: async (k, w) => localHit(k, w), refund: async (k) => localRefund(k) };
  // Custom commands are defined on the client itself; several app instances may share one.
  const redis = client as typeof client & LimitCommands;
  if (!redis.cpLimitHit) {
    client.defineCommand('cpLimitHit', { numberOfKeys: 1, lua: HIT_LUA });
    client.defineCommand('cpLimitRefund', { numberOfKeys: 1, lua: REFUND_LUA });
  }
  return {
    async hit(key, windowMs) {
      try {
        const [count, ttl] = await redis.cpLimitHit!(`lim:${key}`, windowMs);
        return { count, resetMs: ttl > 0 ? ttl : windowMs };
      } catch {
        return localHit(key, windowMs);
      }
    },
    async refund(key) {
      try {
        await redis.cpLimitRefund!(`lim:${key}`);
      } catch {
        localRefund(key);
      }
    },
  };
}

// --- the plugin -----------------------------------------------------------------------------------

type Limit = { limit: number; hit: Hit };

function limitHeaders({ limit, hit }: Limit): Record<string, string> {
  return {
    'ratelimit-limit': String(limit),
    'ratelimit-remaining': String(Math.max(0, limit - hit.count)),
    'ratelimit-reset': String(Math.max(1, Math.ceil(hit.resetMs / 1000))),
  };
}

/**
 * Transport security and abuse limits: HTTPS redirect, headers, CORS, the global per-IP limit, the
 * strict auth limit, the per-user API limit and the CSP report endpoint. Runs on the root instance.
 */
export async function installSecurity(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { config, metrics, log } = ctx;
  const sec = config.security;
  const counters = createCounters(ctx.cache);

  /** Every 429 goes through here, so each is counted and reaches the security log. */
  function tooManyRequests(request: FastifyRequest, kind: string, limit: Limit): AppError {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.rateLimited.inc({ route });
    metrics.securityEvents.inc({ type: 'rate_limited' });
    log.security.warn(
      {
        event: 'rate_limited',
        kind,
        reqId: request.id,
        ip: request.ip,
        userId: request.principal?.userId,
        method: request.method,
        route,
      },
      'rate limit exceeded',
    );
    const headers = limitHeaders(limit);
    return new AppError('rate_limited', `Too many requests; retry in ${headers['ratelimit-reset']} s`, {
      headers: { ...headers, 'retry-after': headers['ratelimit-reset']! },
    });
  }

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

  await app.register(rateLimit, {
    global: true,
    max: sec.rateLimitMaxRequests,
    timeWindow: sec.rateLimitWindowMs,
    // Redis makes the counter one for all replicas (the client already prefixes REDIS_KEY_PREFIX).
    redis: ctx.cache.redis,
    nameSpace: 'rl:',
    enableDraftSpec: true,
    // A Redis outage must not turn into failed requests.
    skipOnError: true,
    allowList: (request) => isHealthProbe(request.url),
    errorResponseBuilder: (request, context) =>
      tooManyRequests(request, 'ip', {
        limit: context.max,
        hit: { count: context.max + 1, resetMs: context.ttl },
      }),
  });

  const deviceCookie = config.auth.cookieSecure ? '__Host-cp_device' : 'cp_device';
  // Without JWT_SECRET (development) device cookies last as long as the process.
  const deviceKey = createHmac('sha256', config.auth.jwtSecret ?? randomBytes(32))
    .update('clockpilot device cookie')
    .digest();
  const deviceTag = (login: string) =>
    createHmac('sha256', deviceKey).update(login.trim().toLowerCase()).digest('base64url').slice(0, 22);
  const accountKey = (login: string) =>
    createHmac('sha256', deviceKey).update(`account:${login.trim().toLowerCase()}`).digest('base64url');

  type Charge = { keys: string[]; refundOnSuccess: boolean; login?: string; limit?: Limit; passed?: boolean };
  const charges = new WeakMap<FastifyRequest, Charge>();

  /**
   * The strict auth limit. Per IP: failed logins and refreshes (each attempt is counted up front and
   * refunded when it succeeds, so a burst cannot slip through) and every registration. Per account:
   * failed logins from clients that never signed in to it; a device that did carries a signed cookie
   * and is exempt, so an attacker elsewhere cannot lock the owner out.
   */
  async function authLimit(request: FastifyRequest) {
    const kind = request.routeOptions.config.authRateLimit!;
    // Without a refresh cookie there is nothing to guess; keep such calls out of the count.
    if (kind === 'refresh' && !Object.keys(request.cookies ?? {}).some((c) => c.includes('refresh'))) return;
    const charge: Charge = { keys: [], refundOnSuccess: kind !== 'register' };
    charges.set(request, charge);
    const check = async (key: string) => {
      charge.keys.push(key);
      const limit = { limit: sec.authRateLimitMax, hit: await counters.hit(key, sec.authRateLimitWindowMs) };
      charge.limit = limit;
      if (limit.hit.count > limit.limit) throw tooManyRequests(request, `auth_${kind}`, limit);
    };
    await check(`auth:${kind}:ip:${clientKey(request.ip)}`);
    const login = kind === 'login' ? (request.body as { login?: unknown } | undefined)?.login : undefined;
    if (typeof login === 'string') {
      charge.login = login;
      const known = (request.cookies?.[deviceCookie] ?? '').split('.').includes(deviceTag(login));
      if (!known) await check(`auth:login:account:${accountKey(login)}`);
    }
  }

  /** A right password still waiting for its one-time code is not a failed guess. */
  async function onAuthError(request: FastifyRequest, _reply: FastifyReply, error: Error) {
    const charge = charges.get(request);
    if (charge && error instanceof AppError && error.code === 'totp_required') charge.passed = true;
  }

  async function afterAuth(request: FastifyRequest, reply: FastifyReply) {
    const charge = charges.get(request);
    if (!charge) return;
    if (charge.limit) reply.headers(limitHeaders(charge.limit));
    if (reply.statusCode >= 400 && !charge.passed) return;
    if (charge.refundOnSuccess) await Promise.all(charge.keys.map((k) => counters.refund(k)));
    if (charge.login && !charge.passed) {
      const tags = (request.cookies?.[deviceCookie] ?? '').split('.').filter(Boolean);
      const tag = deviceTag(charge.login);
      reply.setCookie(deviceCookie, [tag, ...tags.filter((t) => t !== tag)].slice(0, 5).join('.'), {
        path: '/',
        httpOnly: true,
        secure: config.auth.cookieSecure,
        sameSite: 'strict',
        maxAge: 180 * 24 * 3600,
      });
    }
  }

  /** Per signed-in user and route, so one script cannot starve the others sharing an office IP. */
  async function apiLimit(request: FastifyRequest, reply: FastifyReply) {
    const principal = request.principal;
    if (!principal) return;
    const route = `${request.method} ${request.routeOptions.url}`;
    const limit = {
      limit: sec.apiRateLimitPerMinute,
      hit: await counters.hit(`api:${principal.userId}:${route}`, 60_000),
    };
    if (limit.hit.count > limit.limit) throw tooManyRequests(request, 'api', limit);
    reply.headers(limitHeaders(limit));
  }

  const routeAccess: RouteAccess[] = [];
  app.decorate('routeAccess', () => routeAccess);
  // The API limit runs as a route preHandler, after authentication (onRequest) has set the principal.
  app.addHook('onRoute', (route: RouteOptions) => {
    const c = route.config ?? {};
    for (const method of hookList(route.method)) {
      routeAccess.push({
        method,
        url: route.url,
        public: c.public === true,
        authenticated: c.authenticated === true,
        permission: c.permission,
      });
    }
    // The OpenAPI document says how each operation is reached (its default is a bearer token).
    if (c.public) route.schema = { ...route.schema, security: [] };
    if (c.permission) {
      const note = `Needs the \`${c.permission}\` permission.`;
      route.schema = {
        ...route.schema,
        description: [route.schema?.description, note].filter(Boolean).join('\n\n'),
      };
    }
    if (c.authRateLimit) {
      route.preHandler = [...hookList(route.preHandler), authLimit];
      route.onError = [...hookList(route.onError), onAuthError];
      route.onSend = [...hookList(route.onSend), async (req, reply) => afterAuth(req, reply)];
    } else if (c.permission || c.authenticated) {
      route.preHandler = [...hookList(route.preHandler), apiLimit];
    }
  });

  // An absolute CSP_REPORT_URI points at an outside collector; only a path is served here.
  if (sec.cspReportUri.startsWith('/')) {
    await app.register(async (scope) => cspReports(scope, ctx, counters, tooManyRequests));
  }
}

function hookList<T>(hook: T | T[] | undefined): T[] {
  return hook === undefined ? [] : Array.isArray(hook) ? hook : [hook];
}

/** Reports per IP per minute; a page with a broken policy sends one per violation. */
const CSP_REPORTS_PER_MINUTE = 30;

/**
 * Browsers post CSP violations here (`report-uri` sends application/csp-report, the Reporting API's
 * `report-to` application/reports+json). Each lands in the security log.
 */
async function cspReports(
  app: FastifyInstance,
  ctx: AppContext,
  counters: Counters,
  tooManyRequests: (request: FastifyRequest, kind: string, limit: Limit) => AppError,
) {
  app.addContentTypeParser(
    ['application/csp-report', 'application/reports+json'],
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new AppError('invalid_json', 'The report is not valid JSON'));
      }
    },
  );
  app.withTypeProvider<ZodTypeProvider>().post(
    ctx.config.security.cspReportUri,
    {
      config: { public: true },
      schema: { body: ZCspReportBody, hide: true },
      preHandler: async (request) => {
        const limit = {
          limit: CSP_REPORTS_PER_MINUTE,
          hit: await counters.hit(`csp:${clientKey(request.ip)}`, 60_000),
        };
        if (limit.hit.count > limit.limit) throw tooManyRequests(request, 'csp_report', limit);
      },
    },
    async (request, reply) => {
      const reports = Array.isArray(request.body)
        ? request.body.map((r) => ({ type: r.type, url: r.url, ...r.body }))
        : [request.body['csp-report']];
      for (const report of reports) {
        ctx.metrics.securityEvents.inc({ type: 'csp_violation' });
        ctx.log.security.warn(
          { event: 'csp_violation', reqId: request.id, ip: request.ip, report },
          'content security policy violation',
        );
      }
      return reply.status(204).send();
    },
  );
}
