import { describe, expect, it } from 'vitest';
import { DEFAULT_DOWN, DEFAULT_UP, ev, type Row, rules, run } from '../../../../test/factories/autoscaler';

// Cases modelled on Kubernetes' horizontal_test.go (behavior rate limits, min/max, scale
// events); expected values worked out by hand from HPA-ALGORITHM.md sections 4–6.
const up = (...p: Parameters<typeof rules>) => rules(...p);
const limitOf = (
  currentReplicas: number,
  r: unknown,
  scaleUpEvents: unknown[] = [],
  scaleDownEvents: unknown[] = [],
) => ({
  currentReplicas,
  rules: r,
  scaleUpEvents,
  scaleDownEvents,
});
const rate = (
  currentReplicas: number,
  desiredReplicas: number,
  min: number,
  max: number,
  extra: Record<string, unknown> = {},
) => ({
  currentReplicas,
  desiredReplicas,
  minReplicas: min,
  maxReplicas: max,
  scaleUp: DEFAULT_UP,
  scaleDown: DEFAULT_DOWN,
  ...extra,
});
const clamp = (
  currentReplicas: number,
  desiredReplicas: number,
  minReplicas: number,
  maxReplicas: number,
  scaleUpLimitFactor = 2,
) => ({
  currentReplicas,
  desiredReplicas,
  minReplicas,
  maxReplicas,
  scaleUpLimitFactor,
  scaleUpLimitMinimum: 4,
});
const pods60 = up([{ type: 'Pods', value: 4, periodSeconds: 60 }]);

