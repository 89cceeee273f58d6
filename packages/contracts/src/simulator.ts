import { z } from 'zod';
import { ZString } from './common';

/**
 * The load simulator's API (apps/simulator, its own process). Rates are requests per second, CPU is in
 * millicores, times are seconds of simulated time unless a name says otherwise. The simulator's model
 * library takes the same shapes, so the autoscaler's evaluation replays traces with them too.
 */

const rps = z.number().finite().min(0).max(1e7);
const seconds = z
  .number()
  .finite()
  .min(0)
  .max(365 * 86400);
const positiveSeconds = z
  .number()
  .finite()
  .gt(0)
  .max(365 * 86400);
const seed = z.number().int().min(0).max(0xffffffff);

/** A cluster's name in the simulator: the autoscaler's cluster id (a UUID) or any short slug. */
export const ZSimClusterId = ZString.regex(/^[A-Za-z0-9_-]{1,64}$/, '1 to 64 letters, digits, "-" or "_"');
export const ZSimClusterParams = z.object({ id: ZSimClusterId });

export const ZSimConstantLoad = z.strictObject({ type: z.literal('constant'), rps });

/** `baseRps + amplitudeRps · cos(2π (t − peakAtSeconds) / periodSeconds)`, never below 0. */
export const ZSimDiurnalLoad = z.strictObject({
  type: z.literal('diurnal'),
  baseRps: rps,
  amplitudeRps: rps,
  periodSeconds: positiveSeconds.default(86400),
  peakAtSeconds: seconds.default(14 * 3600),
});

/** `baseRps` until the first step, then each step's rate from its time on. */
export const ZSimStepLoad = z.strictObject({
  type: z.literal('step'),
  baseRps: rps,
  steps: z
    .array(z.strictObject({ atSeconds: seconds, rps }))
    .min(1)
    .max(1000)
    .refine((steps) => steps.every((s, i) => i === 0 || s.atSeconds > steps[i - 1]!.atSeconds), {
      message: 'Steps must be in increasing order of atSeconds',
    }),
});

/** `spikeRps` for `durationSeconds` from `atSeconds` (and again every `everySeconds` if set), else `baseRps`. */
export const ZSimSpikeLoad = z
  .strictObject({
    type: z.literal('spike'),
    baseRps: rps,
    spikeRps: rps,
    atSeconds: seconds,
    durationSeconds: positiveSeconds,
    everySeconds: positiveSeconds.optional(),
  })
  .refine((s) => s.everySeconds === undefined || s.everySeconds > s.durationSeconds, {
    message: 'everySeconds must be longer than durationSeconds',
    path: ['everySeconds'],
  });

/** A rate that moves by a normal step (standard deviation `volatilityRps`) every `stepSeconds`, within bounds. */
export const ZSimRandomWalkLoad = z
  .strictObject({
    type: z.literal('randomWalk'),
    startRps: rps,
    minRps: rps.default(0),
    maxRps: rps,
    volatilityRps: rps,
    stepSeconds: positiveSeconds.default(10),
    /** Defaults to the cluster's seed. */
    seed: seed.optional(),
  })
  .refine((w) => w.minRps <= w.startRps && w.startRps <= w.maxRps, {
    message: 'startRps must lie between minRps and maxRps',
    path: ['startRps'],
  });

/**
 * Replay of a `timestamp,requests` CSV (ISO or Unix timestamps). Missing steps are `gapFill`ed; after the
 * last row the load is 0 unless `loop`. `scale` multiplies every count.
 */
export const ZSimTraceLoad = z.strictObject({
  type: z.literal('trace'),
  csv: ZString.min(1).max(16 * 1024 * 1024),
  scale: z.number().finite().gt(0).max(1e6).default(1),
  gapFill: z.enum(['zero', 'previous']).default('zero'),
  loop: z.boolean().default(false),
});

export const ZSimLoadPattern = z.discriminatedUnion('type', [
  ZSimConstantLoad,
  ZSimDiurnalLoad,
  ZSimStepLoad,
  ZSimSpikeLoad,
  ZSimRandomWalkLoad,
  ZSimTraceLoad,
]);
export type TSimLoadPattern = z.infer<typeof ZSimLoadPattern>;
export type TSimLoadPatternInput = z.input<typeof ZSimLoadPattern>;

