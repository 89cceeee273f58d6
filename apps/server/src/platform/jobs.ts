import cronParser from 'cron-parser';
import type { Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Database } from './db';
import { inProcessEngine } from './jobs-memory';
import { pgBossEngine } from './jobs-pgboss';

/** What a handler learns about the run it is in. */
export type JobContext = {
  id: string;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  /** Aborted when the run outlives `expireInSeconds` or when `stop()` stops waiting for it. */
  signal: AbortSignal;
};

export type QueueDef<T = unknown> = {
  /** Module-prefixed, e.g. 'identity.prune-sessions'. Names ending in '.dead' are reserved. */
  name: string;
  /** A throw or rejection fails the run; it is retried, then kept as a dead letter. */
  handler: (data: T, job: JobContext) => Promise<void>;
  /** Periodic: one run per slot of N seconds (1..43200) across all replicas. Data is null. */
  everySeconds?: number;
  /** Periodic on a five-field cron expression in UTC, e.g. '0 2 * * *'; once across replicas. Data is null. */
  cron?: string;
  /** Retries after the first run; default 3 (so at most 4 runs). */
  retryLimit?: number;
  /** Base retry delay (>= 1), default 5: retry n waits between base·2^(n-1) and twice that. */
  retryDelaySeconds?: number;
  /** A run longer than this (default 900, below 24 h) is aborted and counts as failed. */
  expireInSeconds?: number;
};

export type SendOptions = {
  /** Run no earlier than this many seconds from now. */
  startAfterSeconds?: number;
  /**
   * At most one job per slot of this many seconds (slots aligned to the Unix epoch), across
   * replicas; `send` answers null when the slot is taken.
   */
  singletonSeconds?: number;
  /** Separate slots per key; only together with `singletonSeconds`. */
  singletonKey?: string;
};

/** A job whose retries are exhausted. */
export type DeadLetter = { id: string; data: unknown; error: string; failedAt: Date };

export type Jobs = {
  /** Registers a queue and its handler; only before `start()`. Throws on an invalid definition. */
  define<T>(def: QueueDef<T>): void;
  /** Creates the queues and schedules, then starts one worker per queue and the periodic tickers. */
  start(): Promise<void>;
  /** Enqueues a job (data must be JSON); null when a singleton slot was already taken. After `start()`. */
  send<T>(name: string, data: T, opts?: SendOptions): Promise<string | null>;
  /** Dead letters of a queue, newest first (default 50). */
  deadLetters(name: string, limit?: number): Promise<DeadLetter[]>;
  /**
   * Stops taking work and waits for running handlers up to `timeoutMs` (default 10 000); then aborts
   * their signals and records those runs as failed, so they are retried later.
   */
  stop(opts?: { timeoutMs?: number }): Promise<void>;
};

export type JobsDeps = {
  database: Database;
  log: Logger;
  /** The app's metrics registry (`metrics.registry`). */
  registry: Registry;
  /** How often an idle worker looks for due work, in seconds (>= 0.5, default 2). */
  pollSeconds?: number;
};

/** A definition with its defaults applied, as the engines receive it. */
export type Queue = QueueDef &
  Required<Pick<QueueDef, 'retryLimit' | 'retryDelaySeconds' | 'expireInSeconds'>>;

/** A job a worker has taken. */
export type Claimed = {
  id: string;
  data: unknown;
  attempt: number;
  retryLimit: number;
  expireInSeconds: number;
};

/** Storage and scheduling: pg-boss on PostgreSQL, memory on one node. Workers, metrics and shutdown are shared. */
export type Engine = {
  /** Creates the queues with their retry, expiry and dead-letter settings, and the cron schedules. */
  start(queues: Queue[]): Promise<void>;
  send(name: string, data: unknown, opts: SendOptions): Promise<string | null>;
  claim(name: string): Promise<Claimed | null>;
  complete(name: string, id: string): Promise<void>;
  /** Schedules the next attempt with backoff, or keeps the job as a dead letter after the last one. */
  fail(name: string, job: Claimed, error: Error): Promise<void>;
  deadLetters(name: string, limit: number): Promise<DeadLetter[]>;
  stop(): Promise<void>;
};

