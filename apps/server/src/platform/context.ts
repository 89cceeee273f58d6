import type { Config } from '../config/load';
import type { Cache } from './cache';
import type { Database, Db } from './db';
import type { Loggers } from './logger';
import type { Metrics } from './metrics';

/** Time as the services see it; tests inject a clock they control. */
export type Clock = { now(): Date };
export const systemClock: Clock = { now: () => new Date() };

/**
 * The services modules offer each other. Each module adds its entry by declaration merging in its
 * own index.ts (`declare module '../../platform/context' { interface Services { … } }`), so a module
 * reaches another only through what that module chose to export.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in each module
export interface Services {}

export type AppContext = {
  config: Config;
  database: Database;
  db: Db;
  cache: Cache;
  metrics: Metrics;
  log: Loggers;
  clock: Clock;
  services: Partial<Services>;
  /** Work to run once the database is reachable and migrated (first admin, periodic jobs). */
  onDatabaseReady(fn: () => Promise<void>): void;
  /** Work to run on shutdown, before the database closes. */
  onClose(fn: () => Promise<void>): void;
};

/** The service of a module this one depends on; fails loudly at boot when it is switched off. */
export function requireService<K extends keyof Services>(ctx: AppContext, name: K): Services[K] {
  const service = ctx.services[name];
  if (!service) throw new Error(`module "${String(name)}" is required but not enabled (MODULES)`);
  return service as Services[K];
}
