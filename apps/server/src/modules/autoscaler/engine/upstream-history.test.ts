import { describe, expect, it } from 'vitest';
import { ev, type Row, rec, run, scalingRules } from '../../../../test/factories/autoscaler';

// The history and clamp tests of Kubernetes' horizontal_test.go: TestStoreScaleEvents,
// TestNormalizeDesiredReplicasWithBehavior, TestNormalizeDesiredReplicas,
// TestConvertDesiredReplicasWithRules and the two policy-limit tests, named after the upstream case,
// with the upstream expected values.

const gen = scalingRules;
const after = (...changes: (number | [number, true])[]) =>
  changes.map((c) => (Array.isArray(c) ? { change: c[0], outdated: true } : { change: c, outdated: false }));

/** Upstream runs each case twice: a scale up from 10 by 5, then a scale down from 10 by 5. */
const store = (
  name: string,
  rules: unknown,
  events: unknown[],
  changeWithin60s: number,
  eventsAfter: unknown[],
): Row[] =>
  (['up', 'down'] as const).map((direction) => ({
    name: `TestStoreScaleEvents (${direction}): ${name}`,
    kind: 'storeScaleEvent',
    inputs: { direction, prevReplicas: 10, newReplicas: direction === 'up' ? 15 : 5, rules, events },
    expected: { replicaChangeWithin60sBefore: changeWithin60s, eventsAfter },
  }));

/** One case: recommendations, current, prenormalized desired, [up, down] windows → stabilized, log after. */
const withBehavior = (
  name: string,
  recommendations: unknown[],
  current: number,
  desired: number,
  [up, down]: number[],
  stabilized: number,
  logAfter: number[],
): Row => ({
  name: `TestNormalizeDesiredReplicasWithBehavior: ${name}`,
  kind: 'stabilizeWithBehavior',
  inputs: {
    currentReplicas: current,
    prenormalizedDesiredReplicas: desired,
    recommendations,
    scaleUpStabilizationWindowSeconds: up,
    scaleDownStabilizationWindowSeconds: down,
  },
  expected: { stabilizedReplicas: stabilized, recommendationsAfter: logAfter },
});

/** Both windows 300 s; only the stabilized count is compared, as upstream leaves the log unchecked. */
const withBehaviorCount = (
  name: string,
  recommendations: unknown[],
  current: number,
  desired: number,
  stabilized: number,
): Row => ({
  ...withBehavior(name, recommendations, current, desired, [300, 300], stabilized, []),
  expected: { stabilizedReplicas: stabilized },
});

const withoutBehavior = (
  name: string,
  recommendations: unknown[],
  desired: number,
  stabilized: number,
  lengthAfter: number,
): Row => ({
  name: `TestNormalizeDesiredReplicas: ${name}`,
  kind: 'stabilize',
  inputs: { prenormalizedDesiredReplicas: desired, recommendations, windowSeconds: 300 },
  expected: { stabilizedReplicas: stabilized, recommendationsLengthAfter: lengthAfter },
});

/** Upstream's unit tests set the scale-up factor to 8: calculateScaleUpLimit(3) = 24. */
const convert = (
  name: string,
  [current, desired, min, max]: number[],
  replicas: number,
  condition: string,
): Row => ({
  name: `TestConvertDesiredReplicasWithRules: ${name}`,
  kind: 'clampNoBehavior',
  inputs: {
    currentReplicas: current,
    desiredReplicas: desired,
    minReplicas: min,
    maxReplicas: max,
    scaleUpLimitFactor: 8,
    scaleUpLimitMinimum: 4,
  },
  expected: { replicas, condition },
});

const twoPolicies = gen(10, 60, 100, 60);
const recent = [rec(4, 120), rec(5, 60)];
const old = [rec(10, 600), rec(9, 540)];
const minRules = {
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Min',
  policies: [
    { type: 'Pods', value: 2, periodSeconds: 60 },
    { type: 'Percent', value: 50, periodSeconds: 60 },
  ],
};

