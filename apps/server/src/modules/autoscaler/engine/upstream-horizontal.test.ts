import { describe, expect, it } from 'vitest';
import {
  average,
  containerCpu,
  cpu,
  deletingPod as deleting,
  externalAverage,
  externalValue,
  failedPod as failed,
  hotPod as hot,
  UPSTREAM_LEVELS as levels,
  notReadyPod as notReady,
  objectMetric,
  pod,
  pods,
  podsMetric,
  readyPod as R,
  type Row,
  run,
  UPSTREAM_RISE as up,
  upstreamSync,
  value,
  withRequests,
} from '../../../../test/factories/autoscaler';

// The whole-sync tests of Kubernetes' horizontal_test.go (scale up and down, per metric type, with
// unready, hot-CPU, failed and deleted pods, and tolerance), named after their upstream test, with
// the upstream expected count.
const hpa = upstreamSync;
const object = objectMetric;
const ext = externalValue;
const extAvg = externalAverage;
const container = containerCpu;

const rows: Row[] = [
  {
    name: 'TestScaleUp',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [cpu(30, up)]),
    expected: { desiredReplicas: 5 },
  },
  // Upstream's first scale update meets a conflict and is retried; the decision is the plain 70 % / 50 %.
  {
    name: 'TestHPARescaleWithSuccessfulConflictRetry',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [cpu(50, [600, 700, 800])]),
    expected: { desiredReplicas: 5, rescale: true },
  },
  {
    name: 'TestScaleUpContainer',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [container(30, up)]),
    expected: { desiredReplicas: 5 },
  },
  {
    name: 'TestScaleUpUnreadyLessScale',
    kind: 'reconcile',
    inputs: hpa(3, [notReady, R, R], [cpu(30, up)]),
    expected: { desiredReplicas: 4 },
  },
  {
    name: 'TestScaleUpHotCpuLessScale',
    kind: 'reconcile',
    inputs: hpa(3, [hot, R, R], [cpu(30, up)]),
    expected: { desiredReplicas: 4 },
  },
  {
    name: 'TestScaleUpUnreadyNoScale',
    kind: 'reconcile',
    inputs: hpa(3, [R, notReady, notReady], [cpu(30, [400, 500, 700])]),
    expected: { desiredReplicas: 3, rescale: false },
  },
  {
    name: 'TestScaleUpHotCpuNoScale',
    kind: 'reconcile',
    inputs: hpa(
      3,
      [R, pod({ ready: false, hotCpu: true }), pod({ ready: false, hotCpu: true })],
      [cpu(30, [400, 500, 700])],
    ),
    expected: { desiredReplicas: 3, rescale: false },
  },
  {
    name: 'TestScaleUpIgnoresFailedPods',
    kind: 'reconcile',
    inputs: hpa(2, [R, R, failed, failed], [cpu(30, [500, 700])]),
    expected: { desiredReplicas: 4 },
  },
  {
    name: 'TestScaleUpIgnoresDeletionPods',
    kind: 'reconcile',
    inputs: hpa(2, [R, R, deleting, deleting], [cpu(30, [500, 700])]),
    expected: { desiredReplicas: 4 },
  },
  {
    name: 'TestScaleUpDeployment and TestScaleUpReplicaSet (the kind of target plays no role)',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [cpu(30, up)]),
    expected: { desiredReplicas: 5 },
  },
  {
    name: 'TestScaleUpCM',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [podsMetric(15000, [20000, 10000, 30000])]),
    expected: { desiredReplicas: 4 },
  },
  {
    name: 'TestScaleUpCMUnreadyAndHotCpuNoLessScale',
    kind: 'reconcile',
    inputs: hpa(3, [R, R, pod({ ready: false, hotCpu: true })], [podsMetric(15000, [50000, 10000, 30000])]),
    expected: { desiredReplicas: 6 },
  },
  {
    name: 'TestScaleUpCMUnreadyandCpuHot: 7 capped by the maximum',
    kind: 'reconcile',
    inputs: hpa(
      3,
      [pod({ ready: false, hotCpu: true }), R, pod({ ready: false, hotCpu: true })],
      [podsMetric(15000, [50000, 15000, 30000])],
    ),
    expected: {
      desiredReplicas: 6,
      conditions: { ScalingLimited: { status: true, reason: 'TooManyReplicas' } },
    },
  },
  {
    name: 'TestScaleUpHotCpuNoScaleWouldScaleDown',
    kind: 'reconcile',
    inputs: hpa(3, [hot, R, hot], [podsMetric(15000, [50000, 15000, 30000])]),
    expected: {
      desiredReplicas: 6,
      conditions: { ScalingLimited: { status: true, reason: 'TooManyReplicas' } },
    },
  },
  {
    name: 'TestScaleUpCMObject',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [object(20000, value(15000))]),
    expected: { desiredReplicas: 4 },
  },
  {
    name: 'TestScaleUpFromZeroCMObject',
    kind: 'reconcile',
    inputs: hpa(0, [], [object(20000, value(15000))], { minReplicas: 0 }),
    expected: { desiredReplicas: 2 },
  },
  {
    name: 'TestScaleUpFromZeroIgnoresToleranceCMObject',
    kind: 'reconcile',
    inputs: hpa(0, [], [object(1000, value(1000))], { minReplicas: 0 }),
    expected: { desiredReplicas: 1 },
  },
  {
    name: 'TestScaleUpPerPodCMObject',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [object(40000, average(10000))]),
    expected: { desiredReplicas: 4 },
  },
  {
    name: 'TestScaleUpCMExternal',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [ext(6666, [8600])]),
    expected: { desiredReplicas: 4 },
  },
  {
    name: 'TestScaleUpPerPodCMExternal',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [extAvg(2222, [8600])]),
    expected: { desiredReplicas: 4 },
  },
  {
    name: 'TestScaleDown',
    kind: 'reconcile',
    inputs: hpa(5, pods(5), [cpu(50, levels)], { recommendations: [] }),
    expected: { desiredReplicas: 3 },
  },
  {
    name: 'TestScaleDownContainerResource',
    kind: 'reconcile',
    inputs: hpa(5, pods(5), [container(50, levels)], { recommendations: [] }),
    expected: { desiredReplicas: 3 },
  },
  {
    name: 'TestScaleDownWithScalingRules: scale-up rules only, scale down on the defaults',
    kind: 'reconcile',
    inputs: hpa(5, pods(5), [cpu(50, levels)], {
      recommendations: [],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 30,
          selectPolicy: 'Max',
          policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
        },
        scaleDown: null,
      },
    }),
    expected: { desiredReplicas: 3 },
  },
  {
    name: 'TestScaleDownStabilizeInitialSize: a fresh HPA holds its count',
    kind: 'reconcile',
    inputs: hpa(5, pods(5), [cpu(50, levels)]),
    expected: {
      desiredReplicas: 5,
      rescale: false,
      conditions: { AbleToScale: { reason: 'ScaleDownStabilized' } },
    },
  },
  {
    name: 'TestScaleDownCM',
    kind: 'reconcile',
    inputs: hpa(5, pods(5), [podsMetric(20000, Array(5).fill(12000))], { recommendations: [] }),
    expected: { desiredReplicas: 3 },
  },
  {
    name: 'TestScaleDownCMObject',
    kind: 'reconcile',
    inputs: hpa(5, pods(5), [object(12000, value(20000))], { recommendations: [] }),
    expected: { desiredReplicas: 3 },
  },
  {
    name: 'TestScaleDownToZeroCMObject',
    kind: 'reconcile',
    inputs: hpa(5, pods(5), [object(0, value(20000))], { minReplicas: 0, recommendations: [] }),
    expected: { desiredReplicas: 0 },
  },
  {
    name: 'TestScaleDownPerPodCMObject',
    kind: 'reconcile',
    inputs: hpa(5, pods(5), [object(60000, average(20000))], { recommendations: [] }),
    expected: { desiredReplicas: 3 },
  },
  {
    name: 'TestScaleDownCMExternal',
    kind: 'reconcile',
    inputs: hpa(5, pods(5), [ext(14400, [8600])], { recommendations: [] }),
    expected: { desiredReplicas: 3 },
  },
  {
    name: 'TestScaleDownToZeroCMExternal',
    kind: 'reconcile',
    inputs: hpa(5, pods(5), [ext(14400, [0])], { minReplicas: 0, recommendations: [] }),
    expected: { desiredReplicas: 0 },
  },
  {
    name: 'TestScaleDownPerPodCMExternal',
    kind: 'reconcile',
    inputs: hpa(5, pods(5), [extAvg(3000, [8600])], { recommendations: [] }),
    expected: { desiredReplicas: 3 },
  },
  {
    name: 'TestScaleDownIncludeUnreadyPods',
    kind: 'reconcile',
    inputs: hpa(5, [R, R, R, notReady, notReady], [cpu(50, levels)], { recommendations: [] }),
    expected: { desiredReplicas: 2 },
  },
  {
    name: 'TestScaleDownIgnoreHotCpuPods',
    kind: 'reconcile',
    inputs: hpa(5, [R, R, R, hot, hot], [cpu(50, levels)], { recommendations: [] }),
    expected: { desiredReplicas: 2 },
  },
  {
    name: 'TestScaleDownIgnoresFailedPods',
    kind: 'reconcile',
    inputs: hpa(5, [...pods(5), failed, failed], [cpu(50, levels)], { recommendations: [] }),
    expected: { desiredReplicas: 3 },
  },
  {
    name: 'TestScaleDownIgnoresDeletionPods',
    kind: 'reconcile',
    inputs: hpa(5, [...pods(5), deleting, deleting], [cpu(50, levels)], { recommendations: [] }),
    expected: { desiredReplicas: 3 },
  },
  {
    name: 'TestTolerance',
    kind: 'reconcile',
    inputs: hpa(3, withRequests(900, 1000, 1100), [cpu(100, [1010, 1030, 1020])], {
      minReplicas: 1,
      maxReplicas: 5,
    }),
    expected: { desiredReplicas: 3, rescale: false },
  },
  {
    name: 'TestToleranceCM',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [podsMetric(20000, [20000, 20001, 21000])], { minReplicas: 1, maxReplicas: 5 }),
    expected: { desiredReplicas: 3, rescale: false },
  },
  {
    name: 'TestToleranceCMObject',
    kind: 'reconcile',
    inputs: hpa(3, pods(3), [object(20050, value(20000))], { minReplicas: 1, maxReplicas: 5 }),
    expected: { desiredReplicas: 3, rescale: false },
  },
  {
    name: 'TestToleranceCMExternal',
    kind: 'reconcile',
    inputs: hpa(4, pods(4), [ext(8666, [8600])]),
    expected: { desiredReplicas: 4, rescale: false },
  },
  {
    name: 'TestTolerancePerPodCMObject',
    kind: 'reconcile',
    inputs: hpa(4, pods(4), [object(8600, average(2200))]),
    expected: { desiredReplicas: 4, rescale: false },
  },
  {
    name: 'TestTolerancePerPodCMExternal',
    kind: 'reconcile',
    inputs: hpa(4, pods(4), [extAvg(2200, [8600])]),
    expected: { desiredReplicas: 4, rescale: false },
  },
];

describe('upstream horizontal_test.go: scaling per metric type', () => {
  it.each(rows)('$name', ({ kind, inputs, expected }) => {
    expect(run(kind, inputs)).toMatchObject(expected);
  });
});
