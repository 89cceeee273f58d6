import type { TDecideCase } from '@clockpilot/contracts';
import { reconcileKeda } from './keda';
import {
  behaviorRate,
  clampNoBehavior,
  type Rules,
  scaleDownLimit,
  scaleUpLimit,
  stabilize,
  stabilizeWithBehavior,
  storeScaleEvent,
} from './normalize';
import { reconcile } from './reconcile';
import { proposeForMetric, tolerancesOf } from './replica-calc';

/**
 * `clockpilot autoscaler decide`: one parsed case of DECIDE-INPUT.md in, its answer out. Pure: the
 * same case always gives the same answer.
 */
export function decide(c: TDecideCase): Record<string, unknown> {
  switch (c.kind) {
    case 'reconcile':
      return c.inputs.keda ? reconcileKeda(c.inputs) : reconcile(c.inputs);
    case 'replicaCalc': {
      const i = c.inputs;
      const p = proposeForMetric(i.metric, i.pods, {
        currentReplicas: i.currentReplicas,
        statusReplicas: i.statusReplicas ?? i.currentReplicas,
        tolerance: tolerancesOf(i.tolerance),
        cpuInitializationPeriodSeconds: i.cpuInitializationPeriodSeconds,
        delayOfInitialReadinessStatusSeconds: i.delayOfInitialReadinessStatusSeconds,
      });
      return p;
    }
    case 'stabilize': {
      const i = c.inputs;
      const s = stabilize(i.prenormalizedDesiredReplicas, i.recommendations, i.windowSeconds);
      return { stabilizedReplicas: s.stabilized, recommendationsLengthAfter: s.recommendations.length };
    }
    case 'stabilizeWithBehavior': {
      const i = c.inputs;
      const s = stabilizeWithBehavior(
        i.currentReplicas,
        i.prenormalizedDesiredReplicas,
        i.recommendations,
        i.scaleUpStabilizationWindowSeconds,
        i.scaleDownStabilizationWindowSeconds,
      );
      return {
        stabilizedReplicas: s.stabilized,
        recommendationsAfter: s.recommendations.map((r) => r.replicas),
      };
    }
    case 'behaviorRate': {
      const i = c.inputs;
      return behaviorRate(
        i.currentReplicas,
        i.desiredReplicas,
        i.minReplicas,
        i.maxReplicas,
        i.scaleUp as Rules,
        i.scaleDown as Rules,
        i.scaleUpEvents,
        i.scaleDownEvents,
      );
    }
    case 'scaleUpLimit':
    case 'scaleDownLimit': {
      const i = c.inputs;
      const fn = c.kind === 'scaleUpLimit' ? scaleUpLimit : scaleDownLimit;
      return { limit: fn(i.currentReplicas, i.scaleUpEvents, i.scaleDownEvents, i.rules as Rules) };
    }
    case 'clampNoBehavior': {
      const i = c.inputs;
      return clampNoBehavior(
        i.currentReplicas,
        i.desiredReplicas,
        i.minReplicas,
        i.maxReplicas,
        i.scaleUpLimitFactor,
        i.scaleUpLimitMinimum,
      );
    }
    case 'storeScaleEvent': {
      const i = c.inputs;
      const change = Math.abs(i.newReplicas - i.prevReplicas);
      const events = storeScaleEvent(i.events, change, i.rules as Rules | null);
      // Measured on the history as it was before this event, as upstream's TestStoreScaleEvents does.
      return {
        replicaChangeWithin60sBefore: i.events.reduce((s, e) => (e.ageSeconds < 60 ? s + e.change : s), 0),
        eventsAfter: events.map((e) => ({ change: e.change, outdated: e.outdated })),
      };
    }
  }
}

/** The fields DECIDE-INPUT.md lists for each kind's answer (replicaCalc may answer `error` instead). */
const LISTED: Record<TDecideCase['kind'], string[]> = {
  reconcile: ['desiredReplicas', 'rescale'],
  replicaCalc: ['replicas', 'usage', 'error'],
  stabilize: ['stabilizedReplicas', 'recommendationsLengthAfter'],
  stabilizeWithBehavior: ['stabilizedReplicas', 'recommendationsAfter'],
  behaviorRate: ['replicas', 'condition'],
  scaleUpLimit: ['limit'],
  scaleDownLimit: ['limit'],
  clampNoBehavior: ['replicas', 'condition'],
  storeScaleEvent: ['replicaChangeWithin60sBefore', 'eventsAfter'],
};

/**
 * The answer as DECIDE-INPUT.md shows it: only the listed fields, so a case's answer compares equal to
 * the reference's. The engine's explanation (proposals, conditions, reason, the history after) is
 * what `decide` gives in full.
 */
export function listedAnswer(c: TDecideCase, answer: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(LISTED[c.kind].filter((k) => k in answer).map((k) => [k, answer[k]]));
}