/** The engine calls this when it knows a queue has work due now, so its worker need not wait for a poll. */
export type Wake = (name: string) => void;

const isInt = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;

function normalise(def: QueueDef): Queue {
  const queue: Queue = { retryLimit: 3, retryDelaySeconds: 5, expireInSeconds: 900, ...def };
  const problems: string[] = [];
  if (!/^[\w-]+(\.[\w-]+)*$/.test(def.name) || def.name.endsWith('.dead')) problems.push('invalid name');
  if (!isInt(queue.retryLimit, 0, 1000)) problems.push('retryLimit must be an integer >= 0');
  if (!isInt(queue.retryDelaySeconds, 1, 86_400)) problems.push('retryDelaySeconds must be an integer >= 1');
  if (!isInt(queue.expireInSeconds, 1, 86_399)) problems.push('expireInSeconds must be 1..86399');
  if (def.everySeconds !== undefined && def.cron !== undefined)
    problems.push('everySeconds or cron, not both');
  // pg-boss keeps a singleton slot for 12 hours; longer periods are cron's job.
  if (def.everySeconds !== undefined && !isInt(def.everySeconds, 1, 43_200))
    problems.push('everySeconds must be an integer 1..43200');
  if (def.cron !== undefined) {
    // Five fields: pg-boss schedules at minute precision, so a seconds field would behave differently.
    if (def.cron.trim().split(/\s+/).length !== 5) problems.push('cron takes five fields');
    else {
      try {
        cronParser.parseExpression(def.cron, { tz: 'UTC' });
      } catch (err) {
        problems.push(`invalid cron: ${(err as Error).message}`);
      }
    }
  }
  if (problems.length) throw new Error(`job queue "${def.name}": ${problems.join('; ')}`);
  return queue;
}

