import { describe, expect, it } from 'vitest';
import { type Row, rec, run } from '../../../../test/factories/autoscaler';

// Cases modelled on Kubernetes' horizontal_test.go (the stabilization windows); expected values
// worked out by hand from HPA-ALGORITHM.md sections 4.1 and 5.2.
const rows: Row[] = [
  // 4.1 stabilization without behavior
  {
    name: 'the 9 from 200 s ago holds, the 10 from 301 s ago is replaced',
    kind: 'stabilize',
    inputs: {
      prenormalizedDesiredReplicas: 4,
      recommendations: [rec(10, 301), rec(9, 200)],
      windowSeconds: 300,
    },
    expected: { stabilizedReplicas: 9, recommendationsLengthAfter: 2 },
  },
  {
    name: 'a higher desire than every recommendation passes, and is appended',
    kind: 'stabilize',
    inputs: { prenormalizedDesiredReplicas: 12, recommendations: [rec(5, 10)], windowSeconds: 300 },
    expected: { stabilizedReplicas: 12, recommendationsLengthAfter: 2 },
  },
  {
    name: 'an entry exactly 300 s old is outside the window',
    kind: 'stabilize',
    inputs: {
      prenormalizedDesiredReplicas: 4,
      recommendations: [rec(10, 400), rec(8, 300)],
      windowSeconds: 300,
    },
    expected: { stabilizedReplicas: 4, recommendationsLengthAfter: 2 },
  },
  {
    name: 'an empty history appends the first entry',
    kind: 'stabilize',
    inputs: { prenormalizedDesiredReplicas: 3, recommendations: [], windowSeconds: 300 },
    expected: { stabilizedReplicas: 3, recommendationsLengthAfter: 1 },
  },
  {
    name: 'a window of 0 keeps nothing',
    kind: 'stabilize',
    inputs: { prenormalizedDesiredReplicas: 2, recommendations: [rec(9, 0), rec(8, 5)], windowSeconds: 0 },
    expected: { stabilizedReplicas: 2, recommendationsLengthAfter: 2 },
  },
  // 5.2 two windows
  {
    name: 'scale down held by the 5 still inside the down window',
    kind: 'stabilizeWithBehavior',
    inputs: {
      currentReplicas: 5,
      prenormalizedDesiredReplicas: 3,
      recommendations: [rec(5, 100)],
      scaleUpStabilizationWindowSeconds: 0,
      scaleDownStabilizationWindowSeconds: 300,
    },
    expected: { stabilizedReplicas: 5, recommendationsAfter: [5, 3] },
  },
  {
    name: 'scale up only to the lowest recommendation of the up window',
    kind: 'stabilizeWithBehavior',
    inputs: {
      currentReplicas: 2,
      prenormalizedDesiredReplicas: 6,
      recommendations: [rec(4, 30), rec(6, 70)],
      scaleUpStabilizationWindowSeconds: 60,
      scaleDownStabilizationWindowSeconds: 300,
    },
    expected: { stabilizedReplicas: 4, recommendationsAfter: [4, 6, 6] },
  },
  {
    name: 'scale down only to the highest recommendation of the down window; old slot reused',
    kind: 'stabilizeWithBehavior',
    inputs: {
      currentReplicas: 10,
      prenormalizedDesiredReplicas: 4,
      recommendations: [rec(7, 100), rec(5, 400)],
      scaleUpStabilizationWindowSeconds: 0,
      scaleDownStabilizationWindowSeconds: 300,
    },
    expected: { stabilizedReplicas: 7, recommendationsAfter: [7, 4] },
  },
  {
    name: 'the last entry outside both windows is the one overwritten',
    kind: 'stabilizeWithBehavior',
    inputs: {
      currentReplicas: 9,
      prenormalizedDesiredReplicas: 9,
      recommendations: [rec(3, 500), rec(4, 600), rec(9, 10)],
      scaleUpStabilizationWindowSeconds: 0,
      scaleDownStabilizationWindowSeconds: 300,
    },
    expected: { stabilizedReplicas: 9, recommendationsAfter: [3, 9, 9] },
  },
  {
    name: 'windows of 0 follow the desire at once',
    kind: 'stabilizeWithBehavior',
    inputs: {
      currentReplicas: 8,
      prenormalizedDesiredReplicas: 2,
      recommendations: [rec(8, 0)],
      scaleUpStabilizationWindowSeconds: 0,
      scaleDownStabilizationWindowSeconds: 0,
    },
    expected: { stabilizedReplicas: 2, recommendationsAfter: [2] },
  },
  {
    name: 'an entry inside the up window but not the down window is kept',
    kind: 'stabilizeWithBehavior',
    inputs: {
      currentReplicas: 3,
      prenormalizedDesiredReplicas: 3,
      recommendations: [rec(6, 100)],
      scaleUpStabilizationWindowSeconds: 120,
      scaleDownStabilizationWindowSeconds: 60,
    },
    expected: { stabilizedReplicas: 3, recommendationsAfter: [6, 3] },
  },
];

describe('stabilization (HPA-ALGORITHM.md sections 4.1 and 5.2)', () => {
  it.each(rows)('$kind: $name', ({ kind, inputs, expected }) => {
    expect(run(kind, inputs)).toEqual(expected);
  });
});
