import { isIPv6 } from 'node:net';
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
  /** Several counters in one round trip. */
  hitAll(hits: ReadonlyArray<{ key: string; windowMs: number }>): Promise<Hit[]>;
  /** Takes one hit back (an attempt that turned out to succeed). */
  refund(key: string): Promise<void>;
};

// KEYS are distinct; ARGV holds each key's window, then how many hits it takes. A key whose count
// was 0 before (new, or refunded to 0) starts its window.
const HIT_LUA = `
local out = {}
for i, key in ipairs(KEYS) do
  local by = tonumber(ARGV[#KEYS + i])
  local n = redis.call('INCRBY', key, by)
  if n == by then redis.call('PEXPIRE', key, ARGV[i]) end
  out[#out + 1] = n
  out[#out + 1] = redis.call('PTTL', key)
end
return out`;
const REFUND_LUA = `
if redis.call('GET', KEYS[1]) and tonumber(redis.call('GET', KEYS[1])) > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0`;

/** Requests per script call: bounds how long one call holds Redis (each makes one or two hits). */
const MAX_BATCH = 200;

type LimitCommands = {
  cpLimitHits?(keys: number, ...keysThenWindows: Array<string | number>): Promise<number[]>;
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
  const localHits = (hits: ReadonlyArray<{ key: string; windowMs: number }>) =>
    hits.map((h) => localHit(h.key, h.windowMs));
  if (!client) {
    return {
      hit: async (k, w) => localHit(k, w),
      hitAll: async (hits) => localHits(hits),
      refund: async (k) => localRefund(k),
    };
  }
  // Custom commands are defined on the client itself; several app instances may share one.
  const redis = client as typeof client & LimitCommands;
  if (!redis.cpLimitHits) {
    // The number of keys comes first in each call.
    client.defineCommand('cpLimitHits', { lua: HIT_LUA });
    client.defineCommand('cpLimitRefund', { numberOfKeys: 1, lua: REFUND_LUA });
  }
  // A burst's hits share few keys (one address, a few users): each key goes once, with its number of
  // hits, and the hits get the counts serial increments would have given them, in the same order.
  async function send(hits: ReadonlyArray<{ key: string; windowMs: number }>): Promise<Hit[]> {
    const byKey = new Map<string, { windowMs: number; taken: number; count: number; resetMs: number }>();
    for (const h of hits) {
      const k = byKey.get(h.key);
      if (k) k.taken++;
      else byKey.set(h.key, { windowMs: h.windowMs, taken: 1, count: 0, resetMs: h.windowMs });
    }
    try {
      const counters = [...byKey.values()];
      const out = await redis.cpLimitHits!(
        counters.length,
        ...[...byKey.keys()].map((k) => `lim:${k}`),
        ...counters.map((c) => c.windowMs),
        ...counters.map((c) => c.taken),
      );
      counters.forEach((c, i) => {
        c.count = out[2 * i]! - c.taken; // the count before this call's hits
        const ttl = out[2 * i + 1]!;
        if (ttl > 0) c.resetMs = ttl;
      });
      return hits.map((h) => {
        const c = byKey.get(h.key)!;
        c.count++;
        return { count: c.count, resetMs: c.resetMs };
      });
    } catch {
      return localHits(hits);
    }
  }
  // The hits of every request that reached its limit check in one turn of the event loop go to Redis
  // as one script call (a burst of 500 requests makes a few round trips, not 500): each is still
  // counted in Redis, in order, so the limits hold across replicas exactly as before.
  type Queued = { hits: ReadonlyArray<{ key: string; windowMs: number }>; done: (h: Hit[]) => void };
  let queued: Queued[] = [];
  async function flush(batch: Queued[]) {
    const found = await send(batch.flatMap((q) => q.hits));
    let at = 0;
    for (const q of batch) {
      q.done(found.slice(at, at + q.hits.length));
      at += q.hits.length;
    }
  }
  function flushAll() {
    const all = queued;
    queued = [];
    for (let i = 0; i < all.length; i += MAX_BATCH) void flush(all.slice(i, i + MAX_BATCH));
  }
  function hitAll(hits: ReadonlyArray<{ key: string; windowMs: number }>): Promise<Hit[]> {
    return new Promise((done) => {
      if (queued.length === 0) setImmediate(flushAll);
      queued.push({ hits, done });
    });
  }
  return {
    hitAll,
    hit: async (key, windowMs) => (await hitAll([{ key, windowMs }]))[0]!,
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

  // The global per-IP limit. A call with a bearer token to a route with a per-user limit is counted
  // after authentication, both counters in one round trip (apiLimit); every other request here. One
  // that ends before that (a refused token, a refused body) is counted once answered, and an address
  // seen over its limit is refused without a round trip until its window ends.
  const ipLimit = (request: FastifyRequest) => ({
    key: `ip:${clientKey(request.ip)}`,
    windowMs: sec.rateLimitWindowMs,
  });
  const counted = new WeakSet<FastifyRequest>();
  const overUntil = new Map<string, number>();
  const deferred = (request: FastifyRequest) => {
    const c = request.routeOptions.config;
    return (
      !c.authRateLimit && (c.permission || c.authenticated) && request.headers.authorization !== undefined
    );
  };
  const checkIp = (request: FastifyRequest, hit: Hit): Limit => {
    const limit = { limit: sec.rateLimitMaxRequests, hit };
    if (hit.count > limit.limit) {
      if (overUntil.size > 10_000) overUntil.clear();
      overUntil.set(clientKey(request.ip), Date.now() + hit.resetMs);
      throw tooManyRequests(request, 'ip', limit);
    }
    return limit;
  };
  // Callback hooks: no promise of their own; onRequest still waits for the turn's batched count,
  // onResponse only for requests it has to count.
  app.addHook('onRequest', (request, reply, done) => {
    if (isHealthProbe(request.url)) return done();
    const until = overUntil.get(clientKey(request.ip));
    if (until !== undefined && until <= Date.now()) overUntil.delete(clientKey(request.ip));
    else if (until !== undefined) {
      counted.add(request);
      throw tooManyRequests(request, 'ip', {
        limit: sec.rateLimitMaxRequests,
        hit: { count: sec.rateLimitMaxRequests + 1, resetMs: until - Date.now() },
      });
    }
    if (deferred(request)) return done();
    counted.add(request);
    counters.hitAll([ipLimit(request)]).then(([hit]) => {
      try {
        reply.headers(limitHeaders(checkIp(request, hit!)));
      } catch (err) {
        return done(err as Error);
      }
      done();
    }, done);
  });
  app.addHook('onResponse', (request, _reply, done) => {
    if (counted.has(request) || isHealthProbe(request.url)) return done();
    counters.hitAll([ipLimit(request)]).then(([hit]) => {
      if (hit!.count > sec.rateLimitMaxRequests)
        overUntil.set(clientKey(request.ip), Date.now() + hit!.resetMs);
      done();
    }, done);
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

  /**
   * Per signed-in user and route, so one script cannot starve the others sharing an office IP; the
   * caller's address is counted in the same round trip when the global hook left it for here.
   */
  async function apiLimit(request: FastifyRequest, reply: FastifyReply) {
    const principal = request.principal;
    const withIp = !counted.has(request);
    counted.add(request);
    const route = `${request.method} ${request.routeOptions.url}`;
    const hits = [
      ...(withIp ? [ipLimit(request)] : []),
      ...(principal ? [{ key: `api:${principal.userId}:${route}`, windowMs: 60_000 }] : []),
    ];
    if (hits.length === 0) return;
    const found = await counters.hitAll(hits);
    const ip = withIp ? checkIp(request, found.shift()!) : undefined;
    const user = found[0];
    if (!user) {
      reply.headers(limitHeaders(ip!));
      return;
    }
    const limit = { limit: sec.apiRateLimitPerMinute, hit: user };
    if (limit.hit.count > limit.limit) throw tooManyRequests(request, 'api', limit);
    reply.headers(limitHeaders(limit));
  }

  return { counters, tooManyRequests, authLimit, onAuthError, afterAuth, apiLimit };
}

export type TooManyRequests = Awaited<ReturnType<typeof installRateLimits>>['tooManyRequests'];
