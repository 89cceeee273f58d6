import { createHmac, randomBytes } from 'node:crypto';
import type { Cache } from './cache';

/**
 * Failed sign-ins of one account, wherever they come from. The first `free` failures cost nothing;
 * after that each attempt waits `base · 2^(failures − free)` ms after the previous one, at most `cap`:
 * a guesser slows to one try per `cap`, while the owner is never locked out for good and, on a device
 * that signed in before, never waits at all (see the device cookie below). A sign-in forgives them.
 */
export type AccountThrottle = {
  /** 0 and the attempt is counted as a failure until `forgive`; else the ms to wait first. */
  take(key: string): Promise<number>;
  /** Takes one taken attempt back: it was no failure, though no finished sign-in either. */
  release(key: string): Promise<void>;
  forgive(key: string): Promise<void>;
};

export type ThrottleRule = { free: number; baseMs: number; capMs: number };

/** How long the attempt after `failures` failures, the last at `last`, still has to wait at `now`. */
export function waitMs(rule: ThrottleRule, failures: number, last: number, now: number): number {
  if (failures < rule.free) return 0;
  const delay = Math.min(rule.baseMs * 2 ** (failures - rule.free), rule.capMs);
  return Math.max(0, Math.ceil(last + delay - now));
}

// The same rule as waitMs, atomically in Redis: the check and the count are one step, so a burst of
// parallel attempts from many addresses cannot all pass. Failures are forgotten after 2 × cap of quiet,
// so at the cap a guesser still finds them there.
const TAKE_LUA = `
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
local now, free, base, cap = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if n >= free then
  local wait = math.ceil(last + math.min(base * 2 ^ (n - free), cap) - now)
  if wait > 0 then return wait end
end
redis.call('HSET', KEYS[1], 'n', n + 1, 'last', now)
redis.call('PEXPIRE', KEYS[1], 2 * cap)
return 0`;
const RELEASE_LUA = `
if tonumber(redis.call('HGET', KEYS[1], 'n') or '0') > 0 then redis.call('HINCRBY', KEYS[1], 'n', -1) end
return 0`;

type ThrottleCommands = {
  cpThrottleTake?(key: string, ...args: number[]): Promise<number>;
  cpThrottleRelease?(key: string): Promise<number>;
};

/** Shared by every replica through Redis; in process without it, or while Redis is away. */
export function createAccountThrottle(cache: Cache, rule: ThrottleRule, now: () => number): AccountThrottle {
  const local = new Map<string, { n: number; last: number }>();
  const localTake = (key: string) => {
    const t = now();
    const entry = local.get(key);
    const fresh = !entry || t - entry.last > 2 * rule.capMs;
    const state = fresh ? { n: 0, last: 0 } : entry;
    const wait = waitMs(rule, state.n, state.last, t);
    if (wait > 0) return wait;
    if (local.size > 50_000) for (const [k, v] of local) if (t - v.last > 2 * rule.capMs) local.delete(k);
    local.set(key, { n: state.n + 1, last: t });
    return 0;
  };
  const localRelease = (key: string) => {
    const entry = local.get(key);
    if (entry && entry.n > 0) entry.n--;
  };

  const client = cache.redis;
  if (!client)
    return {
      take: async (k) => localTake(k),
      release: async (k) => localRelease(k),
      forgive: async (k) => void local.delete(k),
    };
  const redis = client as typeof client & ThrottleCommands;
  if (!redis.cpThrottleTake) {
    client.defineCommand('cpThrottleTake', { numberOfKeys: 1, lua: TAKE_LUA });
    client.defineCommand('cpThrottleRelease', { numberOfKeys: 1, lua: RELEASE_LUA });
  }
  return {
    async take(key) {
      try {
        return await redis.cpThrottleTake!(`lim:${key}`, now(), rule.free, rule.baseMs, rule.capMs);
      } catch {
        return localTake(key);
      }
    },
    async release(key) {
      try {
        await redis.cpThrottleRelease!(`lim:${key}`);
      } catch {
        localRelease(key);
      }
    },
    async forgive(key) {
      local.delete(key);
      await client.del(`lim:${key}`).catch(() => undefined);
    },
  };
}

/**
 * Device cookies (OWASP, "Slow down online guessing attacks with device cookies"): a sign-in leaves
 * the browser an entry `nonce~signature` bound to that login, up to five logins per browser. A device
 * is known by its nonce, so its own failures can be counted and a stolen cookie stops being trusted
 * once it guesses wrong too often.
 */
export function deviceCookies(secret: string) {
  const key = createHmac('sha256', secret).update('clockpilot device cookie').digest();
  const norm = (login: string) => login.trim().toLowerCase();
  const sign = (login: string, nonce: string) =>
    createHmac('sha256', key)
      .update(`${norm(login)}\n${nonce}`)
      .digest('base64url')
      .slice(0, 22);
  const entries = (cookie: string | undefined) => (cookie ?? '').split('.').filter(Boolean);

  return {
    /** The nonce of this browser's valid entry for `login`, if it has one. */
    known(cookie: string | undefined, login: string): string | undefined {
      for (const entry of entries(cookie)) {
        const [nonce, sig] = entry.split('~');
        if (nonce && sig && sign(login, nonce) === sig) return nonce;
      }
      return undefined;
    },
    /** The cookie value after a sign-in of `login`: its entry first (a new one if it had none). */
    after(cookie: string | undefined, login: string, nonce = randomBytes(12).toString('base64url')): string {
      const entry = `${nonce}~${sign(login, nonce)}`;
      return [entry, ...entries(cookie).filter((e) => e !== entry)].slice(0, 5).join('.');
    },
    /** A key naming the account without its login in clear (logs, Redis). */
    account: (login: string) =>
      createHmac('sha256', key)
        .update(`account:${norm(login)}`)
        .digest('base64url'),
  };
}
