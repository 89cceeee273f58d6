import { describe, expect, it } from 'vitest';
import {
  average,
  replicaCalcInputs as calc,
  cpu,
  externalAverage,
  externalValue,
  failedPod as failed,
  hotPod as hot,
  hotNotReadyPod as hotNotReady,
  UPSTREAM_LEVELS as levels,
  notReadyPod as notReady,
  objectMetric,
  pendingPod as pending,
  pod,
  pods,
  podsMetric,
  readyPod as R,
  type Row,
  run,
  value,
  withRequests,
} from '../../../../test/factories/autoscaler';

// The cases of Kubernetes' replica_calculator_test.go that fit the `replicaCalc` input and that
// replica-calc.test.ts does not already have, named after their upstream test, with the upstream
// expected count and usage. The upstream pods have two containers each; utilization is a ratio of
// totals, so one value per server gives the same percent.
const object = objectMetric;
const ext = externalValue;
const extAvg = externalAverage;
// TestReplicaCalcComputedToleranceAlgImplementation: 150 m used per pod against requests around 300 m.
const jitteredRequests = withRequests(400, 200, 310, 290, 302, 298, 301, 299, 300, 300);

/**
 * TestGroupPods checks how one pod is classified. Here the pod sits beside a ready one, both at 90 %
 * of a 50 % target: counted as ready it makes 4, left out as unready it brings the ratio back within
 * the band (2). Timing as upstream's test controller: 120 s CPU initialization, 10 s readiness delay.
 */
const grouped = (name: string, probe: Record<string, unknown>, asReady: boolean, resource = 'cpu'): Row => ({
  name: `TestGroupPods: ${name}`,
  kind: 'replicaCalc',
  inputs: {
    ...calc(2, [probe, R], { ...cpu(50, [900, 900]), resource }),
    cpuInitializationPeriodSeconds: 120,
    delayOfInitialReadinessStatusSeconds: 10,
  },
  expected: { replicas: asReady ? 4 : 2, usage: 90 },
});
const timed = (
  ready: boolean,
  startedAgeSeconds: number,
  readyTransitionAgeSeconds: number,
  sampleAgeSeconds = 0,
  sampleWindowSeconds = 60,
) => ({
  ...pod({ ready }),
  timing: { startedAgeSeconds, readyTransitionAgeSeconds, sampleAgeSeconds, sampleWindowSeconds },
});

