import { describe, expect, it } from 'vitest';
import {
  replicaCalcInputs as calc,
  cpu,
  external,
  hotPod as hot,
  notReadyPod as notReady,
  pod,
  pods,
  podsMetric,
  readyPod as R,
  type Row,
  run,
} from '../../../../test/factories/autoscaler';

// Cases modelled on Kubernetes' replica_calculator_test.go: the expected counts are worked out by
// hand from HPA-ALGORITHM.md section 2 (the arithmetic is in each name); an upstream test name in
// brackets means the same inputs and result as that test (the others are in upstream-replica-calc).

const rows: Row[] = [
  {
    name: 'scale up: 1500/3000 = 50 % vs 30 % → ceil(1.67 × 3) = 5 (TestReplicaCalcScaleUp)',
    kind: 'replicaCalc',
    inputs: calc(3, pods(3), cpu(30, [300, 500, 700])),
    expected: { replicas: 5, usage: 50 },
  },
  {
    name: 'a never-ready server is left out, then counted at 0: 60 % → 40 % → 4 (TestReplicaCalcScaleUpUnreadyLessScale)',
    kind: 'replicaCalc',
    inputs: calc(3, [notReady, R, R], cpu(30, [300, 500, 700])),
    expected: { replicas: 4, usage: 60 },
  },
  {
    name: 'a hot-CPU server is treated like an unready one → 4 (TestReplicaCalcScaleUpHotCpuLessScale)',
    kind: 'replicaCalc',
    inputs: calc(3, [hot, R, R], cpu(30, [300, 500, 700])),
    expected: { replicas: 4, usage: 60 },
  },
  {
    name: 'unready servers at 0 flip the direction (40 % → 13 %) → no change (TestReplicaCalcScaleUpUnreadyNoScale)',
    kind: 'replicaCalc',
    inputs: calc(3, [R, notReady, notReady], cpu(30, [400, 500, 700])),
    expected: { replicas: 3, usage: 40 },
  },
  {
    name: 'hot-CPU servers flipping the direction → no change (TestReplicaCalcScaleHotCpuNoScale)',
    kind: 'replicaCalc',
    inputs: calc(3, [R, hot, hot], cpu(30, [400, 500, 700])),
    expected: { replicas: 3, usage: 40 },
  },
  {
    name: 'failed servers are ignored: 60 % of 2 → 4 (TestReplicaCalcScaleUpIgnoresFailedPods)',
    kind: 'replicaCalc',
    inputs: calc(
      2,
      [R, R, pod({ phase: 'Failed' }), pod({ phase: 'Failed' })],
      cpu(30, [500, 700, null, null]),
    ),
    expected: { replicas: 4, usage: 60 },
  },
  {
    name: 'servers being deleted are ignored, with their samples → 4 (TestReplicaCalcScaleUpIgnoresDeletionPods)',
    kind: 'replicaCalc',
    inputs: calc(
      2,
      [R, R, pod({ deleting: true }), pod({ deleting: true })],
      cpu(30, [500, 700, 5000, 5000]),
    ),
    expected: { replicas: 4, usage: 60 },
  },
  {
    name: 'Pods metric: average 20 vs 15 → ceil(1.33 × 3) = 4 (TestReplicaCalcScaleUpCM)',
    kind: 'replicaCalc',
    inputs: calc(3, pods(3), podsMetric(15000, [20000, 10000, 30000])),
    expected: { replicas: 4, usage: 20000 },
  },
  {
    name: 'Pods metric counts never-ready servers (readiness is a CPU rule) → 6 (TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale)',
    kind: 'replicaCalc',
    inputs: calc(3, [R, R, notReady], podsMetric(15000, [50000, 10000, 30000])),
    expected: { replicas: 6, usage: 30000 },
  },
  {
    name: 'Pods metric: a pending server is put back at 0, a failed one ignored → 4',
    kind: 'replicaCalc',
    inputs: calc(
      3,
      [R, pod({ phase: 'Pending' }), pod({ phase: 'Failed' })],
      podsMetric(15000, [50000, 10000, 30000]),
    ),
    expected: { replicas: 4, usage: 50000 },
  },
  {
    name: 'External value 8.6 vs 4.4 on one ready server → 2',
    kind: 'replicaCalc',
    inputs: calc(1, pods(1), external({ type: 'Value', valueMilli: 4400 }, [8600])),
    expected: { replicas: 2, usage: 8600 },
  },
  {
    name: 'External value counts only Running and Ready servers → ceil(1.95 × 1) = 2 (TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods)',
    kind: 'replicaCalc',
    inputs: calc(
      3,
      [R, notReady, pod({ phase: 'Pending' })],
      external({ type: 'Value', valueMilli: 4400 }, [8600]),
    ),
    expected: { replicas: 2, usage: 8600 },
  },
  {
    name: 'External value with no servers is an error',
    kind: 'replicaCalc',
    inputs: calc(1, [], external({ type: 'Value', valueMilli: 4400 }, [8600])),
    expected: { error: expect.any(String) },
  },
  {
    name: 'External average value uses status replicas: 8600 / 2150 → 4 (TestReplicaCalcScaleUpPerPodCMExternal)',
    kind: 'replicaCalc',
    inputs: calc(3, [], external({ type: 'AverageValue', averageValueMilli: 2150 }, [8600]), {
      statusReplicas: 3,
    }),
    expected: { replicas: 4, usage: 2867 },
  },
  {
    name: 'External series are summed: 3000 + 5600 = 8600 → 4',
    kind: 'replicaCalc',
    inputs: calc(3, [], external({ type: 'AverageValue', averageValueMilli: 2150 }, [3000, 5600]), {
      statusReplicas: 3,
    }),
    expected: { replicas: 4 },
  },
  {
    name: 'Object value 50 vs 10 on 3 ready servers → 15',
    kind: 'replicaCalc',
    inputs: calc(3, pods(3), {
      type: 'Object',
      target: { type: 'Value', valueMilli: 10000 },
      valueMilli: 50000,
    }),
    expected: { replicas: 15, usage: 50000 },
  },
  {
    name: 'Object average value: 20 over 3 servers at 10 each → 2',
    kind: 'replicaCalc',
    inputs: calc(
      3,
      pods(3),
      { type: 'Object', target: { type: 'AverageValue', averageValueMilli: 10000 }, valueMilli: 20000 },
      { statusReplicas: 3 },
    ),
    expected: { replicas: 2, usage: 6667 },
  },
  {
    name: 'scale down: 1400/5000 = 28 % vs 50 % → ceil(2.8) = 3 (TestReplicaCalcScaleDown)',
    kind: 'replicaCalc',
    inputs: calc(5, pods(5), cpu(50, [100, 300, 500, 250, 250])),
    expected: { replicas: 3, usage: 28 },
  },
  {
    name: 'Pods metric scale down: 12 vs 20 → 3 (TestReplicaCalcScaleDownCM)',
    kind: 'replicaCalc',
    inputs: calc(5, pods(5), podsMetric(20000, Array(5).fill(12000))),
    expected: { replicas: 3, usage: 12000 },
  },
  {
    name: 'scale down leaves unready servers out: 33 % of 3 ready → 2',
    kind: 'replicaCalc',
    inputs: calc(5, [notReady, notReady, R, R, R], cpu(50, [100, 300, 500, 250, 250])),
    expected: { replicas: 2, usage: 33 },
  },
  {
    name: 'scale down ignores servers being deleted → 3 (TestReplicaCalcScaleDownIgnoresDeletionPods)',
    kind: 'replicaCalc',
    inputs: calc(
      5,
      [...pods(5), pod({ deleting: true }), pod({ deleting: true })],
      cpu(50, [100, 300, 500, 250, 250, 2000, 2000]),
    ),
    expected: { replicas: 3, usage: 28 },
  },
  {
    name: 'tolerance: 102 % vs 100 % → no change',
    kind: 'replicaCalc',
    inputs: calc(3, pods(3), cpu(100, [1010, 1030, 1020])),
    expected: { replicas: 3, usage: 102 },
  },
  {
    name: 'tolerance with a Pods metric: 20.67 vs 20 → no change (TestReplicaCalcToleranceCM)',
    kind: 'replicaCalc',
    inputs: calc(3, pods(3), podsMetric(20000, [20000, 21000, 21000])),
    expected: { replicas: 3, usage: 20666 },
  },
  {
    name: 'utilization is an integer: 102.9 % → 102 %, 102/93 = 1.097 stays within',
    kind: 'replicaCalc',
    inputs: calc(1, pods(1), cpu(93, [1029])),
    expected: { replicas: 1, usage: 102 },
  },
  {
    name: 'the band is inclusive: ratio exactly 1.1 → no change',
    kind: 'replicaCalc',
    inputs: calc(1, pods(1), cpu(100, [1100])),
    expected: { replicas: 1, usage: 110 },
  },
  {
    name: 'just outside the band: 1.11 → 2',
    kind: 'replicaCalc',
    inputs: calc(1, pods(1), cpu(100, [1110])),
    expected: { replicas: 2, usage: 111 },
  },
  {
    name: 'per-direction tolerance: 1.4 within a 0.5 scale-up band',
    kind: 'replicaCalc',
    inputs: calc(1, pods(1), cpu(100, [1400]), { tolerance: { scaleUp: 0.5, scaleDown: 0.1 } }),
    expected: { replicas: 1 },
  },
  {
    name: 'per-direction tolerance: 0.85 outside a 0.1 scale-down band → ceil(0.85 × 10) = 9',
    kind: 'replicaCalc',
    inputs: calc(10, pods(10), podsMetric(1000, Array(10).fill(850)), {
      tolerance: { scaleUp: 0.5, scaleDown: 0.1 },
    }),
    expected: { replicas: 9 },
  },
  {
    name: 'missing samples assumed at 100 % damp a scale down into no change',
    kind: 'replicaCalc',
    inputs: calc(4, pods(4), cpu(30, [400, 95, null, null])),
    expected: { replicas: 4, usage: 24 },
  },
  {
    name: 'missing samples: 10 % → 55 % flips the direction → no change',
    kind: 'replicaCalc',
    inputs: calc(4, pods(4), cpu(50, [100, 100, null, null])),
    expected: { replicas: 4, usage: 10 },
  },
  {
    name: 'missing samples assumed at the target when it is above 100 %: 150/300 → 2',
    kind: 'replicaCalc',
    inputs: calc(4, pods(4), cpu(300, [0, 0, null, null])),
    expected: { replicas: 2, usage: 0 },
  },
  {
    name: 'missing samples assumed at 0 on a scale up: 90 % → 60 % → 4',
    kind: 'replicaCalc',
    inputs: calc(3, pods(3), cpu(50, [900, 900, null])),
    expected: { replicas: 4, usage: 90 },
  },
  {
    name: 'missing samples with a Pods metric assumed at the target on a scale down',
    kind: 'replicaCalc',
    inputs: calc(4, pods(4), podsMetric(10000, [2000, 2000, null, null])),
    expected: { replicas: 3, usage: 2000 },
  },
  {
    name: 'no sample for any server is an error',
    kind: 'replicaCalc',
    inputs: calc(2, pods(2), cpu(50, [null, null])),
    expected: { error: expect.any(String) },
  },
  {
    name: 'an empty server list is an error',
    kind: 'replicaCalc',
    inputs: calc(2, [], cpu(50, [])),
    expected: { error: expect.any(String) },
  },
  {
    name: 'a server without a CPU request is an error for a utilization target',
    kind: 'replicaCalc',
    inputs: calc(2, [R, pod({}, null)], cpu(50, [500, 500])),
    expected: { error: expect.any(String) },
  },
  {
    name: 'a Pods metric needs no requests',
    kind: 'replicaCalc',
    inputs: calc(2, [pod({}, null), pod({}, null)], podsMetric(500, [1000, 1000])),
    expected: { replicas: 4 },
  },
  {
    name: 'samples of unknown servers count in a Pods average: 60/3 = 20 vs 10 → ceil(2 × 2) = 4',
    kind: 'replicaCalc',
    inputs: calc(2, pods(2), podsMetric(10000, [10000, 10000, 40000])),
    expected: { replicas: 4, usage: 20000 },
  },
  {
    name: 'samples of unknown servers have no request and are skipped for utilization',
    kind: 'replicaCalc',
    inputs: calc(2, pods(2), cpu(50, [500, 500, 9000])),
    expected: { replicas: 2, usage: 50 },
  },
  {
    name: 'a failed read is an error',
    kind: 'replicaCalc',
    inputs: calc(2, pods(2), { ...cpu(50, [500, 500]), fetchError: true }),
    expected: { error: expect.any(String) },
  },
  {
    name: 'External value from zero: ceil(0.25) = 1 without tolerance or servers',
    kind: 'replicaCalc',
    inputs: calc(0, [], external({ type: 'Value', valueMilli: 1000 }, [250])),
    expected: { replicas: 1 },
  },
  {
    name: 'External value from zero with no load stays at 0',
    kind: 'replicaCalc',
    inputs: calc(0, [], external({ type: 'Value', valueMilli: 1000 }, [0])),
    expected: { replicas: 0 },
  },
  {
    name: 'External value within tolerance: 1.05 → no change',
    kind: 'replicaCalc',
    inputs: calc(4, pods(4), external({ type: 'Value', valueMilli: 4000 }, [4200])),
    expected: { replicas: 4 },
  },
  {
    name: 'scale down with a hot server left out: 10 % of 2 → 1',
    kind: 'replicaCalc',
    inputs: calc(3, [hot, R, R], cpu(50, [1000, 100, 100])),
    expected: { replicas: 1, usage: 10 },
  },
  {
    name: 'raw times: a server that was ready and is not now still counts for CPU → 4',
    kind: 'replicaCalc',
    inputs: calc(
      2,
      [
        {
          ...pod({ ready: false }),
          timing: { startedAgeSeconds: 400, readyTransitionAgeSeconds: 100, sampleAgeSeconds: 5 },
        },
        R,
      ],
      cpu(50, [900, 900]),
    ),
    expected: { replicas: 4, usage: 90 },
  },
  {
    name: 'raw times: a server initialising without a clean sample is unready → no change',
    kind: 'replicaCalc',
    inputs: calc(
      2,
      [{ ...R, timing: { startedAgeSeconds: 60, readyTransitionAgeSeconds: 50, sampleAgeSeconds: 10 } }, R],
      cpu(50, [900, 900]),
    ),
    expected: { replicas: 2, usage: 90 },
  },
  {
    name: 'raw times: an initialising server with a sample a full window after readiness counts → 4',
    kind: 'replicaCalc',
    inputs: calc(
      2,
      [{ ...R, timing: { startedAgeSeconds: 200, readyTransitionAgeSeconds: 190, sampleAgeSeconds: 5 } }, R],
      cpu(50, [900, 900]),
    ),
    expected: { replicas: 4, usage: 90 },
  },
];

describe('replica calculator (HPA-ALGORITHM.md section 2)', () => {
  it.each(rows)('$name', ({ kind, inputs, expected }) => {
    expect(run(kind, inputs)).toMatchObject(expected);
  });
});
