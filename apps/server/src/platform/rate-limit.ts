import { isIPv6 } from 'node:net';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Cache } from './cache';
import type { AppContext } from './context';
import { AppError } from './errors';
import { isHealthProbe } from './health';
import { createAccountThrottle, deviceCookies } from './login-throttle';

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

export type Limit = { limit: number; hit: Hit };

function limitHeaders({ limit, hit }: Limit): Record<string, string> {
  return {
    'ratelimit-limit': String(limit),
    'ratelimit-remaining': String(Math.max(0, limit - hit.count)),
    'ratelimit-reset': String(Math.max(1, Math.ceil(hit.resetMs / 1000))),
  };
}

/**
 * The abuse limits: the global per-IP limit (registered here), and the hooks of the strict auth limit
 * and the per-user API limit, which installSecurity attaches to the routes that declare them.
 */
export async function installRateLimits(app: FastifyInstance, ctx: AppContext) {
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
  const devices = deviceCookies(ctx.secret);
  const accounts = createAccountThrottle(
    ctx.cache,
    { free: sec.authRateLimitMax, baseMs: sec.authFailureDelayMs, capMs: sec.authRateLimitWindowMs },
    () => ctx.clock.now().getTime(),
  );

  type Charge = {
    keys: string[];
    refundOnSuccess: boolean;
    login?: string;
    /** The nonce of a device that signed in to this login before and has not guessed wrong too often. */
    device?: string;
    limit?: Limit;
    passed?: boolean;
  };
  const charges = new WeakMap<FastifyRequest, Charge>();

  /**
   * The strict auth limit. Each attempt counts up front, so a burst cannot slip through, and a
   * success takes it back: what remains are failures. Per IP: failed logins and refreshes, and every
   * registration. Per account: failed logins make the next attempts from unknown devices wait longer
   * and longer (never a lock). A device that signed in to the login before skips both, so neither a
   * colleague's typos behind the same address nor a stranger guessing the account keeps its owner
   * out; only its own failures (past the same limit) take that trust away.
   */
  async function authLimit(request: FastifyRequest) {
    const kind = request.routeOptions.config.authRateLimit!;
    // Without a refresh cookie there is nothing to guess; keep such calls out of the count.
    if (kind === 'refresh' && !Object.keys(request.cookies ?? {}).some((c) => c.includes('refresh'))) return;
    const charge: Charge = { keys: [], refundOnSuccess: kind !== 'register' };
    charges.set(request, charge);
    const hit = async (key: string) => {
      charge.keys.push(key);
      const limit = { limit: sec.authRateLimitMax, hit: await counters.hit(key, sec.authRateLimitWindowMs) };
      charge.limit = limit;
      return limit;
    };
    // `username` is the original systems' name for it (`POST /auth/login`), which shares these limits.
    const body = request.body as { login?: unknown; username?: unknown } | undefined;
    const login = kind === 'login' ? (body?.login ?? body?.username) : undefined;
    if (typeof login === 'string') {
      charge.login = login;
      const nonce = devices.known(request.cookies?.[deviceCookie], login);
      if (nonce && (await hit(`auth:login:device:${nonce}`)).hit.count <= sec.authRateLimitMax) {
        charge.device = nonce;
        return;
      }
    }
    const ip = await hit(`auth:${kind}:ip:${clientKey(request.ip)}`);
    if (ip.hit.count > ip.limit) throw tooManyRequests(request, `auth_${kind}`, ip);
    if (charge.login === undefined) return;
    const account = `auth:login:account:${devices.account(charge.login)}`;
    const wait = await accounts.take(account);
    if (wait > 0) {
      // Refused unheard, so not a failure of this address.
      await counters.refund(charge.keys.pop()!);
      throw tooManyRequests(request, 'auth_account', {
        limit: sec.authRateLimitMax,
        hit: { count: sec.authRateLimitMax + 1, resetMs: wait },
      });
    }
    charge.keys.push(account);
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
    if (charge.refundOnSuccess) {
      // Only a finished sign-in clears the account: a right password still owing its code takes back
      // its own attempt but must not wipe the failures of someone guessing that code.
      await Promise.all(
        charge.keys.map((k) =>
          !k.startsWith('auth:login:account:')
            ? counters.refund(k)
            : charge.passed
              ? accounts.release(k)
              : accounts.forgive(k),
        ),
      );
    }
    if (charge.login && !charge.passed) {
      reply.setCookie(
        deviceCookie,
        devices.after(request.cookies?.[deviceCookie], charge.login, charge.device),
        {
          path: '/',
          httpOnly: true,
          secure: config.auth.cookieSecure,
          sameSite: 'strict',
          maxAge: 180 * 24 * 3600,
        },
      );
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

  return { counters, tooManyRequests, authLimit, onAuthError, afterAuth, apiLimit };
}

export type TooManyRequests = Awaited<ReturnType<typeof installRateLimits>>['tooManyRequests'];
