import type { Config } from '../config/load';
import type { Cache } from './cache';
import type { Database, Db } from './db';
import type { EventBus } from './events';
import type { Jobs } from './jobs';
import type { Loggers } from './logger';
import type { Metrics } from './metrics';
import type { Timers } from './timers';

/** Time as the services see it; tests inject a clock they control. */
export type Clock = { now(): Date };
export const systemClock: Clock = { now: () => new Date() };

/**
 * The public API of each module: the few functions other modules may call. Each module adds its
 * entry by declaration merging in its own index.ts (`declare module '../../platform/context' {
 * interface ModuleApis { … } }`) and nothing else of it is reachable from another module.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in each module
export interface ModuleApis {}

/** What every module's services are built from: no Fastify, so the CLI, jobs and tests share it. */
export type AppContext = {
  config: Config;
  database: Database;
  db: Db;
  cache: Cache;
  metrics: Metrics;
  log: Loggers;
  clock: Clock;
  /** The app's signing key (JWT_SECRET, or one made as `platform/stored-secret.ts` explains). */
  secret: string;
  events: EventBus;
  jobs: Jobs;
  /** Per-replica periodic work (the WebSocket pinger); once across replicas is a job. */
  timers: Timers;
  apis: Partial<ModuleApis>;
};

/** The public API of a module this one depends on; fails loudly when it is switched off. */
export function moduleApi<K extends keyof ModuleApis>(ctx: AppContext, name: K): ModuleApis[K] {
  const api = ctx.apis[name];
  if (!api) throw new Error(`module "${String(name)}" is required but not enabled (MODULES)`);
  return api as ModuleApis[K];
}