function jobMetrics(registry: Registry) {
  return {
    total: new Counter({
      name: 'clockpilot_jobs_total',
      help: 'Job runs by outcome: completed, or failed and then either retried or dead (retries exhausted)',
      labelNames: ['queue', 'state'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'clockpilot_job_duration_seconds',
      help: 'How long job handlers run',
      labelNames: ['queue'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
  };
}

const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));

/**
 * Durable jobs: pg-boss when the database is PostgreSQL, an in-process runner on embedded PGlite.
 * Modules `define` their queues, the app calls `start()` once the database is migrated and `stop()`
 * on shutdown before the database closes; anything may `send` in between. Each queue has one worker
 * per replica, running one job at a time.
 */
export function createJobs(deps: JobsDeps): Jobs {
  const { log, pollSeconds = 2 } = deps;
  if (!(pollSeconds >= 0.5)) throw new Error('pollSeconds must be at least 0.5');
  const queues = new Map<string, Queue>();
  const wakers = new Map<string, () => void>();
  const wake: Wake = (name) => wakers.get(name)?.();
  const engine =
    deps.database.driver === 'postgres' ? pgBossEngine(deps.database, log, wake) : inProcessEngine(wake);
  const metrics = jobMetrics(deps.registry);
  const running = new Set<AbortController>();
  const workers: Promise<void>[] = [];
  const tickers: NodeJS.Timeout[] = [];
  let started = false;
  let stopping: Promise<void> | undefined;

  /** Waits one poll interval, or less when the engine wakes this queue. */
  const idle = (name: string) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(name);
        resolve();
      };
      const timer = setTimeout(done, pollSeconds * 1000).unref();
      wakers.set(name, done);
    });

  async function run(queue: Queue, job: Claimed) {
    const controller = new AbortController();
    running.add(controller);
    const expiry = setTimeout(
      () => controller.abort(new Error(`expired after ${job.expireInSeconds}s`)),
      job.expireInSeconds * 1000,
    ).unref();
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    });
    const endTimer = metrics.duration.startTimer({ queue: queue.name });
    const handled = Promise.resolve().then(() =>
      queue.handler(job.data, { id: job.id, attempt: job.attempt, signal: controller.signal }),
    );
    // Once a run is given up on, its late rejection must not surface as an unhandled one.
    handled.catch(() => {});
    let error: Error | undefined;
    try {
      await Promise.race([handled, aborted]);
    } catch (err) {
      error = asError(err);
    } finally {
      clearTimeout(expiry);
      running.delete(controller);
      endTimer();
    }
    const outcome = !error ? 'completed' : job.attempt > job.retryLimit ? 'dead' : 'retried';
    if (error) {
      const fields = { queue: queue.name, jobId: job.id, attempt: job.attempt, err: error };
      if (outcome === 'dead') log.error(fields, 'job failed; retries exhausted, kept as a dead letter');
      else log.warn(fields, 'job failed; will retry');
    }
    try {
      if (error) await engine.fail(queue.name, job, error);
      else await engine.complete(queue.name, job.id);
    } catch (err) {
      log.error({ queue: queue.name, jobId: job.id, err }, 'could not record the outcome of a job');
      return;
    }
    if (error) metrics.total.inc({ queue: queue.name, state: 'failed' });
    metrics.total.inc({ queue: queue.name, state: outcome });
  }

  async function work(queue: Queue) {
    while (!stopping) {
      let job: Claimed | null = null;
      try {
        job = await engine.claim(queue.name);
      } catch (err) {
        log.error({ queue: queue.name, err }, 'could not fetch a job');
      }
      if (job) await run(queue, job);
      else if (!stopping) await idle(queue.name);
    }
  }

  function tick(queue: Queue, seconds: number) {
    engine
      .send(queue.name, null, { singletonKey: 'every', singletonSeconds: seconds })
      .catch((err) => log.warn({ queue: queue.name, err }, 'could not enqueue a periodic job'));
  }

  async function drain(timeoutMs: number) {
    const all = Promise.all(workers);
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      all.then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (finished) return;
    log.warn({ running: running.size }, 'jobs still running at shutdown; aborting them');
    for (const controller of running) controller.abort(new Error('aborted: shutting down'));
    await all;
  }

  return {
    define(def) {
      if (started) throw new Error(`job queue "${def.name}" defined after start()`);
      if (queues.has(def.name)) throw new Error(`job queue "${def.name}" defined twice`);
      queues.set(def.name, normalise(def as QueueDef));
    },

    async start() {
      if (started) throw new Error('jobs already started');
      started = true;
      await engine.start([...queues.values()]);
      if (stopping) return;
      for (const queue of queues.values()) {
        workers.push(work(queue));
        const seconds = queue.everySeconds;
        if (seconds) {
          // Ticking twice per slot means a slot is never missed; the singleton slot makes it run once.
          tick(queue, seconds);
          tickers.push(setInterval(() => tick(queue, seconds), Math.max(500, seconds * 500)).unref());
        }
      }
    },

    async send(name, data, opts = {}) {
      if (!started) throw new Error(`job sent to "${name}" before start()`);
      if (!queues.has(name)) throw new Error(`unknown job queue "${name}"`);
      if (opts.singletonKey !== undefined && !opts.singletonSeconds)
        throw new Error('singletonKey needs singletonSeconds');
      return engine.send(name, data ?? null, opts);
    },

    deadLetters: (name, limit = 50) => engine.deadLetters(name, limit),

    stop({ timeoutMs = 10_000 } = {}) {
      stopping ??= (async () => {
        for (const ticker of tickers) clearInterval(ticker);
        for (const waker of [...wakers.values()]) waker();
        await drain(timeoutMs);
        await engine.stop();
      })();
      return stopping;
    },
  };
}
