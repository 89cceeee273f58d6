import { z } from 'zod';
import { ZString } from './common';
import { SIM_MAX_CAPACITY_RPS } from './simulator';

/**
 * One autoscaler decision as JSON (`clockpilot autoscaler decide`): the inputs of the HPA-compatible
 * engine, one shape per step of the Kubernetes controller. Times are ages in seconds before the
 * decision; values ending in `Milli` are milli-units.
 */
const count = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);
const age = z.number().min(0);
const milli = z.number().min(0);

export const ZHpaPod = z.strictObject({
  phase: z.enum(['Running', 'Pending', 'Failed']),
  /** false = has never been ready since it started (or, with `timing`, not ready now). */
  ready: z.boolean(),
  deleting: z.boolean().default(false),
  /** Still in the CPU initialization period without a clean sample (ignored when `timing` is given). */
  hotCpu: z.boolean().default(false),
  requestMilli: milli.nullable().default(null),
  /** Raw times, for classifying CPU readiness from the controller's periods instead of `hotCpu`. */
  timing: z
    .strictObject({
      startedAgeSeconds: age,
      readyTransitionAgeSeconds: age,
      sampleAgeSeconds: age,
      sampleWindowSeconds: age.default(60),
    })
    .optional(),
});
export type THpaPod = z.infer<typeof ZHpaPod>;

export const ZMetricTarget = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('Utilization'), averageUtilization: z.number().int().min(1) }),
  z.strictObject({ type: z.literal('AverageValue'), averageValueMilli: z.number().positive() }),
  z.strictObject({ type: z.literal('Value'), valueMilli: z.number().positive() }),
]);

export const ZHpaMetric = z.strictObject({
  type: z.enum(['Resource', 'ContainerResource', 'Pods', 'Object', 'External']),
  resource: ZString.min(1).optional(),
  target: ZMetricTarget,
  podValuesMilli: z.array(milli.nullable()).optional(),
  valueMilli: milli.optional(),
  valuesMilli: z.array(milli).optional(),
  fetchError: z.boolean().optional(),
  /** KEDA: the trigger is active iff its value is above this (default 0). */
  activationMilli: milli.optional(),
});
export type THpaMetric = z.infer<typeof ZHpaMetric>;

export const ZTolerance = z.union([
  z.number().min(0),
  z.strictObject({ scaleUp: z.number().min(0), scaleDown: z.number().min(0) }),
]);

export const ZScalingPolicy = z.strictObject({
  type: z.enum(['Pods', 'Percent']),
  /** An int32, as Kubernetes keeps it. */
  value: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1),
  periodSeconds: z.number().int().min(1).max(1800),
});
export type TScalingPolicy = z.infer<typeof ZScalingPolicy>;

export const ZScalingRules = z.strictObject({
  stabilizationWindowSeconds: z.number().int().min(0).max(3600).nullable().optional(),
  selectPolicy: z.enum(['Max', 'Min', 'Disabled']).optional(),
  /** A handful in practice; the bound keeps a stored behavior small. */
  policies: z.array(ZScalingPolicy).max(100).optional(),
  tolerance: z.number().min(0).optional(),
});
export type TScalingRules = z.infer<typeof ZScalingRules>;

export const ZBehavior = z.strictObject({
  scaleUp: ZScalingRules.nullable().default(null),
  scaleDown: ZScalingRules.nullable().default(null),
});
export type TBehavior = z.infer<typeof ZBehavior>;

/**
 * What Kubernetes fills in for a direction a `behavior` leaves out (HPA-ALGORITHM.md §5.1). Scale-down's
 * window is null: the controller's `--horizontal-pod-autoscaler-downscale-stabilization` (300 s).
 */
export const HPA_DEFAULT_RULES = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  },
  scaleDown: {
    stabilizationWindowSeconds: null,
    selectPolicy: 'Max',
    policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  },
} as const satisfies Record<'scaleUp' | 'scaleDown', TScalingRules>;

/**
 * KEDA's `fallback`: after more than `failureThreshold` consecutive failed reads a metric reports
 * `target × fallback replicas`, where the fallback count is `replicas` (`static`), the current count,
 * or the larger or smaller of the two.
 */
export const ZKedaFallback = z.strictObject({
  failureThreshold: z.number().int().min(0).max(10_000),
  replicas: count,
  behavior: z
    .enum(['static', 'currentReplicas', 'currentReplicasIfHigher', 'currentReplicasIfLower'])
    .default('static'),
});
export type TKedaFallback = z.infer<typeof ZKedaFallback>;

export const ZRecommendation = z.strictObject({ replicas: count, ageSeconds: age });
export const ZScaleEvent = z.strictObject({
  change: count,
  ageSeconds: age,
  outdated: z.boolean().default(false),
});
export type TScaleEvent = z.infer<typeof ZScaleEvent>;

export const ZControllerSettings = z.strictObject({
  tolerance: z.number().min(0).default(0.1),
  downscaleStabilizationWindowSeconds: z.number().min(0).default(300),
  scaleUpLimitFactor: z.number().positive().default(2),
  scaleUpLimitMinimum: z.number().min(0).default(4),
  cpuInitializationPeriodSeconds: age.default(300),
  delayOfInitialReadinessStatusSeconds: age.default(30),
});
const controller = ZControllerSettings.default(ZControllerSettings.parse({}));

/** Fully resolved rules (defaults filled in), as the rate limits take them. */
const ZResolvedRules = z.strictObject({
  stabilizationWindowSeconds: z.number().int().min(0).nullable().default(0),
  selectPolicy: z.enum(['Max', 'Min', 'Disabled']).default('Max'),
  policies: z.array(ZScalingPolicy).default([]),
  tolerance: z.number().min(0).optional(),
});

