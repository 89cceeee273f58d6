import type { TBreakerState, TClusterSimulation, TClusterTarget, TKedaFallback } from '@clockpilot/contracts';
import {
  doublePrecision,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Evidence } from './engine/ensemble';

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
  fallback: jsonb('fallback').$type<TKedaFallback | null>(),
  simulation: jsonb('simulation').$type<TClusterSimulation>().notNull(),
  /**
   * The count at creation and at the last settings change (kept for a release from before 0056); the
   * loop's current count is its tick row's.
   */
  desiredServers: integer('desired_servers').notNull(),
  createdAt: tz('created_at').notNull(),
  updatedAt: tz('updated_at').notNull(),
});

/** What the control loop writes for a cluster each tick (migration 0056), apart from its settings. */
export const autoscalerClusterTicks = pgTable('autoscaler_cluster_ticks', {
  clusterId: uuid('cluster_id').primaryKey(),
  desiredServers: integer('desired_servers').notNull(),
  breaker: text('breaker', { enum: ['closed', 'open', 'halfOpen'] })
    .$type<TBreakerState>()
    .notNull()
    .default('closed'),
  controller: json('controller').$type<ControllerMemory>().notNull().default({}),
  lastTickAt: tz('last_tick_at'),
});
/** The predictive mode's rule scores by cluster (migration 0059), kept for the next rebuild. */
export const autoscalerForecastEvidence = pgTable('autoscaler_forecast_evidence', {
  clusterId: uuid('cluster_id').primaryKey(),
  settings: text('settings').notNull(),
  savedAt: tz('saved_at').notNull(),
  evidence: json('evidence').$type<Evidence>().notNull(),
});
/** A cluster's settings with its tick state. */
export type ClusterRow = typeof autoscalerClusters.$inferSelect &
  Omit<typeof autoscalerClusterTicks.$inferSelect, 'clusterId'>;

/** Partitioned by day on `at` (migration 0055); its key, with `at` in it, serves a cluster's pages. */
export const autoscalerEvents = pgTable(
  'autoscaler_events',
  {
    id: uuid('id').notNull().defaultRandom(),
    clusterId: uuid('cluster_id').notNull(),
    at: tz('at').notNull(),
    mode: text('mode').notNull(),
    previousServers: integer('previous_servers').notNull(),
    recommendedServers: integer('recommended_servers').notNull(),
    appliedServers: integer('applied_servers').notNull(),
    limitedBy: text('limited_by').notNull(),
    reason: text('reason').notNull(),
    breaker: text('breaker').$type<TBreakerState>().notNull(),
    // json, not jsonb (migration 0054): written for every cluster each tick, read whole.
    inputs: json('inputs').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.at, t.id] })],
);
export type EventRow = typeof autoscalerEvents.$inferSelect;

/** Partitioned by day on `at` (migration 0051); the parent is what queries name. */
export const autoscalerSamples = pgTable('autoscaler_samples', {
  clusterId: uuid('cluster_id').notNull(),
  at: tz('at').notNull(),
  requestRate: doublePrecision('request_rate').notNull(),
  p95Ms: doublePrecision('p95_ms').notNull(),
  errorRate: doublePrecision('error_rate').notNull(),
  cpuPercent: doublePrecision('cpu_percent'),
  readyServers: integer('ready_servers').notNull(),
  totalServers: integer('total_servers').notNull(),
  desiredServers: integer('desired_servers').notNull(),
});
export type SampleRow = typeof autoscalerSamples.$inferSelect;

export const autoscalerRollups = pgTable('autoscaler_rollups', {
  clusterId: uuid('cluster_id').notNull(),
  minute: tz('minute').notNull(),
  samples: integer('samples').notNull(),
  requestRateSum: doublePrecision('request_rate_sum').notNull(),
  requestRateMax: doublePrecision('request_rate_max').notNull(),
  p95MsMax: doublePrecision('p95_ms_max').notNull(),
  errorRateSum: doublePrecision('error_rate_sum').notNull(),
  cpuPercentSum: doublePrecision('cpu_percent_sum').notNull(),
  cpuSamples: integer('cpu_samples').notNull(),
  readyServersSum: doublePrecision('ready_servers_sum').notNull(),
  desiredServersMax: integer('desired_servers_max').notNull(),
});
