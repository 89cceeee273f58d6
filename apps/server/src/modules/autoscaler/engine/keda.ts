import type { THpaMetric, TKedaFallback, TReconcileInputs } from '@clockpilot/contracts';
import { type ReconcileResult, reconcile } from './reconcile';

/**
 * KEDA's loop on top of the HPA (section 8 of HPA-ALGORITHM.md): activation decides between zero
 * (or the idle count) and running, a cooldown delays scaling to zero, and after more than
 * `failureThreshold` consecutive failed reads a metric reports `target × fallback replicas`.
 */

export type KedaResult = ReconcileResult & {
  active: boolean;
  /** 0 when a trigger was active in this decision, else the input age (null = never active). */
  lastActiveAgeSeconds: number | null;
  failureCounts: number[];
  fallbackUsed: boolean;
};

const triggerValue = (m: THpaMetric): number | undefined => {
  if (m.type === 'Object') return m.valueMilli;
  if (m.type === 'External')
    return (m.valuesMilli ?? (m.valueMilli === undefined ? [] : [m.valueMilli])).reduce((a, b) => a + b, 0);
  const values = (m.podValuesMilli ?? []).filter((v): v is number => v !== null);
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
};

/** The count the fallback asks for, by its behavior. */
export function fallbackReplicas(current: number, fb: TKedaFallback) {
  switch (fb.behavior) {
    case 'currentReplicas':
      return current;
    case 'currentReplicasIfHigher':
      return Math.max(current, fb.replicas);
    case 'currentReplicasIfLower':
      return Math.min(current, fb.replicas);
    default:
      return fb.replicas;
  }
}

export function reconcileKeda(input: TReconcileInputs): KedaResult {
  const keda = input.keda;
  if (!keda) throw new Error('reconcileKeda needs the keda settings');
  const C = input.specReplicas;
  const failureCounts = input.metrics.map((m, i) => (m.fetchError ? (keda.failureCounts[i] ?? 0) + 1 : 0));
  let fallbackUsed = false;
  const metrics = input.metrics.map((m, i): THpaMetric => {
    const fb = keda.fallback;
    if (!m.fetchError || !fb || (failureCounts[i] ?? 0) <= fb.failureThreshold) return m;
    if (m.target.type !== 'AverageValue' || m.type === 'Resource' || m.type === 'ContainerResource') return m;
    fallbackUsed = true;
    // The synthetic value makes the HPA's AverageValue arithmetic land on the fallback count.
    const value = m.target.averageValueMilli * fallbackReplicas(C, fb);
    return { type: 'External', target: m.target, valuesMilli: [value] };
  });
  const anyError = metrics.some((m) => m.fetchError);
  const active =
    keda.minReplicaCount >= 1 ||
    metrics.some((m) => !m.fetchError && (triggerValue(m) ?? 0) > (m.activationMilli ?? 0));
  const lastActiveAgeSeconds = active ? 0 : keda.lastActiveAgeSeconds;
  const idle = keda.idleReplicaCount ?? 0;
  const hpaMin = Math.max(1, keda.minReplicaCount);
  const extra = { active, lastActiveAgeSeconds, failureCounts, fallbackUsed };
  const fixed = (desiredReplicas: number, reason: string): KedaResult => ({
    desiredReplicas,
    rescale: desiredReplicas !== C,
    metricReplicas: null,
    proposals: [],
    recommendations: input.recommendations ?? [{ replicas: C, ageSeconds: 0 }],
    scaleUpEvents: input.scaleUpEvents,
    scaleDownEvents: input.scaleDownEvents,
    reason,
    conditions: {
      AbleToScale: { status: true, reason: 'ReadyForNewScale' },
      ScalingActive: { status: active, reason: active ? 'ValidMetricFound' : 'ScalingDisabled' },
      ScalingLimited: { status: false, reason: 'DesiredWithinRange' },
    },
    ...extra,
  });

  if (active && C <= idle && C < hpaMin)
    return fixed(hpaMin, `a trigger is active: scaling from ${C} to ${hpaMin}`);
  if (!active && keda.minReplicaCount === 0 && !anyError) {
    if (C <= idle) return fixed(C, 'no trigger is active: staying idle');
    const age = keda.lastActiveAgeSeconds;
    if (age === null || age > keda.cooldownPeriodSeconds)
      return fixed(
        idle,
        `no trigger active for longer than the ${keda.cooldownPeriodSeconds} s cooldown: scaling to ${idle}`,
      );
  }
  if (C < keda.minReplicaCount)
    return fixed(keda.minReplicaCount, `below the minimum ${keda.minReplicaCount}`);
  // From 1 to N the HPA decides (its minimum is at least 1).
  const hpa = reconcile({
    ...input,
    metrics,
    minReplicas: Math.max(input.minReplicas, hpaMin),
    keda: undefined,
  });
  return { ...hpa, ...extra };
}
