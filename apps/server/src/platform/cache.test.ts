import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMemoryCache, createRedisCache } from './cache';

// With REDIS_URL (CI's second mode) the real Redis, else the in-process cache.
const cache = process.env.REDIS_URL
  ? createRedisCache(
      process.env.REDIS_URL,
      `cpt:${randomBytes(4).toString('hex')}:`,
      pino({ level: 'silent' }),
    )
  : createMemoryCache();
// Commands fail fast until Redis is connected (no offline queue), by design.
beforeAll(async () => {
  if (cache.redis && cache.redis.status !== 'ready') await once(cache.redis, 'ready');
});
afterAll(() => cache.close());

describe(`cache (${cache.kind})`, () => {
  it('take hands a value to one of many concurrent takers, once', async () => {
    await cache.set('once', 'secret', 60);
    const got = await Promise.all(Array.from({ length: 10 }, () => cache.take('once')));
    expect(got.filter((v) => v === 'secret')).toHaveLength(1);
    expect(await cache.get('once')).toBeUndefined();
    expect(await cache.take('never-set')).toBeUndefined();
  });

  it('hands back the bytes stored, and text as UTF-8, whichever way a value was set', async () => {
    const body = Buffer.from('{"label":"Zoë Ångström"}');
    await cache.set('bytes', body, 60);
    expect((await cache.getBuffer('bytes'))?.equals(body)).toBe(true);
    expect(await cache.get('bytes')).toBe('{"label":"Zoë Ångström"}');
    await cache.set('text', 'Zoë', 60);
    expect((await cache.getBuffer('text'))?.equals(Buffer.from('Zoë'))).toBe(true);
    expect(await cache.getBuffer('never-set')).toBeUndefined();
  });

  it('keeps each member of a shared set for its time from its latest add', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      await cache.keepMembers('followed', ['a', 'b'], 60);
      vi.setSystemTime(Date.now() + 40_000);
      await cache.keepMembers('followed', ['b', 'c'], 60);
      expect(await cache.members('followed')).toEqual(new Set(['a', 'b', 'c']));
      vi.setSystemTime(Date.now() + 30_000);
      expect(await cache.members('followed')).toEqual(new Set(['b', 'c']));
      vi.setSystemTime(Date.now() + 31_000);
      expect(await cache.members('followed')).toEqual(new Set());
      expect(await cache.members('never-kept')).toEqual(new Set());
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops a member of a shared set before its time, leaving the others', async () => {
    await cache.keepMembers('leaving', ['stays', 'goes'], 600);
    await cache.dropMembers('leaving', ['goes', 'never-added']);
    expect(await cache.members('leaving')).toEqual(new Set(['stays']));
    await cache.dropMembers('leaving', []);
    expect(await cache.members('leaving')).toEqual(new Set(['stays']));
  });

  it('keeps a shared set as long as its latest-expiring member, whoever added last', async () => {
    expect(await cache.keepMembers('kept', ['long'], 600)).toBe(true);
    expect(await cache.keepMembers('kept', ['short'], 1)).toBe(true);
    expect(await cache.members('kept')).toEqual(new Set(['long', 'short']));
    // Redis drops a whole key at its expiry: a short member's add must not bring that forward.
    if (cache.redis) expect(await cache.redis.pttl('kept')).toBeGreaterThan(500_000);
  });

  it('tells when commands can be sent again after the connection to Redis dropped', async () => {
    const redis = cache.redis;
    // In process there is no connection to lose.
    if (!redis) return;
    const ready = vi.fn();
    const stop = cache.onReady(ready);
    redis.disconnect(true);
    await vi.waitUntil(() => ready.mock.calls.length > 0, { timeout: 10_000 });
    stop();
    expect(redis.status).toBe('ready');
  });
});
