import { z } from 'zod';
import { ZEvaluateOptions } from './autoscaler-decide';
import { ZId, ZIsoDateTime, ZString } from './common';

/**
 * `/api/v1/autoscaler/evaluations`: the replay of `clockpilot autoscaler evaluate` on an uploaded
 * `timestamp,requests` CSV (docs/autoscaler.md, "Evaluation over HTTP"). It runs in a worker thread;
 * the upload answers 202 at once and `GET …/evaluations/:id` reports progress, then the figures.
 */

export const EVALUATION_LIMITS = {
  /** Largest CSV file (413 above). */
  maxBytes: 8 * 1024 * 1024,
  /** Most data rows (422 above): the 125,000-row per-minute trace fits. */
  maxRows: 200_000,
  /** Most simulated ticks the trace spans, gaps included (422 above). */
  maxTicks: 1_000_000,
  /** Most servers the trace's peak may need at the given capacity (422 on `serverRps` above). */
  maxPeakServers: 1000,
  /** Evaluations one user may have running at a time (409 above). */
  runningPerUser: 1,
  /** Longest run before it is stopped and reported failed. */
  timeoutSeconds: 300,
} as const;

/** The form fields sent beside the file; the same options as the command line's. */
export const ZEvaluationOptions = ZEvaluateOptions.pick({
  policy: true,
  serverRps: true,
  bootSeconds: true,
  hpaTarget: true,
});
export type TEvaluationOptions = z.infer<typeof ZEvaluationOptions>;
export type TEvaluationOptionsInput = z.input<typeof ZEvaluationOptions>;

/** The figures of EVALUATION-METRICS.md for one policy (`clockpilot autoscaler evaluate --json`). */
export const ZEvaluationFigures = z.object({
  sloViolationMinutes: z.number(),
  unservedRequests: z.number(),
  /** Percent of the requests. */
  unservedDemandRatio: z.number(),
  serverMinutes: z.number(),
  oracleServerMinutes: z.number(),
  serverMinutesVsOracle: z.number(),
  /** θ_U, θ_O, τ_U, τ_O in percent. */
  underProvisioningAccuracy: z.number(),
  overProvisioningAccuracy: z.number(),
  underProvisioningTimeshare: z.number(),
  overProvisioningTimeshare: z.number(),
  averageMissingServers: z.number(),
  averageSurplusServers: z.number(),
  /** k = k_U + k_D in percent. */
  instability: z.number(),
  jitterPerHour: z.number(),
  scalingActions: z.number(),
  scalingActionsPerHour: z.number(),
  serversMovedPerHour: z.number(),
  /** Percent of the footprint. */
  relativeSlack: z.number(),
  overloadEpisodesPerServerDay: z.number(),
  timeToRecoverMeanSeconds: z.number(),
  timeToRecoverMaxSeconds: z.number(),
  /** σ of the five percentages. */
  deviation: z.number(),
  elapsedMs: z.number(),
});
export type TEvaluationFigures = z.infer<typeof ZEvaluationFigures>;

export const EVALUATION_POLICIES = ['hpa', 'predictive'] as const;
export type TEvaluationPolicy = (typeof EVALUATION_POLICIES)[number];

export const ZEvaluationResult = z.object({
  trace: z.object({
    steps: z.number().int(),
    stepSeconds: z.number(),
    requests: z.number(),
    gapSteps: z.number().int(),
    zeroSteps: z.number().int(),
    peakRps: z.number(),
  }),
  settings: z.object({
    serverRps: z.number(),
    bootSeconds: z.number(),
    syncSeconds: z.number(),
    warmupSeconds: z.number(),
    hpaTargetUtilization: z.number(),
    minServers: z.number().int(),
    maxServers: z.number().int(),
  }),
  policies: z.object({ hpa: ZEvaluationFigures.optional(), predictive: ZEvaluationFigures.optional() }),
  /** Predictive / HPA with both policies; a ratio is null when the HPA's figure is 0 and predictive's is not. */
  comparison: z
    .object({
      sloViolationMinutesRatio: z.number().nullable(),
      serverMinutesRatio: z.number().nullable(),
      /** At most 0.7 × the HPA's SLO-violation minutes with at most 1.0 × its server-minutes. */
      goalMet: z.boolean(),
    })
    .nullable(),
  /** Demand and servers averaged per point (at most 400 points), after the warm-up. */
  chart: z.object({
    secondsPerPoint: z.number(),
    demand: z.array(z.number()),
    series: z.array(
      z.object({
        policy: z.enum(EVALUATION_POLICIES),
        ready: z.array(z.number()),
        billed: z.array(z.number()),
      }),
    ),
  }),
});
export type TEvaluationResult = z.infer<typeof ZEvaluationResult>;

export const EVALUATION_STATUSES = ['running', 'succeeded', 'failed'] as const;

export const ZEvaluation = z.object({
  id: ZId,
  status: z.enum(EVALUATION_STATUSES),
  fileName: ZString,
  options: ZEvaluationOptions,
  /** Simulated ticks replayed, over all policies. */
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  createdAt: ZIsoDateTime,
  finishedAt: ZIsoDateTime.nullable(),
  /** Why a failed evaluation failed. */
  error: ZString.nullable(),
  result: ZEvaluationResult.nullable(),
});
export type TEvaluation = z.infer<typeof ZEvaluation>;
export const ZEvaluationParams = z.object({ id: ZId });
