import { z } from 'zod';
import { ZBehavior, ZKedaFallback } from './autoscaler-decide';
import { ZId, ZIsoDateTime, ZPage, ZPageQuery, ZSortDir, ZString } from './common';
import {
  ZSimConstantLoad,
  ZSimDiurnalLoad,
  ZSimFaults,
  ZSimRandomWalkLoad,
  ZSimSpikeLoad,
  ZSimStepLoad,
} from './simulator';

/**
 * The autoscaler's HTTP API under `/api/v1/autoscaler` (docs/autoscaler.md, "Clusters API").
 * A cluster belongs to the user who created it; another user's cluster answers 404 everywhere.
 * Rates are requests per second, times ISO 8601 in UTC.
 */

/** 3–50 letters, digits, `-` or `_`; unique per owner. The server answers 422 for any other name. */
export const CLUSTER_NAME_PATTERN = /^[A-Za-z0-9_-]{3,50}$/;
export const ZClusterName = ZString.regex(CLUSTER_NAME_PATTERN, '3 to 50 letters, digits, "-" or "_"');

/** What the servers are scaled on: average CPU utilisation, or requests per second per server. */
export const ZClusterTarget = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('cpu'), utilizationPercent: z.number().int().min(1).max(100) }),
  z.strictObject({
    type: z.literal('requestsPerServer'),
    /** At least a thousandth, the milli-unit a Kubernetes AverageValue target resolves to. */
    requestsPerSecond: z.number().min(0.001).max(1e6),
  }),
]);
export type TClusterTarget = z.infer<typeof ZClusterTarget>;

export const AUTOSCALER_MODES = ['hpa', 'predictive'] as const;
export const ZAutoscalerMode = z.enum(AUTOSCALER_MODES);
export type TAutoscalerMode = z.infer<typeof ZAutoscalerMode>;

/** The simulator's load patterns a cluster keeps (a trace replay is for `clockpilot autoscaler evaluate`). */
export const ZClusterLoad = z.discriminatedUnion('type', [
  ZSimConstantLoad,
  ZSimDiurnalLoad,
  ZSimStepLoad,
  ZSimSpikeLoad,
  ZSimRandomWalkLoad,
]);
export type TClusterLoad = z.infer<typeof ZClusterLoad>;

/** How the simulator models the cluster's servers and load. */
export const ZClusterSimulation = z.strictObject({
  load: ZClusterLoad.default({ type: 'constant', rps: 0 }),
  /** Requests per second one server serves. */
  capacityRps: z.number().finite().gt(0).max(1e6).default(10),
  /** Seconds a new server takes before it is ready. */
  bootSeconds: z.number().int().min(0).max(3600).default(30),
});
export type TClusterSimulation = z.infer<typeof ZClusterSimulation>;

/** The circuit breaker of a cluster's metrics reads (opossum's states). */
export const BREAKER_STATES = ['closed', 'open', 'halfOpen'] as const;
export const ZBreakerState = z.enum(BREAKER_STATES);
export type TBreakerState = z.infer<typeof ZBreakerState>;

export const ZCluster = z.object({
  id: ZId,
  name: ZString,
  minServers: z.number().int(),
  maxServers: z.number().int(),
  target: ZClusterTarget,
  mode: ZAutoscalerMode,
  /** Kubernetes' `spec.behavior` (autoscaling/v2); null = the controller's defaults. */
  behavior: ZBehavior.nullable(),
  /**
   * KEDA's fallback: once more than `failureThreshold` metric reads in a row have failed (breaker open
   * or read error), the loop decides as if the metric asked for the fallback count, still through
   * stabilization, rate limits and min/max. null = keep the count while blind, as the HPA does.
   */
  fallback: ZKedaFallback.nullable(),
  simulation: ZClusterSimulation,
  /** The server count last sent to the simulator. */
  desiredServers: z.number().int(),
  breaker: ZBreakerState,
  /** When the control loop last decided for this cluster; null before its first tick. */
  lastTickAt: ZIsoDateTime.nullable(),
  createdAt: ZIsoDateTime,
  updatedAt: ZIsoDateTime,
});
export type TCluster = z.infer<typeof ZCluster>;

/**
 * Any text as `name` and any whole numbers as bounds: the server checks them (422 with the field's
 * path), so a bad name or bound is refused alike whatever it is.
 */
