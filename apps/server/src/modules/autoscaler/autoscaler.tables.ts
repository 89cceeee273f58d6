import type { TBreakerState, TClusterSimulation, TClusterTarget } from '@clockpilot/contracts';
import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const tz = (name: string) => timestamp(name, { withTimezone: true });

/** What the control loop keeps between ticks (see controller.ts). */
export type ControllerMemory = {
  recommendations?: { replicas: number; ageSeconds: number }[] | null;
  scaleUpEvents?: { change: number; ageSeconds: number; outdated: boolean }[];
  scaleDownEvents?: { change: number; ageSeconds: number; outdated: boolean }[];
  /** Consecutive ticks whose metrics could not be read. */
  failedReads?: number;
};

export const autoscalerClusters = pgTable('autoscaler_clusters', {
  id: uuid('id').primaryKey().defaultRandom(),
  ownerId: uuid('owner_id').notNull(),
  name: text('name').notNull(),
  minServers: integer('min_servers').notNull(),
  maxServers: integer('max_servers').notNull(),
  target: jsonb('target').$type<TClusterTarget>().notNull(),
  mode: text('mode', { enum: ['hpa', 'predictive'] }).notNull(),
  behavior: jsonb('behavior').$type<Record<string, unknown> | null>(),
  simulation: jsonb('simulation').$type<TClusterSimulation>().notNull(),
  desiredServers: integer('desired_servers').notNull(),
  breaker: text('breaker', { enum: ['closed', 'open', 'halfOpen'] })
    .$type<TBreakerState>()
    .notNull()
    .default('closed'),
  controller: jsonb('controller').$type<ControllerMemory>().notNull().default({}),
  lastTickAt: tz('last_tick_at'),
  createdAt: tz('created_at').notNull(),
  updatedAt: tz('updated_at').notNull(),
});
export type ClusterRow = typeof autoscalerClusters.$inferSelect;

export const autoscalerEvents = pgTable('autoscaler_events', {
  id: uuid('id').primaryKey().defaultRandom(),
  clusterId: uuid('cluster_id').notNull(),
  at: tz('at').notNull(),
  mode: text('mode').notNull(),
  previousServers: integer('previous_servers').notNull(),
  recommendedServers: integer('recommended_servers').notNull(),
  appliedServers: integer('applied_servers').notNull(),
  limitedBy: text('limited_by').notNull(),
  reason: text('reason').notNull(),
  breaker: text('breaker').$type<TBreakerState>().notNull(),
  inputs: jsonb('inputs').$type<Record<string, unknown>>().notNull(),
});
export type EventRow = typeof autoscalerEvents.$inferSelect;