/** Most servers a cluster is created with, and most requests per second one server serves. */
export const SIM_MAX_SERVERS = 10_000;
export const SIM_MAX_CAPACITY_RPS = 1e6;

/** How one cluster behaves; every field is optional (see `SIM_CLUSTER_DEFAULTS`). */
export const ZSimClusterUpdate = z
  .strictObject({
    /** Servers at creation, already ready (on an update: scale to this many). */
    servers: z.number().int().min(0).max(SIM_MAX_SERVERS),
    /** Requests per second one server serves. */
    capacityRps: z.number().finite().gt(0).max(SIM_MAX_CAPACITY_RPS),
    /** Time a new server takes before it is ready. */
    bootSeconds: seconds,
    /** Time a removed server keeps existing (draining) before it is gone. */
    drainSeconds: seconds,
    /** Latency of one request on an idle server. */
    serviceMs: z.number().finite().min(0).max(600_000),
    /** A request that would wait longer than this in the queue is refused (unserved). */
    timeoutSeconds: positiveSeconds,
    /** Each server's CPU request, the denominator of CPU utilisation. */
    cpuRequestMillis: z.number().int().min(1).max(1_000_000),
    /** CPU a ready server uses while idle; it rises linearly to `cpuRequestMillis` at full capacity. */
    cpuIdleMillis: z.number().int().min(0).max(1_000_000),
    /** Length of the window over which metrics report rates and latency. */
    windowSeconds: z.number().int().min(1).max(3600),
    /** Seeds every random choice of the cluster (a random walk without a seed of its own). */
    seed,
    load: ZSimLoadPattern,
  })
  .partial();
export type TSimClusterUpdate = z.infer<typeof ZSimClusterUpdate>;

export const SIM_CLUSTER_DEFAULTS = {
  servers: 1,
  capacityRps: 10,
  bootSeconds: 30,
  drainSeconds: 30,
  serviceMs: 50,
  timeoutSeconds: 30,
  cpuRequestMillis: 1000,
  cpuIdleMillis: 50,
  windowSeconds: 15,
  seed: 1,
  load: { type: 'constant', rps: 0 },
} as const satisfies Required<TSimClusterUpdate>;

/** A new cluster: what the request names, defaults for the rest. */
export const ZSimClusterSpec = ZSimClusterUpdate.transform(
  (spec): Required<TSimClusterUpdate> => ({ ...SIM_CLUSTER_DEFAULTS, ...spec }),
);
export type TSimClusterSpec = z.infer<typeof ZSimClusterSpec>;
export type TSimClusterSpecInput = z.input<typeof ZSimClusterSpec>;

export const ZSimScale = z.strictObject({ replicas: z.number().int().min(0).max(SIM_MAX_SERVERS) });

/** Most clusters one bulk call names. */
export const SIM_BULK_MAX = 1000;

/**
 * `POST /metrics`: many clusters' metrics in one call. The answer is NDJSON, one line per cluster as soon
 * as it is ready (`TSimMetricsLine`), so a cluster whose metrics API is delayed holds up no other.
 * `format: "compact"` sends each cluster's figures as two lists of numbers (`TSimCompactLine`) instead of
 * an object per server: the autoscaler reads every cluster each tick, and parsing 100,000 keyed server
 * objects was a tenth of its tick.
 */
export const ZSimMetricsBulk = z.strictObject({
  ids: z.array(ZSimClusterId).min(1).max(SIM_BULK_MAX),
  format: z.enum(['objects', 'compact']).optional(),
});

/** `POST /scale`: many clusters scaled in one call; answers `{ results: [{ id, status, message? }] }`. */
export const ZSimScaleBulk = z.strictObject({
  scales: z
    .array(z.strictObject({ id: ZSimClusterId, replicas: ZSimScale.shape.replicas }))
    .min(1)
    .max(SIM_BULK_MAX),
});
export type TSimScaleBulk = z.infer<typeof ZSimScaleBulk>;