const serverCount = z
  .number()
  .int()
  .min(-(2 ** 31))
  .max(2 ** 31 - 1);

/** `name`, the bounds and the quotas are checked by the server (422 with the field's path). */
export const ZClusterCreate = z.strictObject({
  name: z.string(),
  minServers: serverCount.default(1),
  maxServers: serverCount,
  target: ZClusterTarget,
  mode: ZAutoscalerMode.default('hpa'),
  behavior: ZBehavior.nullable().default(null),
  /** `replicas` must lie within [minServers, maxServers] (422 on `body.fallback.replicas`). */
  fallback: ZKedaFallback.nullable().default(null),
  simulation: ZClusterSimulation.default({
    load: { type: 'constant', rps: 0 },
    capacityRps: 10,
    bootSeconds: 30,
  }),
});
export type TClusterCreate = z.input<typeof ZClusterCreate>;

/** Only the fields sent change; `simulation` fields too (a new `load` replaces the old pattern). */
export const ZClusterUpdate = z.strictObject({
  name: z.string().optional(),
  minServers: serverCount.optional(),
  maxServers: serverCount.optional(),
  target: ZClusterTarget.optional(),
  mode: ZAutoscalerMode.optional(),
  behavior: ZBehavior.nullable().optional(),
  fallback: ZKedaFallback.nullable().optional(),
  simulation: z
    .strictObject({
      load: ZClusterLoad,
      capacityRps: z.number().finite().gt(0).max(1e6),
      bootSeconds: z.number().int().min(0).max(3600),
    })
    .partial()
    .optional(),
});
export type TClusterUpdate = z.infer<typeof ZClusterUpdate>;

export const CLUSTER_SORTS = ['name', 'createdAt'] as const;
export const ZClusterListQuery = ZPageQuery.extend({
  /** Part of the name, any case. */
  q: ZString.trim().min(1).max(100).optional(),
  mode: ZAutoscalerMode.optional(),
  sort: z.enum(CLUSTER_SORTS).default('name'),
  dir: ZSortDir.default('asc'),
});
export type TClusterListQuery = z.infer<typeof ZClusterListQuery>;
export const ZClusterPage = ZPage(ZCluster);
export const ZClusterParams = z.object({ id: ZId });

/** Faults injected into the cluster's simulation (see the simulator's `POST …/faults`). */
export const ZClusterFaults = ZSimFaults;
export type TClusterFaults = z.infer<typeof ZClusterFaults>;

/** The simulator's view of the cluster now, for the simulator controls. */
export const ZClusterSimulatorState = z.object({
  /** Simulated seconds since the cluster's model was created. */
  time: z.number(),
  desiredReplicas: z.number().int(),
  faults: z.object({
    latencyMs: z.number(),
    errorRate: z.number(),
    /** Simulated seconds of outage left. */
    outageSeconds: z.number(),
    apiDelayMs: z.number(),
  }),
});
export type TClusterSimulatorState = z.infer<typeof ZClusterSimulatorState>;

// ---------- samples ----------

/**
 * `GET …/clusters/:id/samples`: the range [from, to], both included (default: the hour up to now); `raw` is one
 * point per control-loop tick (kept AUTOSCALER_METRICS_RETENTION_DAYS), `minute` one per minute (kept
 * 90 days). Without `resolution`, ranges over 6 hours come in minutes. At most 10,000 points.
 */
export const ZSampleQuery = z.object({
  from: ZIsoDateTime.optional(),
  to: ZIsoDateTime.optional(),
  resolution: z.enum(['raw', 'minute']).optional(),
});
export type TSampleQuery = z.infer<typeof ZSampleQuery>;

/** One point; in minutes: averages, with the peak for `p95Ms` and `desiredServers`. */
export const ZSamplePoint = z.object({
  at: ZIsoDateTime,
  requestRate: z.number(),
  p95Ms: z.number(),
  errorRate: z.number(),
  /** Mean CPU of the ready servers in percent of their request; null while none was ready. */
  cpuPercent: z.number().nullable(),
  readyServers: z.number(),
  desiredServers: z.number().int(),
});
export type TSamplePoint = z.infer<typeof ZSamplePoint>;