const rows: Row[] = [
  // 5.3 policy limits
  {
    name: 'default scale-up at 10: max(10 + 4, 10 × 2) = 20',
    kind: 'scaleUpLimit',
    inputs: limitOf(10, DEFAULT_UP),
    expected: { limit: 20 },
  },
  {
    name: 'default scale-up at 3: max(7, 6) = 7',
    kind: 'scaleUpLimit',
    inputs: limitOf(3, DEFAULT_UP),
    expected: { limit: 7 },
  },
  {
    name: 'a recent +5 lowers the period start to 5: max(9, 10) = 10',
    kind: 'scaleUpLimit',
    inputs: limitOf(10, DEFAULT_UP, [ev(5, 10)]),
    expected: { limit: 10 },
  },
  {
    name: 'selectPolicy Min takes the smaller: 14',
    kind: 'scaleUpLimit',
    inputs: limitOf(10, { ...DEFAULT_UP, selectPolicy: 'Min' }),
    expected: { limit: 14 },
  },
  {
    name: 'selectPolicy Disabled keeps the current count',
    kind: 'scaleUpLimit',
    inputs: limitOf(10, { ...DEFAULT_UP, selectPolicy: 'Disabled' }),
    expected: { limit: 10 },
  },
  {
    name: 'an event exactly one period old no longer counts',
    kind: 'scaleUpLimit',
    inputs: limitOf(10, DEFAULT_UP, [ev(5, 15)]),
    expected: { limit: 20 },
  },
  {
    name: 'recent scale-downs raise the period start: 12 → 24',
    kind: 'scaleUpLimit',
    inputs: limitOf(10, DEFAULT_UP, [], [ev(2, 5)]),
    expected: { limit: 24 },
  },
  {
    name: 'Percent 100 down allows 0',
    kind: 'scaleDownLimit',
    inputs: limitOf(10, DEFAULT_DOWN),
    expected: { limit: 0 },
  },
  {
    name: 'scale-down Max takes the largest change: min(8, 5) = 5',
    kind: 'scaleDownLimit',
    inputs: limitOf(
      10,
      up([
        { type: 'Pods', value: 2, periodSeconds: 60 },
        { type: 'Percent', value: 50, periodSeconds: 60 },
      ]),
    ),
    expected: { limit: 5 },
  },
  {
    name: 'scale-down Min takes the smallest change: max(8, 5) = 8',
    kind: 'scaleDownLimit',
    inputs: limitOf(
      10,
      up(
        [
          { type: 'Pods', value: 2, periodSeconds: 60 },
          { type: 'Percent', value: 50, periodSeconds: 60 },
        ],
        'Min',
      ),
    ),
    expected: { limit: 8 },
  },
  {
    name: 'a recent −3 restores the period start to 10: 50 % → 5',
    kind: 'scaleDownLimit',
    inputs: limitOf(7, up([{ type: 'Percent', value: 50, periodSeconds: 60 }]), [], [ev(3, 30)]),
    expected: { limit: 5 },
  },
  {
    name: 'Percent down truncates: 15 × 0.9 = 13.5 → 13',
    kind: 'scaleDownLimit',
    inputs: limitOf(15, up([{ type: 'Percent', value: 10, periodSeconds: 60 }])),
    expected: { limit: 13 },
  },
  {
    name: 'scale-down Disabled keeps the current count',
    kind: 'scaleDownLimit',
    inputs: limitOf(6, { ...DEFAULT_DOWN, selectPolicy: 'Disabled' }),
    expected: { limit: 6 },
  },
  // 5.3 rate + min/max
  {
    name: 'rate: 30 wanted, 20 allowed → ScaleUpLimit',
    kind: 'behaviorRate',
    inputs: rate(10, 30, 1, 100),
    expected: { replicas: 20, condition: 'ScaleUpLimit' },
  },
  {
    name: 'rate: 30 wanted, max 15 below the policy limit → TooManyReplicas',
    kind: 'behaviorRate',
    inputs: rate(10, 30, 1, 15),
    expected: { replicas: 15, condition: 'TooManyReplicas' },
  },
  {
    name: 'rate: 14 wanted and allowed → DesiredWithinRange',
    kind: 'behaviorRate',
    inputs: rate(10, 14, 1, 100),
    expected: { replicas: 14, condition: 'DesiredWithinRange' },
  },
  {
    name: 'rate: down 2 servers per minute → 8, ScaleDownLimit',
    kind: 'behaviorRate',
    inputs: rate(10, 2, 1, 100, { scaleDown: up([{ type: 'Pods', value: 2, periodSeconds: 60 }]) }),
    expected: { replicas: 8, condition: 'ScaleDownLimit' },
  },
  {
    name: 'rate: down to 2 below min 5 → TooFewReplicas',
    kind: 'behaviorRate',
    inputs: rate(10, 2, 5, 100),
    expected: { replicas: 5, condition: 'TooFewReplicas' },
  },
  {
    name: 'rate: the period budget is spent → stays, ScaleUpLimit',
    kind: 'behaviorRate',
    inputs: rate(14, 30, 1, 100, {
      scaleUp: up([{ type: 'Pods', value: 4, periodSeconds: 15 }]),
      scaleUpEvents: [ev(4, 5)],
    }),
    expected: { replicas: 14, condition: 'ScaleUpLimit' },
  },
  {
    name: 'rate: scale-up Disabled → stays',
    kind: 'behaviorRate',
    inputs: rate(5, 8, 1, 100, { scaleUp: { ...DEFAULT_UP, selectPolicy: 'Disabled' } }),
    expected: { replicas: 5, condition: 'ScaleUpLimit' },
  },
  {
    name: 'rate: scale-down Disabled → stays',
    kind: 'behaviorRate',
    inputs: rate(5, 2, 1, 100, { scaleDown: { ...DEFAULT_DOWN, selectPolicy: 'Disabled' } }),
    expected: { replicas: 5, condition: 'ScaleDownLimit' },
  },
  {
    name: 'rate: no change wanted',
    kind: 'behaviorRate',
    inputs: rate(5, 5, 1, 10),
    expected: { replicas: 5, condition: 'DesiredWithinRange' },
  },
  // 4.2 without behavior
  {
    name: 'clamp: from 1 the cap is max(2, 4) = 4',
    kind: 'clampNoBehavior',
    inputs: clamp(1, 10, 1, 20),
    expected: { replicas: 4, condition: 'ScaleUpLimit' },
  },
  {
    name: 'clamp: from 10 the cap is 20',
    kind: 'clampNoBehavior',
    inputs: clamp(10, 30, 1, 100),
    expected: { replicas: 20, condition: 'ScaleUpLimit' },
  },
  {
    name: 'clamp: max 15 below the cap → TooManyReplicas',
    kind: 'clampNoBehavior',
    inputs: clamp(10, 30, 1, 15),
    expected: { replicas: 15, condition: 'TooManyReplicas' },
  },
  {
    name: 'clamp: below min → TooFewReplicas',
    kind: 'clampNoBehavior',
    inputs: clamp(5, 0, 2, 10),
    expected: { replicas: 2, condition: 'TooFewReplicas' },
  },
  {
    name: 'clamp: from 0 the cap is 4',
    kind: 'clampNoBehavior',
    inputs: clamp(0, 7, 0, 10),
    expected: { replicas: 4, condition: 'ScaleUpLimit' },
  },
  {
    name: "clamp: the unit tests' factor 8 → 24",
    kind: 'clampNoBehavior',
    inputs: clamp(3, 30, 1, 100, 8),
    expected: { replicas: 24, condition: 'ScaleUpLimit' },
  },
  {
    name: 'clamp: max equal to the cap → TooManyReplicas',
    kind: 'clampNoBehavior',
    inputs: clamp(2, 10, 1, 4),
    expected: { replicas: 4, condition: 'TooManyReplicas' },
  },
  {
    name: 'clamp: a scale down to any count above min in one step',
    kind: 'clampNoBehavior',
    inputs: clamp(40, 3, 1, 50),
    expected: { replicas: 3, condition: 'DesiredWithinRange' },
  },
  // 6 scale events
  {
    name: 'events: no behavior records nothing',
    kind: 'storeScaleEvent',
    inputs: { direction: 'up', prevReplicas: 3, newReplicas: 5, rules: null, events: [ev(1, 10)] },
    expected: { replicaChangeWithin60sBefore: 1, eventsAfter: [{ change: 1, outdated: false }] },
  },
  {
    name: 'events: none outdated → appended',
    kind: 'storeScaleEvent',
    inputs: {
      direction: 'up',
      prevReplicas: 3,
      newReplicas: 5,
      rules: pods60,
      events: [ev(1, 10), ev(2, 20)],
    },
    expected: {
      replicaChangeWithin60sBefore: 3,
      eventsAfter: [
        { change: 1, outdated: false },
        { change: 2, outdated: false },
        { change: 2, outdated: false },
      ],
    },
  },
  {
    name: 'events: the last outdated slot is reused, the others stay outdated',
    kind: 'storeScaleEvent',
    inputs: {
      direction: 'up',
      prevReplicas: 10,
      newReplicas: 15,
      rules: pods60,
      events: [ev(1, 70), ev(2, 100), ev(3, 10)],
    },
    expected: {
      replicaChangeWithin60sBefore: 3,
      eventsAfter: [
        { change: 1, outdated: true },
        { change: 5, outdated: false },
        { change: 3, outdated: false },
      ],
    },
  },
  {
    name: 'events: the longest period of the direction decides what is outdated',
    kind: 'storeScaleEvent',
    inputs: {
      direction: 'down',
      prevReplicas: 8,
      newReplicas: 6,
      rules: up([
        { type: 'Pods', value: 1, periodSeconds: 15 },
        { type: 'Percent', value: 10, periodSeconds: 120 },
      ]),
      events: [ev(4, 100)],
    },
    expected: {
      replicaChangeWithin60sBefore: 0,
      eventsAfter: [
        { change: 4, outdated: false },
        { change: 2, outdated: false },
      ],
    },
  },
];

describe('normalization (HPA-ALGORITHM.md sections 4–6)', () => {
  it.each(rows)('$kind: $name', ({ kind, inputs, expected }) => {
    expect(run(kind, inputs)).toEqual(expected);
  });
});
