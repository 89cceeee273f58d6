import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, freePort, type TestApp } from '../../test/helpers';

// The outage is real: this file runs its own redis-server and kills it. A machine without the
// binary (npm test with no services at all) cannot run it; CI installs it.

let port: number;
let server: ChildProcess | undefined;
let t: TestApp;
const received: string[] = [];

async function startRedis() {
  server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const probe = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    retryStrategy: () => 50,
    maxRetriesPerRequest: 0,
  });
  probe.on('error', () => {});
  try {
    await waitFor(async () => (await probe.ping().catch(() => '')) === 'PONG', 'redis-server to answer');
  } finally {
    probe.disconnect();
  }
}

async function stopRedis() {
  const proc = server;
  server = undefined;
  if (!proc || proc.exitCode !== null) return;
  const exited = once(proc, 'exit');
  proc.kill('SIGKILL');
  await exited;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ready = () => t.app.inject({ method: 'GET', url: '/api/health/ready' });
const redisStatus = async () => (await ready()).json().checks.redis.status as string;

/** Requests that touch Redis (rate-limit store, cache, pub/sub) or not; all must keep succeeding. */
async function traffic() {
  const results = await Promise.all([
    t.app.inject({ method: 'GET', url: '/api/health/live' }),
    t.app.inject({ method: 'GET', url: '/api/test/cache' }),
    t.app.inject({ method: 'GET', url: '/api/test/cache' }),
    t.app.inject({ method: 'GET', url: '/api/health' }),
  ]);
  return results.map((r) => r.statusCode);
}

describe('Redis going away at run time', () => {
  beforeAll(async () => {
    // The outage is real: this needs the redis-server binary (.ci/run installs it), never a mock.
    if (spawnSync('redis-server', ['--version']).status !== 0)
      throw new Error('redis-server is not installed');
    port = await freePort();
    await startRedis();
    t = await createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    t.app.get('/api/test/cache', { config: { public: true } }, async () => {
      await t.ctx.cache.set('probe', 'value', 60);
      await t.ctx.cache.publish('events', 'ping');
      return { value: (await t.ctx.cache.get('probe')) ?? null };
    });
    t.ctx.cache.subscribe('events', (m) => received.push(m));
    await t.app.ready();
  });
  afterAll(async () => {
    await t?.close();
    await stopRedis();
  });

  it('runs on Redis while it is up', async () => {
    await waitFor(async () => (await redisStatus()) === 'up', 'redis up');
    const res = await t.app.inject({ method: 'GET', url: '/api/test/cache' });
    expect(res.json()).toEqual({ value: 'value' });
    await waitFor(async () => received.length > 0, 'a pub/sub message');
  });

  it('stays ready and serves every request while Redis is down', async () => {
    await stopRedis();
    await waitFor(async () => (await redisStatus()) === 'degraded', 'redis degraded');

    const res = await ready();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', checks: { redis: { status: 'degraded' } } });
    const health = (await t.app.inject({ method: 'GET', url: '/api/health' })).json();
    expect(health).toMatchObject({ status: 'degraded', services: { redis: { status: 'degraded' } } });

    for (let round = 0; round < 5; round++) expect(await traffic()).toEqual([200, 200, 200, 200]);
    const cached = await t.app.inject({ method: 'GET', url: '/api/test/cache' });
    expect(cached.json()).toEqual({ value: null });
    const unknown = await t.app.inject({ method: 'GET', url: '/api/nothing' });
    expect(unknown.statusCode).toBe(404);
  });

  it('reconnects by itself when Redis returns on the same port', async () => {
    await startRedis();
    await waitFor(async () => (await redisStatus()) === 'up', 'redis to recover');
    expect(await traffic()).toEqual([200, 200, 200, 200]);

    const direct = new Redis(port, '127.0.0.1');
    try {
      expect(await direct.get(`${t.ctx.config.redis.keyPrefix}probe`)).toBe('value');
    } finally {
      direct.disconnect();
    }
    // The subscription is renewed on reconnect.
    received.length = 0;
    await t.app.inject({ method: 'GET', url: '/api/test/cache' });
    await waitFor(async () => received.length > 0, 'a pub/sub message after recovery');
  });
});
