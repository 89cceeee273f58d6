import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCluster } from '../../../../test/factories/autoscaler';
import { type LoggedIn, loginAs } from '../../../../test/factories/identity';
import {
  createTestApp,
  moduleServices,
  type TestApp,
  testClock,
  testPostgres,
} from '../../../../test/helpers';
import { startSimulator, type TestSimulator } from '../../../../test/simulator';
import { LIVE_CHANNEL } from './bus';

const clock = testClock(new Date('2026-11-26T12:00:00Z'));
const shareRedisPrefix = `cpt:${randomBytes(4).toString('hex')}:`;
let a: TestApp;
let sim: TestSimulator;
let owner: LoggedIn;
let env: Record<string, string>;

/** Another replica on the same database and Redis (PostgreSQL + Redis only). */
const replica = (url: string, poolSize: number) =>
  createTestApp({ clock, env, shareRedisPrefix, database: testPostgres(url, poolSize) });

beforeAll(async () => {
  sim = await startSimulator();
  env = { ...sim.env, AUTOSCALER_SYNC_SECONDS: '3600', AUTOSCALER_WS_PING_SECONDS: '3' };
  a = await createTestApp({ clock, env, shareRedisPrefix });
  owner = await loginAs(a);
});
afterAll(async () => {
  await a?.close();
  await sim?.stop();
});

/** A connection subscribed to the live channel that registers nothing: a release before the followed set. */
async function oldReplica(url: string) {
  const old = new Redis(url);
  await old.subscribe(`${a.runtime.ctx.config.redis.keyPrefix}${LIVE_CHANNEL}`);
  return old;
}

describe('live lines across replicas and releases', () => {
  it('publishes every line while the channel has a subscriber that keeps no followed set', async () => {
    const cluster = await createCluster(a, owner.user);
    const loop = moduleServices(a, 'autoscaler');
    expect((await loop.live.followed())(cluster.id)).toBe(false);
    const url = process.env.REDIS_URL;
    // Without Redis every subscriber is in this process and keeps the set.
    if (!url) return;
    const old = await oldReplica(url);
    try {
      expect((await loop.live.followed())(cluster.id)).toBe(true);
    } finally {
      old.disconnect();
    }
  });

  it('stops hiding such a subscriber as soon as a replica shuts down', async () => {
    const url = process.env.REDIS_URL;
    // Without Redis there are no other replicas.
    if (!url || !a.url) return;
    const cluster = await createCluster(a, owner.user);
    const loop = moduleServices(a, 'autoscaler');
    const c = await replica(a.url, 2);
    const old = await oldReplica(url);
    try {
      const registered = async () => (await a.runtime.ctx.cache.members('autoscaler.live.replicas'))?.size;
      await vi.waitUntil(async () => (await registered()) === 2, { timeout: 10_000 });
      await c.close();
      // Its registration would otherwise count for three ping periods, hiding the old subscriber.
      expect(await registered()).toBe(1);
      expect((await loop.live.followed())(cluster.id)).toBe(true);
    } finally {
      old.disconnect();
    }
  });
});
