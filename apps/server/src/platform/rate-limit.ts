import { isIPv6 } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from './context';
import { AppError } from './errors';
import { isHealthProbe } from './health';
import { createAccountThrottle, deviceCookies } from './login-throttle';
import { createCounters, type Hit } from './rate-limit-counters';

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
    const { authAttempts } = request.routeOptions.config;
    if (authAttempts) {
      const key = `auth:attempts:${authAttempts}:ip:${clientKey(request.ip)}`;
      const limit = { limit: sec.authRateLimitMax, hit: await counters.hit(key, 60_000) };
      if (limit.hit.count > limit.limit) throw tooManyRequests(request, 'auth_attempts', limit);
    }
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