const rows: Row[] = [
  grouped('count in a ready pod - memory', pod({ ready: false }), true, 'memory'),
  grouped(
    'count in a ready pod with fresh metrics during initialization period - CPU',
    timed(true, 60, 30, 0, 30),
    true,
  ),
  grouped(
    'ignore a ready pod without fresh metrics during initialization period - CPU',
    timed(true, 60, 30),
    false,
  ),
  grouped('ignore an unready pod during initialization period - CPU', timed(false, 600, 594), false),
  grouped(
    'count in a ready pod without fresh metrics after initialization period - CPU',
    timed(true, 180, 180, 120),
    true,
  ),
  grouped(
    'count in an unready pod that was ready after initialization period - CPU',
    timed(false, 600, 540),
    true,
  ),
  // Upstream's name says "ignore", but it expects the pod counted: start + 10 s is not after the transition.
  grouped(
    'ignore pod that has never been ready after initialization period - CPU',
    timed(false, 600, 590),
    true,
  ),
  {
    name: 'TestReplicaCalcDisjointResourcesMetrics: the only sample is of an unknown pod → error',
    kind: 'replicaCalc',
    inputs: calc(1, pods(1), cpu(100, [null, 100])),
    expected: { error: 'no metrics returned matched known pods' },
  },
  {
    name: 'TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown',
    kind: 'replicaCalc',
    inputs: calc(3, [hotNotReady, R, hotNotReady], podsMetric(15000, [50000, 15000, 30000])),
    expected: { replicas: 7, usage: 31666 },
  },
  {
    name: 'TestReplicaCalcScaleUpCMObject',
    kind: 'replicaCalc',
    inputs: calc(3, pods(3), object(20000, value(15000))),
    expected: { replicas: 4, usage: 20000 },
  },
  {
    name: 'TestReplicaCalcScaleUpCMPerPodObject',
    kind: 'replicaCalc',
    inputs: calc(3, pods(3), object(20000, average(5000))),
    expected: { replicas: 4, usage: 6667 },
  },
  {
    name: 'TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods',
    kind: 'replicaCalc',
    inputs: calc(3, [notReady, R, notReady], object(50000, value(10000))),
    expected: { replicas: 5, usage: 50000 },
  },
  {
    // Upstream runs this one as a Pods metric (metricType podMetric), despite its name.
    name: 'TestReplicaCalcScaleUpCMExternal',
    kind: 'replicaCalc',
    inputs: calc(1, pods(1), podsMetric(4400, [8600])),
    expected: { replicas: 2, usage: 8600 },
  },
  {
    name: 'TestReplicaCalcScaleUpCMExternalNoLabels',
    kind: 'replicaCalc',
    inputs: calc(1, pods(1), podsMetric(4400, [8600])),
    expected: { replicas: 2, usage: 8600 },
  },
  {
    name: 'TestReplicaCalcScaleDownPerPodCMObject',
    kind: 'replicaCalc',
    inputs: calc(5, pods(5), object(6000, average(2000))),
    expected: { replicas: 3, usage: 1200 },
  },
  {
    name: 'TestReplicaCalcScaleDownCMObject',
    kind: 'replicaCalc',
    inputs: calc(5, pods(5), object(12000, value(20000))),
    expected: { replicas: 3, usage: 12000 },
  },
  {
    name: 'TestReplicaCalcScaleDownCMExternal',
    kind: 'replicaCalc',
    inputs: calc(5, pods(5), ext(14334, [8600])),
    expected: { replicas: 3, usage: 8600 },
  },
  {
    name: 'TestReplicaCalcScaleDownPerPodCMExternal',
    kind: 'replicaCalc',
    inputs: calc(5, pods(5), extAvg(2867, [8600])),
    expected: { replicas: 3, usage: 1720 },
  },
  {
    name: 'TestReplicaCalcScaleDownIncludeUnreadyPods',
    kind: 'replicaCalc',
    inputs: calc(5, [R, R, R, notReady, notReady], cpu(50, levels)),
    expected: { replicas: 2, usage: 30 },
  },
  {
    name: 'TestReplicaCalcScaleDownExcludeUnscheduledPods',
    kind: 'replicaCalc',
    inputs: calc(5, [R, pending, pending, pending, pending], cpu(50, [100])),
    expected: { replicas: 1, usage: 10 },
  },
  {
    name: 'TestReplicaCalcScaleDownIgnoreHotCpuPods',
    kind: 'replicaCalc',
    inputs: calc(5, [R, R, R, hot, hot], cpu(50, levels)),
    expected: { replicas: 2, usage: 30 },
  },
  {
    name: 'TestReplicaCalcScaleDownIgnoresFailedPods',
    kind: 'replicaCalc',
    inputs: calc(5, [...pods(5), failed, failed], cpu(50, levels)),
    expected: { replicas: 3, usage: 28 },
  },
  {
    name: 'TestReplicaCalcTolerance',
    kind: 'replicaCalc',
    inputs: calc(3, withRequests(900, 1000, 1100), cpu(100, [1010, 1030, 1020])),
    expected: { replicas: 3, usage: 102 },
  },
  {
    name: 'TestReplicaCalcToleranceCMObject',
    kind: 'replicaCalc',
    inputs: calc(3, pods(3), object(20666, value(20000))),
    expected: { replicas: 3, usage: 20666 },
  },
  {
    name: 'TestReplicaCalcTolerancePerPodCMObject',
    kind: 'replicaCalc',
    inputs: calc(4, pods(4), object(20166, average(5000))),
    expected: { replicas: 4, usage: 5042 },
  },
  {
    name: 'TestReplicaCalcToleranceCMExternal',
    kind: 'replicaCalc',
    inputs: calc(3, pods(3), ext(8888, [8600])),
    expected: { replicas: 3, usage: 8600 },
  },
  {
    name: 'TestReplicaCalcTolerancePerPodCMExternal',
    kind: 'replicaCalc',
    inputs: calc(3, pods(3), extAvg(2900, [8600])),
    expected: { replicas: 3, usage: 2867 },
  },
  {
    name: 'TestReplicaCalcSuperfluousMetrics',
    kind: 'replicaCalc',
    inputs: calc(4, pods(4), cpu(100, [4000, 9500, 3000, 7000, 3200, 2000])),
    expected: { replicas: 24, usage: 587 },
  },
  {
    name: 'TestReplicaCalcMissingMetrics',
    kind: 'replicaCalc',
    inputs: calc(4, pods(4), cpu(100, [400, 95])),
    expected: { replicas: 3, usage: 24 },
  },
  {
    name: 'TestReplicaCalcEmptyMetrics → error',
    kind: 'replicaCalc',
    inputs: calc(4, [...withRequests(1000, 1000, 1000), pod({}, null)], cpu(100, [])),
    expected: { error: expect.stringContaining('no metrics returned from resource metrics API') },
  },
  {
    name: 'TestReplicaCalcEmptyCPURequest → error',
    kind: 'replicaCalc',
    inputs: calc(1, [pod({}, null)], cpu(100, [200])),
    expected: { error: expect.stringContaining('missing request for') },
  },
  {
    name: 'TestReplicaCalcMissingMetricsNoChangeEq',
    kind: 'replicaCalc',
    inputs: calc(2, pods(2), cpu(100, [1000])),
    expected: { replicas: 2, usage: 100 },
  },
  {
    name: 'TestReplicaCalcMissingMetricsNoChangeGt',
    kind: 'replicaCalc',
    inputs: calc(2, pods(2), cpu(100, [1900])),
    expected: { replicas: 2, usage: 190 },
  },
  {
    name: 'TestReplicaCalcMissingMetricsNoChangeLt',
    kind: 'replicaCalc',
    inputs: calc(2, pods(2), cpu(100, [600])),
    expected: { replicas: 2, usage: 60 },
  },
  {
    name: 'TestReplicaCalcMissingMetricsUnreadyChange',
    kind: 'replicaCalc',
    inputs: calc(3, [notReady, R, R], cpu(50, [100, 450])),
    expected: { replicas: 3, usage: 45 },
  },
  {
    name: 'TestReplicaCalcMissingMetricsHotCpuNoChange',
    kind: 'replicaCalc',
    inputs: calc(3, [hot, R, R], cpu(50, [100, 450])),
    expected: { replicas: 3, usage: 45 },
  },
  {
    name: 'TestReplicaCalcMissingMetricsUnreadyScaleUp',
    kind: 'replicaCalc',
    inputs: calc(3, [notReady, R, R], cpu(50, [100, 2000])),
    expected: { replicas: 4, usage: 200 },
  },
  {
    name: 'TestReplicaCalcMissingMetricsHotCpuScaleUp',
    kind: 'replicaCalc',
    inputs: calc(3, [hotNotReady, R, R], cpu(50, [100, 2000])),
    expected: { replicas: 4, usage: 200 },
  },
  {
    name: 'TestReplicaCalcMissingMetricsUnreadyScaleDown',
    kind: 'replicaCalc',
    inputs: calc(4, [notReady, R, R, R], cpu(50, [100, 100, 100])),
    expected: { replicas: 3, usage: 10 },
  },
  {
    name: 'TestReplicaCalcDuringRollingUpdateWithMaxSurge',
    kind: 'replicaCalc',
    inputs: calc(2, pods(3), cpu(50, [100, 100])),
    expected: { replicas: 2, usage: 10 },
  },
  {
    name: 'TestReplicaCalcComputedToleranceAlgImplementation: target 56 % just breaches the band → 9',
    kind: 'replicaCalc',
    inputs: calc(10, jitteredRequests, cpu(56, Array(10).fill(150))),
    expected: { replicas: 9, usage: 50 },
  },
  {
    name: 'TestReplicaCalcComputedToleranceAlgImplementation: target 55 % stays within → 10',
    kind: 'replicaCalc',
    inputs: calc(10, jitteredRequests, cpu(55, Array(10).fill(150))),
    expected: { replicas: 10, usage: 50 },
  },
];

describe('upstream replica_calculator_test.go', () => {
  it.each(rows)('$name', ({ kind, inputs, expected }) => {
    expect(run(kind, inputs)).toMatchObject(expected);
  });
});
