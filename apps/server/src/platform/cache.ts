import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config/load';
import { withTlsHint } from './tls-errors';

/**
 * Shared state across replicas: Redis when REDIS_URL is set, in-process otherwise. Every method
 * degrades instead of throwing when Redis is away, so a Redis outage never fails a request.
 */
export type Cache = {
  kind: 'redis' | 'memory';
  get(key: string): Promise<string | undefined>;
  /** The value as bytes, as stored: a large answer is sent without decoding and encoding it again. */
  getBuffer(key: string): Promise<Buffer | undefined>;
  set(key: string, value: string | Buffer, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
  /** Reads and deletes in one step (GETDEL), so of two concurrent takers only one gets the value. */
  take(key: string): Promise<string | undefined>;
  /**
   * Adds members to the set at `key`, each kept for `ttlSeconds` from its latest add (in Redis a
   * sorted set scored by expiry time): a set that several replicas keep current without owning it.
   * False when they could not be stored (Redis away).
   */
  keepMembers(key: string, members: string[], ttlSeconds: number): Promise<boolean>;
  /** The members of `key` not yet expired; undefined when they cannot be read (Redis away). */
  members(key: string): Promise<Set<string> | undefined>;
  /** Removes members from the set at `key` before their time (one that leaves on purpose). */
  dropMembers(key: string, members: string[]): Promise<void>;
  publish(channel: string, message: string | Buffer): Promise<void>;
  /** Connections subscribed to `channel` across replicas; undefined in memory mode or when Redis is away. */
  subscribers(channel: string): Promise<number | undefined>;
  /** Calls `fn` each time commands can be sent to Redis again after an outage; never in memory mode. */
  onReady(fn: () => void): () => void;
  /**
   * `onLive(true)` once the channel's messages are being received, `onLive(false)` when some may be
   * missed (the connection to Redis dropped); a `true` follows when subscribed again. State kept from
   * messages must not be trusted while not live.
   */
  subscribe(
    channel: string,
    onMessage: (message: string) => void,
    onLive?: (live: boolean) => void,
  ): () => void;
  /** `subscribe` with each message as the bytes published, for readers that need only part of it. */
  subscribeBuffer(
    channel: string,
    onMessage: (message: Buffer) => void,
    onLive?: (live: boolean) => void,
  ): () => void;
  status(): { status: 'up' | 'degraded' | 'disabled'; detail?: string };
  /** The Redis client for libraries that take one (rate limit); undefined in memory mode. */
  redis?: Redis;
  close(): Promise<void>;
};

/** A stored value as Redis would give it back to `get`: bytes read as UTF-8 text. */
const text = (value: string | Buffer | undefined) =>
  value === undefined || typeof value === 'string' ? value : value.toString('utf8');

export function createMemoryCache(): Cache {
  const store = new Map<string, { value: string | Buffer; expires: number }>();
  const sets = new Map<string, Map<string, number>>();
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  function read(key: string): string | Buffer | undefined {
    const hit = store.get(key);
    if (!hit) return undefined;
    if (hit.expires <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return hit.value;
  }
  const subscribeBuffer: Cache['subscribeBuffer'] = (channel, onMessage, onLive) => {
    bus.on(channel, onMessage);
    onLive?.(true);
    return () => bus.off(channel, onMessage);
  };
  return {
    kind: 'memory',
    get: async (key) => text(read(key)),
    async getBuffer(key) {
      const value = read(key);
      return typeof value === 'string' ? Buffer.from(value) : value;
    },
    async set(key, value, ttlSeconds) {
      store.set(key, { value, expires: Date.now() + ttlSeconds * 1000 });
    },
    async del(key) {
      store.delete(key);
    },
    async take(key) {
      const value = read(key);
      store.delete(key);
      return text(value);
    },
    async keepMembers(key, members, ttlSeconds) {
      const set = sets.get(key) ?? new Map<string, number>();
      sets.set(key, set);
      const expires = Date.now() + ttlSeconds * 1000;
      for (const m of members) set.set(m, expires);
      return true;
    },
    async members(key) {
      const now = Date.now();
      const set = sets.get(key);
      const kept = new Set<string>();
      for (const [m, expires] of set ?? []) {
        if (expires > now) kept.add(m);
        else set?.delete(m);
      }
      return kept;
    },
    async dropMembers(key, members) {
      for (const m of members) sets.get(key)?.delete(m);
    },
    async publish(channel, message) {
      bus.emit(channel, typeof message === 'string' ? Buffer.from(message) : message);
    },
    subscribers: async () => undefined,
    onReady: () => () => undefined,
    subscribe: (channel, onMessage, onLive) =>
      subscribeBuffer(channel, (m) => onMessage(m.toString()), onLive),
    subscribeBuffer,
    status: () => ({ status: 'disabled', detail: 'in-process (REDIS_URL not set)' }),
    async close() {
      store.clear();
      sets.clear();
      bus.removeAllListeners();
    },
  };
}

/** TLS options for ioredis from a rediss:// URL or REDIS_TLS, REDIS_SSL_CERT_REQS and REDIS_SSL_CA_CERTS. */
export function redisTlsOptions(config: Config): ConnectionOptions | undefined {
  const { url, tls, sslCertReqs, sslCaCerts } = config.redis;
  if (!tls && !url?.startsWith('rediss://')) return undefined;
  if (sslCertReqs === 'none') return { rejectUnauthorized: false };
  return sslCaCerts ? { ca: readFileSync(sslCaCerts, 'utf8') } : {};
}

const REDIS_TLS_SETTINGS = 'REDIS_SSL_CA_CERTS / REDIS_SSL_CERT_REQS';

export function createRedisCache(url: string, prefix: string, log: Logger, tls?: ConnectionOptions): Cache {
  const options = {
    tls,
    keyPrefix: prefix,
    // Fail fast while disconnected instead of queueing: callers fall back, requests never hang.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 6), 5000),
    lazyConnect: false,
  };
  const client = new Redis(url, options);
  // The subscriber needs a queue: subscriptions made while disconnected are sent on reconnect.
  const subscriber = new Redis(url, { ...options, keyPrefix: undefined, enableOfflineQueue: true });
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  let lastError: string | undefined;
  let wasReady = false;

  client.on('error', (raw: Error) => {
    const err = withTlsHint(raw, REDIS_TLS_SETTINGS);
    if (lastError !== err.message) log.warn({ err: err.message }, 'redis unavailable, running degraded');
    lastError = err.message;
  });
  const readiness = new EventEmitter();
  readiness.setMaxListeners(0);
  client.on('ready', () => {
    if (wasReady) log.info('redis reconnected');
    wasReady = true;
    lastError = undefined;
    readiness.emit('ready');
  });
  subscriber.on('error', () => {});
  subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) =>
    bus.emit(channel.toString().slice(prefix.length), message),
  );
  // Channels whose subscription Redis has confirmed on the current connection, and who waits to know.
  const confirmed = new Set<string>();
  const liveness = new EventEmitter();
  liveness.setMaxListeners(0);
  const confirm = (channels: string[]) =>
    subscriber
      .subscribe(...channels.map((c) => prefix + c))
      .then(() => {
        for (const c of channels) {
          confirmed.add(c);
          liveness.emit(c, true);
        }
      })
      .catch(() => undefined);
  subscriber.on('close', () => {
    for (const c of confirmed) liveness.emit(c, false);
    confirmed.clear();
  });
  // Subscribing again is harmless; its reply says from when messages flow.
  subscriber.on('ready', () => {
    const channels = bus.eventNames().map(String);
    if (channels.length > 0) void confirm(channels);
  });

  const safe = async <T>(op: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await op();
    } catch (err) {
      lastError = (err as Error).message;
      return fallback;
    }
  };

  const subscribeBuffer: Cache['subscribeBuffer'] = (channel, onMessage, onLive) => {
    const first = bus.listenerCount(channel) === 0;
    bus.on(channel, onMessage);
    if (onLive) liveness.on(channel, onLive);
    if (first) void confirm([channel]);
    else if (confirmed.has(channel)) onLive?.(true);
    return () => {
      bus.off(channel, onMessage);
      if (onLive) liveness.off(channel, onLive);
      if (bus.listenerCount(channel) === 0) {
        confirmed.delete(channel);
        subscriber.unsubscribe(prefix + channel).catch(() => undefined);
      }
    };
  };

  return {
    kind: 'redis',
    redis: client,
    get: (key) => safe(async () => (await client.get(key)) ?? undefined, undefined),
    getBuffer: (key) => safe(async () => (await client.getBuffer(key)) ?? undefined, undefined),
    set: (key, value, ttl) => safe(async () => void (await client.set(key, value, 'EX', ttl)), undefined),
    del: (key) => safe(async () => void (await client.del(key)), undefined),
    take: (key) => safe(async () => (await client.getdel(key)) ?? undefined, undefined),
    // Scored by the writer's clock and read by the reader's: replicas' clocks may differ by less than
    // a ttl's margin over the refresh period. Expired members are dropped on the next add. The key
    // lives as long as its latest-expiring member (NX for a new key, GT after): a writer with a
    // shorter ttl never cuts another's members short.
    keepMembers: (key, members, ttlSeconds) =>
      safe(async () => {
        if (members.length === 0) return true;
        const now = Date.now();
        const expires = now + ttlSeconds * 1000;
        const replies = await client
          .multi()
          .zremrangebyscore(key, '-inf', now)
          .zadd(key, ...members.flatMap((m) => [expires, m]))
          .pexpireat(key, expires, 'NX')
          .pexpireat(key, expires, 'GT')
          .exec();
        return replies?.every(([err]) => !err) ?? false;
      }, false),
    members: (key) =>
      safe(async () => new Set(await client.zrangebyscore(key, `(${Date.now()}`, '+inf')), undefined),
    dropMembers: (key, members) =>
      safe(async () => void (members.length > 0 && (await client.zrem(key, ...members))), undefined),
    publish: (channel, message) =>
      safe(async () => void (await client.publish(prefix + channel, message)), undefined),
    subscribers: (channel) =>
      safe(async () => {
        const [, count] = (await client.pubsub('NUMSUB', prefix + channel)) as [string, number];
        return Number(count);
      }, undefined),
    onReady(fn) {
      readiness.on('ready', fn);
      return () => readiness.off('ready', fn);
    },
    subscribe: (channel, onMessage, onLive) =>
      subscribeBuffer(channel, (m) => onMessage(m.toString()), onLive),
    subscribeBuffer,
    status: () =>
      client.status === 'ready'
        ? { status: 'up' }
        : { status: 'degraded', detail: lastError ?? `connection ${client.status}` },
    async close() {
      bus.removeAllListeners();
      liveness.removeAllListeners();
      readiness.removeAllListeners();
      await Promise.allSettled([client.quit(), subscriber.quit()]);
      client.disconnect();
      subscriber.disconnect();
    },
  };
}