export const ZReconcileInputs = z.strictObject({
  specReplicas: count,
  statusReplicas: count.optional(),
  minReplicas: count.default(1),
  maxReplicas: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1),
  pods: z.array(ZHpaPod).default([]),
  metrics: z.array(ZHpaMetric).min(1),
  behavior: ZBehavior.nullable().default(null),
  recommendations: z.array(ZRecommendation).nullable().default(null),
  scaleUpEvents: z.array(ZScaleEvent).default([]),
  scaleDownEvents: z.array(ZScaleEvent).default([]),
  controller,
  /** KEDA's loop on top of the HPA: activation, scale to and from zero, fallback. */
  keda: z
    .strictObject({
      minReplicaCount: count.default(0),
      idleReplicaCount: count.optional(),
      cooldownPeriodSeconds: age.default(300),
      /** Seconds since a trigger was last active; null = never. */
      lastActiveAgeSeconds: age.nullable().default(null),
      /** Consecutive failed reads per metric before this decision. */
      failureCounts: z.array(count).default([]),
      fallback: ZKedaFallback.optional(),
    })
    .optional(),
});
export type TReconcileInputs = z.infer<typeof ZReconcileInputs>;

const ZLimitInputs = z.strictObject({
  currentReplicas: count,
  scaleUpEvents: z.array(ZScaleEvent).default([]),
  scaleDownEvents: z.array(ZScaleEvent).default([]),
  rules: ZResolvedRules,
});

export const ZDecideCase = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('reconcile'), inputs: ZReconcileInputs }),
  z.strictObject({
    kind: z.literal('replicaCalc'),
    inputs: z.strictObject({
      currentReplicas: count,
      statusReplicas: count.optional(),
      tolerance: ZTolerance.default(0.1),
      pods: z.array(ZHpaPod).default([]),
      metric: ZHpaMetric,
      cpuInitializationPeriodSeconds: age.default(300),
      delayOfInitialReadinessStatusSeconds: age.default(30),
    }),
  }),
  z.strictObject({
    kind: z.literal('stabilize'),
    inputs: z.strictObject({
      prenormalizedDesiredReplicas: count,
      recommendations: z.array(ZRecommendation),
      windowSeconds: age.default(300),
    }),
  }),
  z.strictObject({
    kind: z.literal('stabilizeWithBehavior'),
    inputs: z.strictObject({
      currentReplicas: count,
      prenormalizedDesiredReplicas: count,
      recommendations: z.array(ZRecommendation),
      scaleUpStabilizationWindowSeconds: age,
      scaleDownStabilizationWindowSeconds: age,
    }),
  }),
  z.strictObject({
    kind: z.literal('behaviorRate'),
    inputs: z.strictObject({
      currentReplicas: count,
      desiredReplicas: count,
      minReplicas: count.default(1),
      maxReplicas: count,
      scaleUp: ZResolvedRules,
      scaleDown: ZResolvedRules,
      scaleUpEvents: z.array(ZScaleEvent).default([]),
      scaleDownEvents: z.array(ZScaleEvent).default([]),
    }),
  }),
  z.strictObject({ kind: z.literal('scaleUpLimit'), inputs: ZLimitInputs }),
  z.strictObject({ kind: z.literal('scaleDownLimit'), inputs: ZLimitInputs }),
  z.strictObject({
    kind: z.literal('clampNoBehavior'),
    inputs: z.strictObject({
      currentReplicas: count,
      desiredReplicas: count,
      minReplicas: count.default(1),
      maxReplicas: count,
      scaleUpLimitFactor: z.number().positive().default(2),
      scaleUpLimitMinimum: z.number().min(0).default(4),
    }),
  }),
  z.strictObject({
    kind: z.literal('storeScaleEvent'),
    inputs: z.strictObject({
      direction: z.enum(['up', 'down']),
      prevReplicas: count,
      newReplicas: count,
      rules: ZResolvedRules.nullable(),
      events: z.array(ZScaleEvent).default([]),
    }),
  }),
]);
export type TDecideCase = z.infer<typeof ZDecideCase>;

/** Several cases at once, answered in the same order. */
export const ZDecideCases = z.array(ZDecideCase);

/** `clockpilot autoscaler evaluate`: replaying a trace through the policies. */
export const ZEvaluateOptions = z.strictObject({
  trace: ZString.min(1),
  policy: z.enum(['hpa', 'predictive', 'both']).default('both'),
  /** Requests per second one server serves within the SLO; default: the trace's peak needs 100 servers. */
  serverRps: z.coerce.number().positive().max(SIM_MAX_CAPACITY_RPS).optional(),
  bootSeconds: z.coerce.number().min(0).max(3600).default(60),
  drainSeconds: z.coerce.number().min(0).max(3600).default(0),
  syncSeconds: z.coerce.number().min(1).max(600).default(15),
  warmupSeconds: z.coerce.number().min(0).default(300),
  hpaTarget: z.coerce.number().int().min(1).max(100).default(70),
  floorTarget: z.coerce.number().int().min(1).max(100).default(90),
  /** Share of ticks the predictive mode provisions for; unset: the coverage worth its servers. */
  coverage: z.coerce.number().gt(0).lt(1).optional(),
  minServers: z.coerce.number().int().min(0).default(1),
  maxServers: z.coerce.number().int().min(1).optional(),
  json: ZString.min(1).optional(),
  chart: ZString.min(1).optional(),
});
export type TEvaluateOptions = z.infer<typeof ZEvaluateOptions>;
