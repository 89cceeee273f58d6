import { describe, expect, it } from 'vitest';
import {
  cpu,
  externalValue,
  UPSTREAM_LEVELS as levels,
  objectMetric,
  pod,
  pods,
  podsMetric,
  type Row,
  rec,
  run,
  upstreamSync,
  value,
  withRequests,
} from '../../../../test/factories/autoscaler';

// The whole-sync tests of Kubernetes' horizontal_test.go about limits and failures (min/max, zero
// replicas, the scale-up cap, stabilization, missing and failing metrics), named after their upstream
// test, with the upstream expected count. Upstream's invalid metric type (`CheddarCheese`) and failing
// metrics clients both make a metric error; here that is `fetchError`.
const hpa = upstreamSync;
const failing = (metric: Record<string, unknown>) => ({ ...metric, fetchError: true });
const skewed = withRequests(900, 1000, 1100);
const tenth = withRequests(100, 100, 100);
const capped = (max: number) => ({
  minReplicas: 1,
  maxReplicas: max,
  behavior: {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 700, periodSeconds: 60 }],
    },
    scaleDown: null,
  },
});
const unchanged = (n: number) => ({ desiredReplicas: n, rescale: false });
const limited = (n: number, reason: string) => ({
  desiredReplicas: n,
  conditions: { ScalingLimited: { status: true, reason } },
});
/** No change, and ScalingActive false with the reason upstream gives the first failing metric's type. */
const failedMetrics = (n: number, type: string) => ({
  ...unchanged(n),
  conditions: { ScalingActive: { status: false, reason: `FailedGet${type}Metric` } },
});
// Upstream's unknown metric type reports InvalidMetricSourceType; a failing read stands in for it here.
const invalidType = (n: number) => ({ ...unchanged(n), conditions: { ScalingActive: { status: false } } });
// TestComputedToleranceAlgImplementation: 150 m used per pod against requests around 300 m.
const jittered = withRequests(400, 200, 310, 290, 302, 298, 301, 299, 300, 300);
const tolerance = (target: number) =>
  hpa(10, jittered, [cpu(target, Array(10).fill(150))], {
    minReplicas: 0,
    maxReplicas: 1000,
    recommendations: [],
  });

