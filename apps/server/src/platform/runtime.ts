import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/load';
import { withAuditLog } from './audit';
import { installBackups } from './backup-job';
import { type Cache, createMemoryCache, createRedisCache, redisTlsOptions } from './cache';
import { type AppContext, type Clock, systemClock } from './context';
import type { Database } from './db';
import { createEventBus } from './events';
import { createJobs } from './jobs';
import type { Loggers } from './logger';
import { createMetrics } from './metrics';
import { migrate } from './migrate';
import { type AnyModule, type ModuleServices, orderModules } from './module';
import { installOpsMetrics } from './ops-metrics';
import { appSecret } from './stored-secret';
import { createTimers } from './timers';
import { unitOfWork } from './unit-of-work';

export type RuntimeDeps = {
  database: Database;
  loggers: Loggers;
  cache?: Cache;
  clock?: Clock;
};

export type Runtime = {
  ctx: AppContext;
  /** The enabled modules in dependency order, each with its built services. */
  modules: ReadonlyArray<{ def: AnyModule; services: unknown }>;
  /** A module's internal services (its own CLI commands and tests). */
  services<K extends keyof ModuleServices>(name: K): ModuleServices[K];
  /** Runs `fn` in one transaction that every module's writes join. */
  unitOfWork<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Waits for the database (retrying with backoff when asked), migrates when configured, runs the
   * modules' start-up work and, in a server, starts the job runner and the per-replica timers.
   */
  start(opts?: { retry?: boolean; jobs?: boolean }): Promise<void>;
  /** Stops the timers and the jobs, waiting for running ones up to a limit; safe to call more than once. */
  drain(): Promise<void>;
  /** Drains the jobs, then closes Redis and the database. */
  close(): Promise<void>;
};

/** Grace for running jobs at shutdown, within the process's 10 s (they drain beside HTTP requests). */
const JOB_DRAIN_MS = 8000;

/**
 * The platform without HTTP: context, event bus, jobs and every enabled module's services, built in
 * dependency order. The server adds routes on top; the CLI and tests use it as it is.
 */
export async function createRuntime(
  config: Config,
  deps: RuntimeDeps,
  all: readonly AnyModule[],
): Promise<Runtime> {
  const { database, loggers } = deps;
  const cache =
    deps.cache ??
    (config.redis.url
      ? createRedisCache(config.redis.url, config.redis.keyPrefix, loggers.app, redisTlsOptions(config))
      : createMemoryCache());
  const metrics = createMetrics(database);
  const uow = unitOfWork(withAuditLog(database.db, loggers.audit));
  const ctx: AppContext = {
    config,
    database,
    db: uow.db,
    cache,
    metrics,
    log: loggers,
    clock: deps.clock ?? systemClock,
    secret: appSecret(config, loggers.app),
    events: createEventBus(),
    jobs: createJobs({ database, log: loggers.app, registry: metrics.registry }),
    timers: createTimers(loggers.app),
    apis: {},
  };

  installBackups(ctx);
  installOpsMetrics(ctx);

  const modules: Array<{ def: AnyModule; services: unknown }> = [];
  for (const def of orderModules(all, config.app.modules)) {
    const services = await def.services(ctx);
    if (def.api) (ctx.apis as Record<string, unknown>)[def.name] = def.api(services);
    for (const job of def.jobs?.(services, ctx) ?? []) ctx.jobs.define(job);
    modules.push({ def, services });
  }

  let jobsStarted = false;
  const stopping = new AbortController();
  async function drain() {
    stopping.abort();
    await ctx.timers.stop();
    if (!jobsStarted) return;
    await ctx.jobs
      .stop({ timeoutMs: JOB_DRAIN_MS })
      .catch((err) => loggers.app.error({ err }, 'stopping jobs failed'));
  }

  return {
    ctx,
    modules,
    services(name) {
      const found = modules.find((m) => m.def.name === name);
      if (!found) throw new Error(`module "${name}" is not enabled (MODULES)`);
      return found.services as ModuleServices[typeof name];
    },
    unitOfWork: (fn) => uow.run(fn),
    async start(opts = {}) {
      for (let attempt = 1; ; attempt++) {
        try {
          await database.ping();
          break;
        } catch (err) {
          if (!opts.retry || stopping.signal.aborted) throw err;
          const delay = Math.min(500 * 2 ** Math.min(attempt - 1, 5), 15_000);
          loggers.app.warn(
            { err: (err as Error).message, attempt, retryInMs: delay },
            'database not reachable yet',
          );
          // Shutdown cuts the wait short, so a SIGTERM during a database outage still exits at once.
          await sleep(delay, undefined, { signal: stopping.signal });
        }
      }
      if (config.database.migrateOnBoot) {
        const applied = await migrate(database, {
          onApplied: (name) => loggers.app.info({ migration: name }, 'migration applied'),
        });
        if (applied.length === 0) loggers.app.debug('migrations current');
      }
      for (const { def, services } of modules) await def.start?.(services, ctx);
      if (opts.jobs) {
        await ctx.jobs.start();
        jobsStarted = true;
        ctx.timers.start();
      }
    },
    drain,
    async close() {
      await drain();
      await cache.close();
      await database.close();
    },
  };
}
