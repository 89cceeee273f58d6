import type { Cache } from './cache';

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