const rows: Row[] = [
  ...store('empty entries with default behavior', null, [], 0, []),
  ...store('empty entries with two-policy-behavior', twoPolicies, [], 0, after(5)),
  ...store('one outdated entry to be kept untouched without behavior', null, [ev(7, 61)], 0, after(7)),
  ...store('one outdated entry to be replaced with behavior', twoPolicies, [ev(7, 61)], 0, after(5)),
  ...store('one actual entry to be not touched with behavior', twoPolicies, [ev(7, 58)], 7, after(7, 5)),
  ...store(
    'two entries, one of them to be replaced',
    gen(10, 60, 0, 0),
    [ev(7, 61), ev(6, 59)],
    6,
    after(5, 6),
  ),
  ...store(
    'replace one entry, use policies with different periods',
    gen(10, 60, 100, 30),
    [ev(8, 29), ev(6, 59), ev(7, 61), ev(9, 61)],
    14,
    after(8, 6, [7, true], 5),
  ),
  ...store('two entries, both actual', gen(10, 120, 100, 30), [ev(7, 58), ev(6, 59)], 13, after(7, 6, 5)),

  withBehavior('empty recommendations for scaling down', [], 100, 5, [0, 0], 5, [5]),
  withBehavior('simple scale down stabilization', recent, 100, 3, [0, 180], 5, [4, 5, 3]),
  withBehavior('simple scale up stabilization', recent, 1, 7, [300, 0], 4, [4, 5, 7]),
  withBehavior('no scale down stabilization', [rec(1, 120), rec(2, 60)], 100, 3, [300, 0], 3, [1, 2, 3]),
  withBehavior('no scale up stabilization', recent, 1, 3, [0, 300], 3, [4, 5, 3]),
  withBehavior('no scale down stabilization, reuse recommendation element', old, 100, 3, [0, 0], 3, [10, 3]),
  withBehavior(
    'no scale up stabilization, reuse recommendation element',
    old,
    1,
    100,
    [0, 0],
    100,
    [10, 100],
  ),
  withBehavior(
    'scale down stabilization, reuse one of obsolete recommendation element',
    [rec(10, 600), rec(4, 60), rec(5, 120), rec(9, 540)],
    100,
    3,
    [0, 180],
    5,
    [10, 4, 5, 3],
  ),
  withBehavior(
    'scale up stabilization, reuse one of obsolete recommendation element',
    [rec(10, 6000), rec(6, 60), rec(5, 120), rec(9, 180)],
    1,
    100,
    [300, 0],
    5,
    [100, 6, 5, 9],
  ),
  // Upstream checks only the count here: both windows hold the other direction's recommendation.
  withBehaviorCount(
    'scale up and down stabilization, do not scale up when prenormalized rec goes down',
    [rec(2, 6000), rec(3, 180)],
    2,
    1,
    2,
  ),
  withBehaviorCount(
    'scale up and down stabilization, do not scale down when prenormalized rec goes up',
    [rec(2, 6000), rec(1, 180)],
    2,
    3,
    2,
  ),

  withoutBehavior('empty log', [], 5, 5, 1),
  withoutBehavior('stabilize', recent, 3, 5, 3),
  withoutBehavior('no stabilize', [rec(1, 120), rec(2, 60)], 3, 3, 3),
  withoutBehavior('no stabilize - old recommendations', old, 3, 3, 2),
  withoutBehavior(
    'stabilize - old recommendations',
    [rec(10, 600), rec(4, 60), rec(5, 120), rec(9, 540)],
    3,
    5,
    4,
  ),

  convert('prenormalized desired replicas within range', [5, 7, 3, 8], 7, 'DesiredWithinRange'),
  convert('prenormalized desired replicas < minReplicas', [3, 1, 2, 8], 2, 'TooFewReplicas'),
  convert('prenormalized desired zeroed replicas within range', [1, 0, 0, 10], 0, 'DesiredWithinRange'),
  convert(
    'maxReplicas is the limit because maxReplicas < scaleUpLimit',
    [20, 1000, 1, 10],
    10,
    'TooManyReplicas',
  ),
  convert(
    'scaleUpLimit is the limit because scaleUpLimit < maxReplicas',
    [3, 1000, 1, 2000],
    24,
    'ScaleUpLimit',
  ),

  {
    name: 'TestCalculateScaleUpLimitWithScalingRules: Min of 1 + 2 and ceil(1 × 1.5)',
    kind: 'scaleUpLimit',
    inputs: { currentReplicas: 1, rules: minRules },
    expected: { limit: 2 },
  },
  {
    name: 'TestCalculateScaleDownLimitWithBehaviors: Min of 5 − 2 and trunc(5 × 0.5)',
    kind: 'scaleDownLimit',
    inputs: { currentReplicas: 5, rules: minRules },
    expected: { limit: 3 },
  },
];

describe('upstream horizontal_test.go: scale events, stabilization and clamps', () => {
  it.each(rows)('$name', ({ kind, inputs, expected }) => {
    expect(run(kind, inputs)).toMatchObject(expected);
  });
});
