import type { TReconcileInputs } from '@clockpilot/contracts';
import {
  behaviorRate,
  type Condition,
  clampNoBehavior,
  type Recommendation,
  resolveRules,
  type ScaleEvent,
  stabilize,
  stabilizeWithBehavior,
  storeScaleEvent,
} from './normalize';
import { type CalcSettings, type Proposal, proposeForMetric } from './replica-calc';

/**
 * One sync of the Kubernetes HPA controller (horizontal.go `reconcileAutoscaler`) as a pure function:
 * the state it keeps between syncs (recommendations, scale events) comes in with ages and goes out
 * with the new entries at age 0, for the caller to age and pass back on the next sync.
 */

export type HpaConditions = {
  AbleToScale: { status: boolean; reason: string };
  ScalingActive: { status: boolean; reason: string };
  ScalingLimited: { status: boolean; reason: Condition | 'ScalingDisabled' };
};

export type ReconcileResult = {
  desiredReplicas: number;
  rescale: boolean;
  /** The combined metric proposal before stabilization and limits, when metrics were read. */
  metricReplicas: number | null;
  conditions: HpaConditions;
  reason: string;
  proposals: ({ metric: number } & Proposal)[];
  recommendations: Recommendation[];
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
  error?: string;
};

export function reconcile(input: TReconcileInputs): ReconcileResult {
  const C = input.specReplicas;
  const min = input.minReplicas;
  const max = input.maxReplicas;
  const ctl = input.controller;
  const recs = input.recommendations ?? [{ replicas: C, ageSeconds: 0 }];
  const state = {
    recommendations: recs,
    scaleUpEvents: input.scaleUpEvents,
    scaleDownEvents: input.scaleDownEvents,
  };
  const base = {
    metricReplicas: null,
    proposals: [],
    ...state,
  };
  const conditions = (limited: HpaConditions['ScalingLimited']['reason']): HpaConditions => ({
    AbleToScale: { status: true, reason: 'ReadyForNewScale' },
    ScalingActive: { status: true, reason: 'ValidMetricFound' },
    ScalingLimited: { status: limited !== 'DesiredWithinRange', reason: limited },
  });

  if (C === 0 && min !== 0) {
    return {
      ...base,
      desiredReplicas: 0,
      rescale: false,
      reason: 'scaling is disabled: the target has 0 servers and a minimum above 0',
      conditions: {
        ...conditions('ScalingDisabled'),
        ScalingActive: { status: false, reason: 'ScalingDisabled' },
      },
    };
  }
  const upRules = input.behavior
    ? resolveRules(input.behavior.scaleUp, 'up', ctl.downscaleStabilizationWindowSeconds)
    : null;
  const downRules = input.behavior
    ? resolveRules(input.behavior.scaleDown, 'down', ctl.downscaleStabilizationWindowSeconds)
    : null;
  // Brought within the bounds at once; with a behavior the change is a scale event like any other.
  if (C > max) {
    return {
      ...base,
      scaleDownEvents: downRules
        ? storeScaleEvent(state.scaleDownEvents, C - max, downRules)
        : state.scaleDownEvents,
      desiredReplicas: max,
      rescale: true,
      reason: `${C} servers are above the maximum ${max}`,
      conditions: conditions('TooManyReplicas'),
    };
  }
  if (C < min) {
    return {
      ...base,
      scaleUpEvents: upRules ? storeScaleEvent(state.scaleUpEvents, min - C, upRules) : state.scaleUpEvents,
      desiredReplicas: min,
      rescale: true,
      reason: `${C} servers are below the minimum ${min}`,
      conditions: conditions('TooFewReplicas'),
    };
  }

  const settings: CalcSettings = {
    currentReplicas: C,
    statusReplicas: input.statusReplicas ?? C,
    tolerance: {
      scaleUp: upRules?.tolerance ?? ctl.tolerance,
      scaleDown: downRules?.tolerance ?? ctl.tolerance,
    },
    cpuInitializationPeriodSeconds: ctl.cpuInitializationPeriodSeconds,
    delayOfInitialReadinessStatusSeconds: ctl.delayOfInitialReadinessStatusSeconds,
  };

  // Section 3: the largest proposal; never scale down on partial data.
  const proposals: ReconcileResult['proposals'] = [];
  let D: number | undefined;
  let errors = 0;
  let firstError: { error: string; type: string } | undefined;
  for (const [metric, m] of input.metrics.entries()) {
    const p = { metric, ...proposeForMetric(m, input.pods, settings) };
    proposals.push(p);
    if ('error' in p) {
      errors++;
      firstError ??= { error: p.error, type: m.type };
    } else if (D === undefined || p.replicas > D) D = p.replicas;
  }
  if (D === undefined || (errors > 0 && D < C)) {
    const failed = firstError as { error: string; type: string };
    const error = D === undefined ? failed.error : `${failed.error}; not scaling down on partial metrics`;
    return {
      ...base,
      proposals,
      desiredReplicas: C,
      rescale: false,
      reason: `no change: ${error}`,
      error,
      conditions: {
        ...conditions('DesiredWithinRange'),
        // Upstream reports the first failing metric's type, e.g. FailedGetExternalMetric.
        ScalingActive: { status: false, reason: `FailedGet${failed.type}Metric` },
      },
    };
  }

  let stabilized: number;
  let limited: { replicas: number; condition: Condition };
  let recommendations: Recommendation[];
  let stabilizedReason: string;
  if (!upRules || !downRules) {
    const window = ctl.downscaleStabilizationWindowSeconds;
    ({ stabilized, recommendations } = stabilize(D, recs, window));
    stabilizedReason = 'ScaleDownStabilized';
    limited = clampNoBehavior(C, stabilized, min, max, ctl.scaleUpLimitFactor, ctl.scaleUpLimitMinimum);
  } else {
    const s = stabilizeWithBehavior(
      C,
      D,
      recs,
      upRules.stabilizationWindowSeconds ?? 0,
      downRules.stabilizationWindowSeconds ?? ctl.downscaleStabilizationWindowSeconds,
    );
    ({ stabilized, recommendations } = s);
    stabilizedReason = s.direction === 'up' ? 'ScaleUpStabilized' : 'ScaleDownStabilized';
    limited = behaviorRate(
      C,
      stabilized,
      min,
      max,
      upRules,
      downRules,
      input.scaleUpEvents,
      input.scaleDownEvents,
    );
  }

  const desired = limited.replicas;
  const rescale = desired !== C;
  let { scaleUpEvents, scaleDownEvents } = state;
  if (rescale && upRules && downRules) {
    if (desired > C) scaleUpEvents = storeScaleEvent(scaleUpEvents, desired - C, upRules);
    else scaleDownEvents = storeScaleEvent(scaleDownEvents, C - desired, downRules);
  }
  const why = proposals
    .map((p) =>
      'error' in p ? `metric ${p.metric}: ${p.error}` : `metric ${p.metric}: ${p.replicas} (${p.reason})`,
    )
    .join('; ');
  const steps = [`metrics propose ${D} [${why}]`];
  if (stabilized !== D) steps.push(`stabilized to ${stabilized} (${stabilizedReason})`);
  if (limited.condition !== 'DesiredWithinRange') steps.push(`limited to ${desired} (${limited.condition})`);
  return {
    desiredReplicas: desired,
    rescale,
    metricReplicas: D,
    proposals,
    recommendations,
    scaleUpEvents,
    scaleDownEvents,
    reason: steps.join(', '),
    conditions: {
      ...conditions(limited.condition),
      AbleToScale: { status: true, reason: stabilized !== D ? stabilizedReason : 'ReadyForNewScale' },
    },
  };
}
