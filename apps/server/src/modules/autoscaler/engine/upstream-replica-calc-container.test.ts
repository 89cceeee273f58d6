import { describe, expect, it } from 'vitest';
import {
  replicaCalcInputs as calc,
  containerCpu,
  cpu,
  deletingPod as deleting,
  failedPod as failed,
  hotPod as hot,
  UPSTREAM_LEVELS as levels,
  notReadyPod as notReady,
  pendingPod as pending,
  pods,
  podsMetric,
  readyPod as R,
  type Row,
  run,
  UPSTREAM_RISE as up,
  withRequests,
} from '../../../../test/factories/autoscaler';

// The ContainerResource and missing-sample cases of Kubernetes' replica_calculator_test.go, named
// after their upstream test, with the upstream expected count and usage. A ContainerResource metric
// compares one container's usage with that container's request, so each server carries the request
// and the value of the container the upstream test names.

const row = (name: string, inputs: Record<string, unknown>, replicas: number, usage: number): Row => ({
  name,
  kind: 'replicaCalc',
  inputs,
  expected: { replicas, usage },
});

const rows: Row[] = [
  row('TestReplicaCalcContainerScaleUp', calc(3, pods(3), containerCpu(30, up)), 5, 50),
  row('TestReplicaCalcScaleUpContainerHotCpuLessScale', calc(3, [hot, R, R], containerCpu(30, up)), 4, 60),
  row(
    'TestReplicaCalcScaleUpContainerIgnoresFailedPods',
    calc(2, [R, R, failed, failed], containerCpu(30, [500, 700])),
    4,
    60,
  ),
  row(
    'TestReplicaCalcScaleUpContainerIgnoresDeletionPods',
    calc(2, [R, R, deleting, deleting], containerCpu(30, [500, 700])),
    4,
    60,
  ),
  row('TestReplicaCalcContainerScaleDown', calc(5, pods(5), containerCpu(50, levels)), 3, 28),
  row(
    'TestReplicaCalcScaleDownContainerExcludeUnreadyPods',
    calc(5, [R, R, R, notReady, notReady], containerCpu(50, levels)),
    2,
    30,
  ),
  // The pending servers' samples are dropped; the one running server at 10 % of a 50 % target → 1.
  row(
    'TestReplicaCalcScaleDownContainerExcludeUnscheduledPods',
    calc(5, [R, pending, pending, pending, pending], containerCpu(50, levels)),
    1,
    10,
  ),
  row(
    'TestReplicaCalcScaleDownContainerIgnoreHotCpuPods',
    calc(5, [R, R, R, hot, hot], containerCpu(50, [100, 300, 500, 1000, 1000])),
    2,
    30,
  ),
  row(
    'TestReplicaCalcScaleDownContainerIgnoresFailedPods',
    calc(5, [...pods(5), failed, failed], containerCpu(50, levels)),
    3,
    28,
  ),
  row(
    'TestReplicaCalcScaleDownIgnoresDeletionPods_StillRunning',
    calc(5, [...pods(5), deleting, deleting], containerCpu(50, levels)),
    3,
    28,
  ),
  // Three samples average exactly the target; the two missing servers are then left out → no change.
  row(
    'TestPlainMetricReplicaCalcMissingMetricsNoChangeEq',
    calc(5, pods(5), podsMetric(20000, [20000, 19000, 21000])),
    5,
    20000,
  ),
  // 6 % of a 300 % target; the missing server is assumed at 300 % of its request: 6200/5000 → 124 %.
  row(
    'TestReplicaCalcMissingMetricsScaleDownTargetOver100',
    calc(4, [notReady, ...withRequests(1000, 2000, 2000)], cpu(300, [200, 100, 100])),
    2,
    6,
  ),
  // The surge server has no sample: assumed at the 17 target, ceil(0.73 × 3) = 3 moves against the ratio.
  row(
    'TestReplicaCalcDuringRollingUpdateWithMaxSurgeCM',
    calc(2, pods(3), podsMetric(17000, [10000, 10000])),
    2,
    10000,
  ),
];

describe('upstream replica_calculator_test.go: ContainerResource and missing samples', () => {
  it.each(rows)('$name', ({ kind, inputs, expected }) => {
    expect(run(kind, inputs)).toMatchObject(expected);
  });
});