const rows: Row[] = [
  // TestConfigurableTolerance (v1.33, per-HPA tolerance in behavior; its feature-gate-off case has no
  // counterpart here, the engine always honours the field).
  {
    name: 'TestConfigurableTolerance: scaling up because of a 1% configurable tolerance',
    kind: 'reconcile',
    inputs: hpa(3, skewed, [cpu(100, [1010, 1030, 1020])], {
      minReplicas: 1,
      maxReplicas: 5,
      behavior: { scaleUp: { tolerance: 0.01 }, scaleDown: null },
    }),
    expected: { desiredReplicas: 4 },
  },
  {
    name: 'TestConfigurableTolerance: no scale-down because of a 90% configurable tolerance',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [cpu(100, [300, 300, 300])], {
      minReplicas: 1,
      maxReplicas: 5,
      behavior: { scaleUp: null, scaleDown: { tolerance: 0.9 } },
    }),
    expected: unchanged(3),
  },
  {
    name: 'TestConfigurableTolerance: no scaling because of the large default tolerance',
    kind: 'reconcile',
    inputs: hpa(3, skewed, [cpu(100, [1010, 1030, 1020])], { minReplicas: 1, maxReplicas: 5 }),
    expected: unchanged(3),
  },
  {
    name: 'TestMinReplicas',
    kind: 'reconcile',
    inputs: hpa(3, skewed, [cpu(90, [10, 95, 10])], { maxReplicas: 5, recommendations: [] }),
    expected: limited(2, 'TooFewReplicas'),
  },
  {
    name: 'TestZeroMinReplicasDesiredZero',
    kind: 'reconcile',
    inputs: hpa(3, skewed, [cpu(90, [0, 0, 0])], { minReplicas: 0, maxReplicas: 5, recommendations: [] }),
    expected: { desiredReplicas: 0, conditions: { ScalingLimited: { status: false } } },
  },
  {
    name: 'TestMinReplicasDesiredZero',
    kind: 'reconcile',
    inputs: hpa(3, skewed, [cpu(90, [0, 0, 0])], { maxReplicas: 5, recommendations: [] }),
    expected: limited(2, 'TooFewReplicas'),
  },
  {
    name: 'TestZeroReplicas: scaling disabled',
    kind: 'reconcile',
    inputs: hpa(0, [], [cpu(90, [])], { minReplicas: 3, maxReplicas: 5 }),
    expected: {
      ...unchanged(0),
      conditions: { ScalingActive: { status: false, reason: 'ScalingDisabled' } },
    },
  },
  {
    name: 'TestTooFewReplicas',
    kind: 'reconcile',
    inputs: hpa(2, [], [cpu(90, [])], { minReplicas: 3, maxReplicas: 5 }),
    expected: { desiredReplicas: 3, rescale: true },
  },
  {
    name: 'TestTooManyReplicas',
    kind: 'reconcile',
    inputs: hpa(10, [], [cpu(90, [])], { minReplicas: 3, maxReplicas: 5 }),
    expected: { desiredReplicas: 5, rescale: true },
  },
  {
    name: 'TestMaxReplicas',
    kind: 'reconcile',
    inputs: hpa(3, skewed, [cpu(90, [8000, 9500, 1000])], { maxReplicas: 5 }),
    expected: limited(5, 'TooManyReplicas'),
  },
  {
    name: 'TestSuperfluousMetrics',
    kind: 'reconcile',
    inputs: hpa(4, pods(4), [cpu(100, [4000, 9500, 3000, 7000, 3200, 2000])]),
    expected: limited(6, 'TooManyReplicas'),
  },
  {
    name: 'TestMissingMetrics',
    kind: 'reconcile',
    inputs: hpa(4, pods(4), [cpu(100, [400, 95])], { recommendations: [] }),
    expected: { desiredReplicas: 3 },
  },
  {
    name: 'TestEmptyMetrics',
    kind: 'reconcile',
    inputs: hpa(4, pods(4), [cpu(100, [])]),
    expected: failedMetrics(4, 'Resource'),
  },
  {
    name: 'TestEmptyCPURequest: upstream lists no pods at all here',
    kind: 'reconcile',
    inputs: hpa(1, [], [cpu(100, [200])], { minReplicas: 1, maxReplicas: 5 }),
    expected: failedMetrics(1, 'Resource'),
  },
  {
    name: 'TestEventCreated',
    kind: 'reconcile',
    inputs: hpa(1, withRequests(200), [cpu(50, [200])], { minReplicas: 1, maxReplicas: 5 }),
    expected: { desiredReplicas: 2, rescale: true },
  },
  {
    name: 'TestEventNotCreated',
    kind: 'reconcile',
    inputs: hpa(2, withRequests(400, 400), [cpu(50, [200, 200])], { minReplicas: 1, maxReplicas: 5 }),
    expected: unchanged(2),
  },
  {
    name: 'TestMissingReports: one pod listed for four replicas',
    kind: 'reconcile',
    inputs: hpa(4, withRequests(200), [cpu(50, [200])], {
      minReplicas: 1,
      maxReplicas: 5,
      recommendations: [],
    }),
    expected: { desiredReplicas: 2 },
  },
  {
    name: 'TestUpscaleCap: 60 wanted, Percent 700 per minute allows 24',
    kind: 'reconcile',
    inputs: hpa(3, tenth, [cpu(10, [100, 200, 300])], capped(100)),
    expected: limited(24, 'ScaleUpLimit'),
  },
  {
    name: 'TestUpscaleCapGreaterThanMaxReplicas',
    kind: 'reconcile',
    inputs: hpa(3, tenth, [cpu(10, [100, 200, 300])], capped(20)),
    expected: limited(20, 'TooManyReplicas'),
  },
  {
    name: 'TestMoreReplicasThanSpecNoScale: a surge pod counts, the ratio stays 1',
    kind: 'reconcile',
    inputs: hpa(4, pods(5), [cpu(50, Array(5).fill(500))], {
      statusReplicas: 5,
      minReplicas: 1,
      maxReplicas: 8,
    }),
    expected: unchanged(4),
  },
  ...['Resource', 'Pods', 'Object', 'External'].map((type) => ({
    name: `TestConditionFailedGetMetrics: FailedGet${type}Metric`,
    kind: 'reconcile',
    inputs: hpa(
      3,
      tenth,
      [
        failing(
          {
            Resource: cpu(10, [100, 200, 300]),
            Pods: podsMetric(15000, [100, 200, 300]),
            Object: objectMetric(100, value(15000)),
            External: externalValue(300, [100]),
          }[type] as Record<string, unknown>,
        ),
      ],
      { minReplicas: 1, maxReplicas: 100 },
    ),
    expected: failedMetrics(3, type),
  })),
  {
    name: 'TestConditionInvalidSourceType',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [failing(objectMetric(20000, value(15000)))]),
    expected: invalidType(3),
  },
  {
    name: 'TestScaleUpBothMetricsEmpty',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [failing(podsMetric(15000, []))]),
    expected: invalidType(3),
  },
  {
    name: 'TestScaleUpOneMetricInvalid: the valid one scales up',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [cpu(30, [300, 400, 500]), failing(podsMetric(15000, []))]),
    expected: { desiredReplicas: 4 },
  },
  {
    name: 'TestScaleUpOneMetricEmpty: the valid one scales up',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [cpu(30, [300, 400, 500]), failing(externalValue(100, []))]),
    expected: { desiredReplicas: 4 },
  },
  {
    name: 'TestScaleUpFromZeroOneMetricInvalid',
    kind: 'reconcile',
    inputs: hpa(0, pods(3), [cpu(30, [300, 400, 500]), failing(podsMetric(15000, []))], {
      minReplicas: 0,
      recommendations: [],
    }),
    expected: { desiredReplicas: 4 },
  },
  {
    name: 'TestNoScaleDownOneMetricInvalid: never down on partial metrics',
    kind: 'reconcile',
    inputs: hpa(5, pods(5), [cpu(50, levels), failing(podsMetric(15000, []))]),
    expected: unchanged(5),
  },
  {
    name: 'TestNoScaleDownOneMetricEmpty: never down on partial metrics',
    kind: 'reconcile',
    inputs: hpa(5, pods(5), [cpu(50, levels), failing(externalValue(1000, []))]),
    expected: failedMetrics(5, 'External'),
  },
  {
    name: 'TestNoBackoffUpscaleCM',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [podsMetric(15000, [20000, 10000, 30000])], { minReplicas: 1, maxReplicas: 5 }),
    expected: { desiredReplicas: 4, conditions: { ScalingLimited: { status: false } } },
  },
  {
    name: 'TestNoBackoffUpscaleCMNoBackoffCpu: CPU wants 600, capped by the maximum',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [cpu(10, [20000, 10000, 30000]), podsMetric(15000, [20000, 10000, 30000])], {
      minReplicas: 1,
      maxReplicas: 5,
    }),
    expected: limited(5, 'TooManyReplicas'),
  },
  {
    name: 'TestStabilizeDownscale: the 4 of a minute ago holds',
    kind: 'reconcile',
    inputs: hpa(4, tenth, [cpu(100, [50, 50, 50])], {
      minReplicas: 1,
      maxReplicas: 5,
      recommendations: [rec(10, 600), rec(4, 60)],
    }),
    expected: { ...unchanged(4), conditions: { AbleToScale: { reason: 'ScaleDownStabilized' } } },
  },
  {
    name: 'TestComputedToleranceAlgImplementation: target 56 % → 9',
    kind: 'reconcile',
    inputs: tolerance(56),
    expected: { desiredReplicas: 9 },
  },
  {
    name: 'TestComputedToleranceAlgImplementation: target 55 % → no change',
    kind: 'reconcile',
    inputs: tolerance(55),
    expected: unchanged(10),
  },
  {
    name: 'TestScaleUpRCImmediately: below the minimum',
    kind: 'reconcile',
    inputs: hpa(1, pods(4), [cpu(50, [0, 0, 0, 0])]),
    expected: { desiredReplicas: 2, rescale: true },
  },
  {
    name: 'TestScaleDownRCImmediately: above the maximum',
    kind: 'reconcile',
    inputs: hpa(6, skewed, [cpu(50, [8000, 9500, 1000])], { maxReplicas: 5 }),
    expected: { desiredReplicas: 5, rescale: true },
  },
  {
    name: 'TestAvoidUnnecessaryUpdates: hot pods at 0 flip the direction',
    kind: 'reconcile',
    inputs: hpa(2, [pod(), pod({ hotCpu: true }), pod({ hotCpu: true })], [cpu(30, [400, 500, 700])], {
      recommendations: [],
    }),
    expected: unchanged(2),
  },
];

describe('upstream horizontal_test.go: limits, failures and stabilization', () => {
  it.each(rows)('$name', ({ kind, inputs, expected }) => {
    expect(run(kind, inputs)).toMatchObject(expected);
  });
});
