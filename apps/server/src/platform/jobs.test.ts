import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDatabase, testPostgres } from '../../test/helpers';
import type { Database } from './db';
import { createJobs, type Jobs } from './jobs';

const log = pino({ level: 'silent' });
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const engine = onPostgres ? 'pg-boss on PostgreSQL' : 'the in-process runner on PGlite';

// One database for the file (each test uses queues of its own): loading PGlite is the slow part.
let shared: Awaited<ReturnType<typeof testDatabase>>;
beforeAll(async () => {
  shared = await testDatabase();
});
afterAll(() => shared.database.close());

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function jobsOn(database: Database) {
  const registry = new Registry();
  const jobs = createJobs({ database, log, registry, pollSeconds: 0.5 });
  cleanups.push(() => jobs.stop({ timeoutMs: 1000 }));
  const count = async (queue: string, state: string) => {
    const metric = await registry.getSingleMetric('clockpilot_jobs_total')!.get();
    return metric.values.find((v) => v.labels.queue === queue && v.labels.state === state)?.value ?? 0;
  };
  return { jobs, count };
}

describe(`jobs with ${engine}`, () => {
  it(
    onPostgres
      ? 'runs a periodic job once per period across two replicas'
      : 'runs a periodic job once per period on the single node',
    async () => {
      const { database, url } = shared;
      const databases = [database];
      if (url) {
        // A second replica: its own pool and its own Jobs on the same database.
        const second = testPostgres(url);
        cleanups.push(() => second.close());
        databases.push(second);
      }
      const runs: number[] = [];
      const replicas: Jobs[] = databases.map((db, replica) => {
        const { jobs } = jobsOn(db);
        jobs.define({
          name: 'test.tick',
          everySeconds: 1,
          handler: async () => {
            runs.push(replica);
          },
        });
        return jobs;
      });

      const from = Date.now();
      await Promise.all(replicas.map((jobs) => jobs.start()));
      await sleep(4200);
      await Promise.all(replicas.map((jobs) => jobs.stop()));
      const slots = Math.floor(Date.now() / 1000) - Math.floor(from / 1000) + 1;

      // Every replica ticks twice a second; one run per one-second slot is all that may come of it.
      expect(runs.length).toBeLessThanOrEqual(slots);
      // And no slot of the 4.2 s after start goes without its run (the last one may still be queued).
      expect(runs.length).toBeGreaterThanOrEqual(4);
      if (url) {
        const { rows } = await database.executeSql!(
          `select singleton_on, count(*)::int as n from pgboss.job where name = 'test.tick' group by 1`,
        );
        expect(rows.length).toBeGreaterThanOrEqual(runs.length);
        expect(rows.every((row) => (row as { n: number }).n === 1)).toBe(true);
      }
    },
  );

  it('retries a failing job with growing delays, then keeps it as a dead letter', async () => {
    const { database } = shared;
    const { jobs, count } = jobsOn(database);
    const attempts: Array<{ attempt: number; at: number }> = [];
    jobs.define<{ n: number }>({
      name: 'test.fail',
      retryLimit: 2,
      retryDelaySeconds: 1,
      // Throws synchronously: that must not escape the worker either.
      handler: (_data, job) => {
        attempts.push({ attempt: job.attempt, at: Date.now() });
        throw new Error('boom');
      },
    });
    await jobs.start();
    expect(await jobs.send('test.fail', { n: 7 })).toEqual(expect.any(String));

    await vi.waitFor(async () => expect(await count('test.fail', 'dead')).toBe(1), {
      timeout: 12_000,
      interval: 100,
    });
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    const [first, second, third] = attempts as [
      (typeof attempts)[0],
      (typeof attempts)[0],
      (typeof attempts)[0],
    ];
    // Base 1 s, doubled: the first retry waits at least 1 s, the second at least 2 s.
    expect(second.at - first.at).toBeGreaterThanOrEqual(990);
    expect(third.at - second.at).toBeGreaterThanOrEqual(1990);

    const letters = await jobs.deadLetters('test.fail');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ data: { n: 7 }, error: 'boom', failedAt: expect.any(Date) });
    expect(await count('test.fail', 'failed')).toBe(3);
    expect(await count('test.fail', 'retried')).toBe(2);
    expect(await count('test.fail', 'completed')).toBe(0);
  });

  it('aborts a run that outlives expireInSeconds and counts it as failed', async () => {
    const { database } = shared;
    const { jobs, count } = jobsOn(database);
    let signal: AbortSignal | undefined;
    jobs.define({
      name: 'test.expire',
      expireInSeconds: 1,
      retryLimit: 0,
      handler: (_data, job) => {
        signal = job.signal;
        return new Promise(() => {});
      },
    });
    await jobs.start();
    await jobs.send('test.expire', null);

    await vi.waitFor(async () => expect(await count('test.expire', 'dead')).toBe(1), { timeout: 5000 });
    expect(signal?.aborted).toBe(true);
    expect((await jobs.deadLetters('test.expire'))[0]?.error).toBe('expired after 1s');
  });

  it('stop() waits for a running job to finish', async () => {
    const { database } = shared;
    const { jobs, count } = jobsOn(database);
    let started = false;
    let finished = false;
    jobs.define({
      name: 'test.slow',
      handler: async () => {
        started = true;
        await sleep(1000);
        finished = true;
      },
    });
    await jobs.start();
    await jobs.send('test.slow', {});
    await vi.waitFor(() => expect(started).toBe(true), { timeout: 5000 });

    await jobs.stop();
    expect(finished).toBe(true);
    expect(await count('test.slow', 'completed')).toBe(1);
  });

  it('stop() with a short timeout aborts the signal and gives the run up for a retry', async () => {
    const { database } = shared;
    const { jobs, count } = jobsOn(database);
    let signal: AbortSignal | undefined;
    jobs.define({
      name: 'test.stuck',
      handler: (_data, job) => {
        signal = job.signal;
        return new Promise(() => {});
      },
    });
    await jobs.start();
    await jobs.send('test.stuck', {});
    await vi.waitFor(() => expect(signal).toBeDefined(), { timeout: 5000 });

    const before = Date.now();
    await jobs.stop({ timeoutMs: 200 });
    expect(Date.now() - before).toBeLessThan(2000);
    expect(signal?.aborted).toBe(true);
    expect(await count('test.stuck', 'retried')).toBe(1);
  });

  it('sends with a singleton slot and a start delay', async () => {
    const { database } = shared;
    const { jobs } = jobsOn(database);
    const seen: unknown[] = [];
    jobs.define({
      name: 'test.send',
      handler: async (data) => {
        seen.push(data);
      },
    });
    await jobs.start();
    const opts = { singletonKey: 'k', singletonSeconds: 60 };
    // A bare string is valid JSON data, as an object is.
    expect(await jobs.send('test.send', 'later', { startAfterSeconds: 1 })).toEqual(expect.any(String));
    const first = await jobs.send('test.send', { once: true }, opts);
    const second = await jobs.send('test.send', { once: false }, opts);
    // The slot of the minute may turn over between the two sends; then both are kept.
    if (first && second) expect(first).not.toBe(second);
    else expect([first, second]).toEqual([expect.any(String), null]);
    await vi.waitFor(() => expect(seen).toContain('later'), { timeout: 5000 });
    expect(seen[0]).toEqual({ once: true });
    await expect(jobs.send('test.none', {})).rejects.toThrow(/unknown job queue/);
  });

  it('schedules cron work in UTC', async () => {
    const { database, url } = shared;
    const { jobs } = jobsOn(database);
    const runs: string[] = [];
    const define = () =>
      jobs.define({
        name: 'test.nightly',
        cron: '0 2 * * *',
        handler: async () => {
          runs.push(new Date().toISOString());
        },
      });
    if (url) {
      // pg-boss's timekeeper sends at minute precision; the schedule row is what it works from.
      define();
      await jobs.start();
      const { rows } = await database.executeSql!(
        `select cron, timezone from pgboss.schedule where name = $1`,
        ['test.nightly'],
      );
      expect(rows).toEqual([{ cron: '0 2 * * *', timezone: 'UTC' }]);
      return;
    }
    vi.useFakeTimers({ now: new Date('2026-03-01T01:59:58Z') });
    try {
      define();
      await jobs.start();
      await vi.advanceTimersByTimeAsync(3000);
      expect(runs).toEqual(['2026-03-01T02:00:00.000Z']);
      await vi.advanceTimersByTimeAsync(5 * 60_000);
      expect(runs).toHaveLength(1);
      await jobs.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('job definitions', () => {
  it('refuses invalid definitions, and definitions after start()', async () => {
    const jobs = createJobs({ database: { driver: 'pglite' } as Database, log, registry: new Registry() });
    const handler = async () => {};
    expect(() => jobs.define({ name: 'x.y', handler, cron: '*/5 * * * * *' })).toThrow(/five fields/);
    expect(() => jobs.define({ name: 'x.y', handler, cron: '0 2 * *' })).toThrow(/five fields/);
    expect(() => jobs.define({ name: 'x.y', handler, cron: '0 25 * * *' })).toThrow(/invalid cron/);
    expect(() => jobs.define({ name: 'x.y', handler, cron: '0 2 * * *', everySeconds: 5 })).toThrow(
      /not both/,
    );
    expect(() => jobs.define({ name: 'x.y', handler, everySeconds: 0.5 })).toThrow(/everySeconds/);
    expect(() => jobs.define({ name: 'x.y.dead', handler })).toThrow(/invalid name/);
    expect(() => jobs.define({ name: 'x.y', handler, retryDelaySeconds: 0 })).toThrow(/retryDelaySeconds/);
    jobs.define({ name: 'x.y', handler });
    expect(() => jobs.define({ name: 'x.y', handler })).toThrow(/twice/);
    await jobs.start();
    expect(() => jobs.define({ name: 'x.z', handler })).toThrow(/after start/);
    await expect(jobs.send('x.y', {}, { singletonKey: 'k' })).rejects.toThrow(/singletonSeconds/);
    await jobs.stop();
  });
});