export const ZSampleSeries = z.object({
  resolution: z.enum(['raw', 'minute']),
  from: ZIsoDateTime,
  to: ZIsoDateTime,
  /** More than 10,000 points matched; ask for a shorter range or minutes. */
  truncated: z.boolean(),
  points: z.array(ZSamplePoint),
});
export type TSampleSeries = z.infer<typeof ZSampleSeries>;

// ---------- events ----------

/**
 * Why a tick applied the count it did: the metric's proposal, a stabilization window, a rate-limit
 * policy, the min/max bounds, the predictive forecast, the breaker (metrics unreadable: the count is
 * kept), or a simulator that refused the new count.
 */
export const EVENT_LIMITS = [
  'metric',
  'stabilization',
  'rateLimit',
  'bounds',
  'forecast',
  'breakerOpen',
  'simulatorError',
] as const;

/** One control-loop decision of a cluster. */
export const ZAutoscalerEvent = z.object({
  id: ZId,
  clusterId: ZId,
  at: ZIsoDateTime,
  mode: ZAutoscalerMode,
  previousServers: z.number().int(),
  /** What the mode asked for (after its own stabilization and limits). */
  recommendedServers: z.number().int(),
  /** What was sent to the simulator (the previous count when that failed). */
  appliedServers: z.number().int(),
  limitedBy: z.enum(EVENT_LIMITS),
  /** The engine's explanation, e.g. `metrics propose 4 […], stabilized to 9 (ScaleDownStabilized)`. */
  reason: ZString,
  breaker: ZBreakerState,
  /** What the decision read: the cluster's metrics, server counts, proposals, conditions, forecast figures. */
  inputs: z.record(ZString, z.unknown()),
});
export type TAutoscalerEvent = z.infer<typeof ZAutoscalerEvent>;

/** Newest first, kept AUTOSCALER_EVENTS_RETENTION_DAYS (whole UTC days); `changesOnly` leaves out ticks that kept the count. */
export const ZEventListQuery = ZPageQuery.extend({
  changesOnly: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type TEventListQuery = z.infer<typeof ZEventListQuery>;
export const ZAutoscalerEventPage = ZPage(ZAutoscalerEvent);

// ---------- live updates (WebSocket `GET /api/v1/autoscaler/ws`) ----------

/**
 * What a client sends: first `auth` with an access or API token (never in the URL), then `subscribe`
 * to its own clusters. Anything else, or another user's cluster, answers an `error` message.
 */
export const ZLiveClientMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auth'), token: ZString.min(1).max(4096) }),
  z.strictObject({ type: z.literal('subscribe'), clusterId: ZId }),
  z.strictObject({ type: z.literal('unsubscribe'), clusterId: ZId }),
]);
export type TLiveClientMessage = z.infer<typeof ZLiveClientMessage>;

/**
 * What the server sends: `ready` after `auth`, `subscribed` (with the cluster's latest stored event, null
 * before its first tick: an update made while subscribing may not be streamed), `unsubscribed`, `error`
 * (`not_found`, also when a followed cluster is deleted; `unavailable` when live updates cannot be set
 * up now: poll and try again later), and per tick of a subscribed cluster a `sample` (left out for a
 * client that reads too slowly) and its `event`, and `breaker` when the cluster's circuit breaker
 * changes state. A cluster's lines may arrive before its `subscribed` answer (and that answer's event
 * may be one already streamed). Close codes: 1008 authentication failed
 * or missing within 10 s, 1009 message too large, 1013 too many connections.
 */
export const ZLiveServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), userId: ZId }),
  z.object({ type: z.literal('subscribed'), clusterId: ZId, event: ZAutoscalerEvent.nullable() }),
  z.object({ type: z.literal('unsubscribed'), clusterId: ZId }),
  z.object({ type: z.literal('error'), code: ZString, message: ZString, clusterId: ZId.optional() }),
  z.object({ type: z.literal('sample'), clusterId: ZId, sample: ZSamplePoint }),
  z.object({ type: z.literal('event'), clusterId: ZId, event: ZAutoscalerEvent }),
  z.object({ type: z.literal('breaker'), clusterId: ZId, state: ZBreakerState }),
]);
export type TLiveServerMessage = z.infer<typeof ZLiveServerMessage>;
