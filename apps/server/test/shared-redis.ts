import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { vi } from 'vitest';
import { createTestApp, freePort, type TestApp, testDatabase, testPostgres } from './helpers';

/**
 * A Redis that two app instances of one test can share: REDIS_URL when set, otherwise a
 * redis-server of the test's own on a free port (stopped by `stop`).
 */
export async function sharedRedis(): Promise<{ url: string; stop(): void }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: () => {} };
  const port = await freePort();
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  await waitForRedis(url);
  return { url, stop: () => server.kill() };
}

async function waitForRedis(url: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch {
      // not listening yet
    } finally {
      client.disconnect();
    }
    await sleep(100);
  }
  throw new Error(`redis-server at ${url} did not start`);
}

/**
 * Two instances of the app on one database and one Redis (under one key prefix), as two replicas,
 * both connected to Redis; `close` stops both and the Redis this made.
 */
export async function twoReplicas(name: string) {
  const redis = await sharedRedis();
  const { database, url } = await testDatabase();
  const shared = {
    env: { REDIS_URL: redis.url },
    shareRedisPrefix: `cpt:${name}:${process.pid}:${Date.now()}:`,
  };
  const a: TestApp = await createTestApp({ ...shared, database });
  // The second instance gets its own pool on PostgreSQL; on the embedded engine it shares the one
  // database, and only the first instance closes it.
  const second = url ? testPostgres(url) : { ...database, close: async () => {} };
  const b: TestApp = await createTestApp({ ...shared, database: second });
  await vi.waitFor(
    () => {
      for (const t of [a, b]) if (t.ctx.cache.status().status !== 'up') throw new Error('redis not up');
    },
    { timeout: 10_000, interval: 100 },
  );
  return {
    a,
    b,
    async close() {
      await b.close();
      await a.close();
      redis.stop();
    },
  };
}