/** Faults stay until changed; a field left out keeps its current value. 0 turns a fault off. */
export const ZSimFaults = z.strictObject({
  /** Added to every served request's latency. */
  latencyMs: z.number().finite().min(0).max(600_000).optional(),
  /** Share of the requests that would be served but fail instead. */
  errorRate: z.number().finite().min(0).max(1).optional(),
  /** The whole cluster is down for this many seconds from now: nothing is served, its metrics API answers 503. */
  outageSeconds: seconds.optional(),
  /** The metrics API answers this many milliseconds of real time late (to exercise callers' timeouts). */
  apiDelayMs: z.number().int().min(0).max(60_000).optional(),
});
export type TSimFaults = z.infer<typeof ZSimFaults>;

export const ZSimAdvance = z.strictObject({ seconds: positiveSeconds.max(7 * 86400) });

export const SIM_SERVER_PHASES = ['Pending', 'Running'] as const;

export const ZSimServerMetrics = z.object({
  name: ZString,
  phase: z.enum(SIM_SERVER_PHASES),
  ready: z.boolean(),
  deleting: z.boolean(),
  cpuMillis: z.number().int().min(0),
  requestMillis: z.number().int().min(0),
  /** Requests per second this server served over the window (a per-server metric). */
  requestsPerSecond: z.number().min(0),
  ageSeconds: z.number(),
});
export type TSimServerMetrics = z.infer<typeof ZSimServerMetrics>;

export const ZSimClusterMetrics = z.object({
  /** Simulated seconds since the cluster was created. */
  time: z.number(),
  windowSeconds: z.number(),
  servers: z.array(ZSimServerMetrics),
  cluster: z.object({
    /** Requests arriving per second over the window. */
    requestRate: z.number(),
    /** 95th percentile latency of the requests served in the window; the timeout if none could be. */
    p95Ms: z.number(),
    /** Share of the window's requests that failed or were refused. */
    errorRate: z.number(),
    /** Requests refused or failed since the cluster was created. */
    unservedRequests: z.number(),
    /** Requests waiting in the queue now. */
    queuedRequests: z.number(),
    desiredReplicas: z.number().int(),
    outage: z.boolean(),
  }),
});
export type TSimClusterMetrics = z.infer<typeof ZSimClusterMetrics>;

/** One line of `POST /metrics`: the cluster's metrics, or why there are none (404 unknown, 503 outage). */
export type TSimMetricsLine =
  | { id: string; status: 200; metrics: TSimClusterMetrics }
  | { id: string; status: number; message: string };

/** A compact line's `cluster` list, in this order (`outage` as 0 or 1). */
export const SIM_CLUSTER_COLUMNS = [
  'time',
  'windowSeconds',
  'requestRate',
  'p95Ms',
  'errorRate',
  'unservedRequests',
  'queuedRequests',
  'desiredReplicas',
  'outage',
] as const;
/** A compact line's `servers` list: these figures of each server in turn (`running` is 1 for Running, 0 for Pending; flags as 0 or 1). */
export const SIM_SERVER_COLUMNS = [
  'running',
  'ready',
  'deleting',
  'cpuMillis',
  'requestMillis',
  'requestsPerSecond',
] as const;

/** One line of `POST /metrics` with `format: "compact"`; a cluster without metrics answers as in `TSimMetricsLine`. */
export type TSimCompactLine =
  | { id: string; status: 200; cluster: number[]; servers: number[] }
  | { id: string; status: number; message: string };

/** The metrics as a compact line carries them (server names and ages are left out). */
export function compactMetrics(m: TSimClusterMetrics): { cluster: number[]; servers: number[] } {
  const c = m.cluster;
  const servers: number[] = [];
  for (const s of m.servers)
    servers.push(
      s.phase === 'Running' ? 1 : 0,
      s.ready ? 1 : 0,
      s.deleting ? 1 : 0,
      s.cpuMillis,
      s.requestMillis,
      s.requestsPerSecond,
    );
  return {
    cluster: [
      m.time,
      m.windowSeconds,
      c.requestRate,
      c.p95Ms,
      c.errorRate,
      c.unservedRequests,
      c.queuedRequests,
      c.desiredReplicas,
      c.outage ? 1 : 0,
    ],
    servers,
  };
}

/** One result of `POST /scale`. */
export type TSimScaleResult = { id: string; status: number; message?: string };
