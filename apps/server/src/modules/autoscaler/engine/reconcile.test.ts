import { describe, expect, it } from 'vitest';
import { cpu, external, pods, podsMetric, type Row, rec, run } from '../../../../test/factories/autoscaler';

// Whole syncs (HPA-ALGORITHM.md sections 1–5, modelled on horizontal_test.go) and KEDA's loop (section 8).
const sync = (specReplicas: number, metrics: unknown[], extra: Record<string, unknown> = {}) => ({
  specReplicas,
  minReplicas: 1,
  maxReplicas: 20,
  pods: pods(specReplicas),
  metrics,
  recommendations: [],
  ...extra,
});
const cpuAt = (n: number, milli: number, target = 50) => cpu(target, Array(n).fill(milli));
const avg = (averageValueMilli: number, values: number[]) =>
  external({ type: 'AverageValue', averageValueMilli }, values);
const keda = (o: Record<string, unknown>) => ({ minReplicaCount: 0, cooldownPeriodSeconds: 300, ...o });

const rows: Row[] = [
  {
    name: 'the documented example: the 9 of 200 s ago holds a scale down to 4',
    kind: 'reconcile',
    inputs: sync(10, [cpuAt(10, 200)], {
      behavior: { scaleUp: null, scaleDown: null },
      recommendations: [rec(10, 301), rec(9, 200)],
    }),
    expected: { desiredReplicas: 9, rescale: true, metricReplicas: 4 },
  },
  {
    name: 'no servers and a minimum of 1: scaling is disabled',
    kind: 'reconcile',
    inputs: sync(0, [cpuAt(0, 0)]),
    expected: {
      desiredReplicas: 0,
      rescale: false,
      conditions: { ScalingActive: { status: false, reason: 'ScalingDisabled' } },
    },
  },
  {
    name: 'above the maximum: straight to it, metrics unread',
    kind: 'reconcile',
    inputs: sync(25, [{ ...cpuAt(25, 0), fetchError: true }]),
    expected: { desiredReplicas: 20, rescale: true },
  },
  {
    name: 'below the minimum: straight to it',
    kind: 'reconcile',
    inputs: sync(1, [cpuAt(1, 0)], { minReplicas: 3 }),
    expected: { desiredReplicas: 3, rescale: true, scaleUpEvents: [] },
  },
  {
    // The controller stores a scale event for every rescale when the HPA has a behavior.
    name: 'with a behavior, the move into the bounds is a scale event',
    kind: 'reconcile',
    inputs: sync(25, [cpuAt(25, 0)], { behavior: { scaleUp: null, scaleDown: null } }),
    expected: { desiredReplicas: 20, rescale: true, scaleDownEvents: [{ change: 5, ageSeconds: 0 }] },
  },
  {
    name: 'with a behavior, the move up to the minimum too',
    kind: 'reconcile',
    inputs: sync(1, [cpuAt(1, 0)], { minReplicas: 3, behavior: { scaleUp: null, scaleDown: null } }),
    expected: { desiredReplicas: 3, rescale: true, scaleUpEvents: [{ change: 2, ageSeconds: 0 }] },
  },
  {
    name: 'a fresh HPA records the current count and cannot scale down yet',
    kind: 'reconcile',
    inputs: sync(10, [cpuAt(10, 200)], { recommendations: null }),
    expected: { desiredReplicas: 10, rescale: false, metricReplicas: 4 },
  },
  {
    name: 'without a history entry in the window the scale down goes to 4 at once',
    kind: 'reconcile',
    inputs: sync(10, [cpuAt(10, 200)], { recommendations: [rec(10, 400)] }),
    expected: {
      desiredReplicas: 4,
      rescale: true,
      conditions: { ScalingLimited: { status: false, reason: 'DesiredWithinRange' } },
    },
  },
  {
    name: 'several metrics: the largest proposal wins (CPU 5, Pods 7)',
    kind: 'reconcile',
    inputs: sync(4, [cpuAt(4, 600), podsMetric(1000, [1750, 1750, 1750, 1750])]),
    expected: { desiredReplicas: 7, metricReplicas: 7 },
  },
  {
    name: 'one metric fails, the other scales up: proceed',
    kind: 'reconcile',
    inputs: sync(4, [{ ...cpuAt(4, 0), fetchError: true }, podsMetric(1000, [1500, 1500, 1500, 1500])]),
    expected: { desiredReplicas: 6, rescale: true },
  },
  {
    name: 'one metric fails, the other scales down: no change on partial data',
    kind: 'reconcile',
    inputs: sync(4, [{ ...cpuAt(4, 0), fetchError: true }, podsMetric(1000, [100, 100, 100, 100])]),
    expected: { desiredReplicas: 4, rescale: false, error: expect.any(String) },
  },
  {
    name: 'every metric fails: no change, ScalingActive false',
    kind: 'reconcile',
    inputs: sync(4, [{ ...cpuAt(4, 900), fetchError: true }]),
    expected: { desiredReplicas: 4, rescale: false, conditions: { ScalingActive: { status: false } } },
  },
  {
    name: 'without behavior the scale up is capped at max(2 × 3, 4) = 6',
    kind: 'reconcile',
    inputs: sync(3, [cpuAt(3, 1000, 10)]),
    expected: {
      desiredReplicas: 6,
      conditions: { ScalingLimited: { status: true, reason: 'ScaleUpLimit' } },
    },
  },
  {
    name: 'default behavior caps a scale up from 2 at max(2 + 4, 2 × 2) = 6 and records the event',
    kind: 'reconcile',
    inputs: sync(2, [external({ type: 'Value', valueMilli: 1000 }, [10000])], {
      behavior: { scaleUp: null, scaleDown: null },
    }),
    expected: { desiredReplicas: 6, scaleUpEvents: [{ change: 4, ageSeconds: 0, outdated: false }] },
  },
  {
    name: 'without behavior no scale event is recorded',
    kind: 'reconcile',
    inputs: sync(2, [external({ type: 'Value', valueMilli: 1000 }, [5000])]),
    expected: { desiredReplicas: 4, scaleUpEvents: [] },
  },
  {
    name: 'without behavior a scale down reaches the minimum in one sync',
    kind: 'reconcile',
    inputs: sync(10, [cpuAt(10, 10)], { minReplicas: 2, recommendations: [rec(10, 300)] }),
    expected: { desiredReplicas: 2, conditions: { ScalingLimited: { reason: 'TooFewReplicas' } } },
  },
  {
    name: 'behavior limits a scale down to 1 server per minute',
    kind: 'reconcile',
    inputs: sync(10, [cpuAt(10, 10)], {
      behavior: {
        scaleUp: null,
        scaleDown: {
          stabilizationWindowSeconds: 0,
          policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
        },
      },
    }),
    expected: { desiredReplicas: 9, conditions: { ScalingLimited: { reason: 'ScaleDownLimit' } } },
  },
  {
    name: 'minimum 0 and no servers: an External value scales from zero to ceil(2.5) = 3',
    kind: 'reconcile',
    inputs: sync(0, [external({ type: 'Value', valueMilli: 1000 }, [2500])], { minReplicas: 0 }),
    expected: { desiredReplicas: 3, rescale: true },
  },
  {
    name: 'a per-direction tolerance in behavior widens the band',
    kind: 'reconcile',
    inputs: sync(1, [external({ type: 'Value', valueMilli: 1000 }, [1400])], {
      behavior: { scaleUp: { tolerance: 0.5 }, scaleDown: null },
    }),
    expected: { desiredReplicas: 1, rescale: false },
  },
  {
    name: 'the controller tolerance applies without behavior',
    kind: 'reconcile',
    inputs: sync(1, [external({ type: 'Value', valueMilli: 1000 }, [1400])], {
      controller: { tolerance: 0.5 },
    }),
    expected: { desiredReplicas: 1, rescale: false },
  },
  {
    name: 'the recommendation is recorded unclamped: ratio 100 × 10 servers = 1000',
    kind: 'reconcile',
    inputs: sync(10, [external({ type: 'Value', valueMilli: 1000 }, [100000])], { maxReplicas: 20 }),
    expected: { desiredReplicas: 20, recommendations: [{ replicas: 1000, ageSeconds: 0 }] },
  },
  // KEDA
  {
    name: 'KEDA: activation wins over the HPA (40 < activation 50, cooldown over) → 0',
    kind: 'reconcile',
    inputs: sync(2, [{ ...avg(10000, [40000]), activationMilli: 50000 }], {
      keda: keda({ lastActiveAgeSeconds: 400 }),
    }),
    expected: { desiredReplicas: 0, active: false },
  },
  {
    name: 'KEDA: inactive within the cooldown, the HPA keeps deciding (40/(10 × 2) → 4)',
    kind: 'reconcile',
    inputs: sync(2, [{ ...avg(10000, [40000]), activationMilli: 50000 }], {
      keda: keda({ lastActiveAgeSeconds: 100 }),
    }),
    expected: { desiredReplicas: 4, active: false },
  },
  {
    name: 'KEDA: an active trigger scales from zero to 1',
    kind: 'reconcile',
    inputs: sync(0, [avg(10000, [100])], { minReplicas: 0, keda: keda({}) }),
    expected: { desiredReplicas: 1, active: true, lastActiveAgeSeconds: 0 },
  },
  {
    name: 'KEDA: minReplicaCount 2 is always active and scales from zero to 2',
    kind: 'reconcile',
    inputs: sync(0, [avg(10000, [0])], { minReplicas: 0, keda: keda({ minReplicaCount: 2 }) }),
    expected: { desiredReplicas: 2, active: true },
  },
  {
    name: 'KEDA: the 4th consecutive failure over a threshold of 3 uses the fallback 6',
    kind: 'reconcile',
    inputs: sync(4, [{ ...avg(10000, []), fetchError: true }], {
      keda: keda({ failureCounts: [3], fallback: { failureThreshold: 3, replicas: 6 } }),
    }),
    expected: { desiredReplicas: 6, fallbackUsed: true, failureCounts: [4] },
  },
  {
    name: 'KEDA: the 3rd failure is an error: no change, no scale to zero',
    kind: 'reconcile',
    inputs: sync(4, [{ ...avg(10000, []), fetchError: true }], {
      keda: keda({
        failureCounts: [2],
        lastActiveAgeSeconds: 900,
        fallback: { failureThreshold: 3, replicas: 6 },
      }),
    }),
    expected: { desiredReplicas: 4, rescale: false, fallbackUsed: false },
  },
  {
    name: 'KEDA: currentReplicasIfHigher keeps 8 over a fallback of 6',
    kind: 'reconcile',
    inputs: sync(8, [{ ...avg(10000, []), fetchError: true }], {
      keda: keda({
        failureCounts: [5],
        fallback: { failureThreshold: 3, replicas: 6, behavior: 'currentReplicasIfHigher' },
      }),
    }),
    expected: { desiredReplicas: 8, rescale: false, fallbackUsed: true },
  },
  {
    name: 'KEDA: a success resets the failure count',
    kind: 'reconcile',
    inputs: sync(2, [avg(10000, [20000])], { keda: keda({ failureCounts: [7] }) }),
    expected: { failureCounts: [0], desiredReplicas: 2 },
  },
];

describe('one sync (HPA-ALGORITHM.md sections 1–5 and 8)', () => {
  it.each(rows)('$name', ({ kind, inputs, expected }) => {
    expect(run(kind, inputs)).toMatchObject(expected);
  });
});
