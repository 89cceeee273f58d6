import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DOWN,
  DEFAULT_UP,
  ev,
  type Row,
  run,
  scalingRules,
} from '../../../../test/factories/autoscaler';

// TestScalingWithRules of Kubernetes' horizontal_test.go (behavior rate limits with min/max and
// event history), one row per upstream case, named after it, with the upstream expected count and
// condition. The helpers mirror upstream's generateScalingRules and generateEventsUniformDistribution.

const gen = scalingRules;
/** generateEventsUniformDistribution: changes spread over the last `period` s, whole seconds old. */
const spread = (changes: number[], period: number) => {
  const segment = period / changes.length;
  return changes.map((c, i) => ev(c, Math.trunc(period - segment * (i + 1) + segment / 2)));
};
type Extra = { up?: unknown; down?: unknown; upEvents?: unknown[]; downEvents?: unknown[] };
/** One upstream case: [current, prenormalized desired, min, max] → [replicas, condition]. */
const row = (
  name: string,
  [current, desired, min, max]: number[],
  [replicas, condition]: [number, string],
  x: Extra = {},
): Row => ({
  name: `TestScalingWithRules: ${name}`,
  kind: 'behaviorRate',
  inputs: {
    currentReplicas: current,
    desiredReplicas: desired,
    minReplicas: min,
    maxReplicas: max,
    scaleUp: x.up ?? DEFAULT_UP,
    scaleDown: x.down ?? DEFAULT_DOWN,
    scaleUpEvents: x.upEvents ?? [],
    scaleDownEvents: x.downEvents ?? [],
  },
  expected: { replicas, condition },
});
const upEv = spread([1, 5, 9], 120);
const mixed = spread([8, 12, 9, 11], 120);

const rows: Row[] = [
  row('prenormalized desired replicas within range', [5, 7, 3, 8], [7, 'DesiredWithinRange']),
  row('prenormalized desired replicas < minReplicas', [3, 1, 2, 8], [2, 'TooFewReplicas']),
  row(
    'prenormalized desired replicas within range when minReplicas is 0',
    [1, 0, 0, 10],
    [0, 'DesiredWithinRange'],
  ),
  row(
    'maxReplicas is the limit because maxReplicas < scaleUpLimit',
    [20, 1000, 1, 10],
    [10, 'TooManyReplicas'],
  ),
  row(
    'desired replica count is more than the maximum replica count',
    [100, 1000, 100, 150],
    [150, 'TooManyReplicas'],
  ),
  row(
    'scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies',
    [3, 1000, 1, 2000],
    [4, 'ScaleUpLimit'],
    { up: gen(0, 0, 1, 60, 0) },
  ),
  // Upstream marks this one testThis and skips it; the arithmetic still gives 1000 − 20.
  row(
    'scaleDownLimit is the limit because scaleDownLimit > minReplicas with user defined policies',
    [1000, 3, 3, 2000],
    [980, 'ScaleDownLimit'],
    { down: gen(20, 60, 0, 0, 0) },
  ),
  row('scaleUp with default behavior', [10, 50, 1, 1000], [20, 'ScaleUpLimit']),
  row('scaleUp with pods policy larger than percent policy', [10, 500, 1, 1000], [110, 'ScaleUpLimit'], {
    up: gen(100, 60, 100, 60, 0),
  }),
  row('scaleUp with percent policy larger than pods policy', [10, 500, 1, 1000], [20, 'ScaleUpLimit'], {
    up: gen(2, 60, 100, 60, 0),
  }),
  row(
    'scaleUp with spec MaxReplicas limitation with large pod policy',
    [10, 50, 1, 1000],
    [50, 'DesiredWithinRange'],
    { up: gen(100, 60, 0, 0, 0) },
  ),
  row(
    'scaleUp with spec MaxReplicas limitation with large percent policy',
    [10, 50, 1, 1000],
    [50, 'DesiredWithinRange'],
    { up: gen(0, 0, 10000, 60, 0) },
  ),
  row('scaleUp with pod policy limitation', [10, 50, 1, 1000], [40, 'ScaleUpLimit'], {
    up: gen(30, 60, 0, 0, 0),
  }),
  row('scaleUp with percent policy limitation', [10, 50, 1, 1000], [30, 'ScaleUpLimit'], {
    up: gen(0, 0, 200, 60, 0),
  }),
  row('scaleDown with percent policy larger than pod policy', [100, 2, 1, 1000], [80, 'ScaleDownLimit'], {
    down: gen(20, 60, 1, 60, 300),
  }),
  row('scaleDown with pod policy larger than percent policy', [100, 2, 1, 1000], [98, 'ScaleDownLimit'], {
    down: gen(2, 60, 1, 60, 300),
  }),
  row(
    'scaleDown with spec MinReplicas=nil limitation with large pod policy',
    [10, 0, 1, 1000],
    [1, 'TooFewReplicas'],
    { down: gen(100, 60, 0, 0, 300) },
  ),
  row(
    'scaleDown with spec MinReplicas limitation with large pod policy',
    [10, 0, 1, 1000],
    [1, 'TooFewReplicas'],
    { down: gen(100, 60, 0, 0, 300) },
  ),
  row(
    'scaleDown with spec MinReplicas limitation with large percent policy',
    [10, 2, 5, 1000],
    [5, 'TooFewReplicas'],
    { down: gen(0, 0, 100, 60, 300) },
  ),
  row('scaleDown with pod policy limitation', [10, 2, 1, 1000], [5, 'ScaleDownLimit'], {
    down: gen(5, 60, 0, 0, 300),
  }),
  row('scaleDown with percent policy limitation', [10, 5, 1, 1000], [5, 'DesiredWithinRange'], {
    down: gen(0, 0, 50, 60, 300),
  }),
  row(
    'scaleUp with spec MaxReplicas limitation with large pod policy and events',
    [100, 500, 1, 200],
    [200, 'TooManyReplicas'],
    { up: gen(300, 60, 0, 0, 0), upEvents: upEv },
  ),
  row(
    'scaleUp with spec MaxReplicas limitation with large percent policy and events',
    [100, 500, 1, 200],
    [200, 'TooManyReplicas'],
    { up: gen(0, 0, 10000, 60, 0), upEvents: upEv },
  ),
  row(
    'scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events',
    [100, 500, 1, 1000],
    [100, 'ScaleUpLimit'],
    { up: gen(5, 120, 0, 0, 0), upEvents: upEv },
  ),
  row('scaleUp with pod policy and previous scale up events', [100, 500, 1, 1000], [235, 'ScaleUpLimit'], {
    up: gen(150, 120, 0, 0, 0),
    upEvents: upEv,
  }),
  row(
    'scaleUp with percent policy and previous scale up events',
    [100, 500, 1, 1000],
    [255, 'ScaleUpLimit'],
    { up: gen(0, 0, 200, 120, 0), upEvents: upEv },
  ),
  // The period start counts both directions: 6 − 4 up + 2 down = 4, and 300 % of 4 allows 16.
  row(
    'scaleUp with percent policy and previous scale up and down events',
    [6, 24, 1, 1000],
    [16, 'ScaleUpLimit'],
    { up: gen(0, 0, 300, 300, 0), upEvents: spread([4], 120), downEvents: spread([2], 120) },
  ),
  row('scaleDown with default policy and previous events', [10, 5, 1, 1000], [5, 'DesiredWithinRange'], {
    downEvents: upEv,
  }),
  row(
    'scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events',
    [100, 0, 1, 1000],
    [1, 'TooFewReplicas'],
    { down: gen(115, 120, 0, 0, 300), downEvents: upEv },
  ),
  row(
    'scaleDown with spec MinReplicas limitation with large pod policy and previous events',
    [100, 0, 5, 1000],
    [5, 'TooFewReplicas'],
    { down: gen(130, 120, 0, 0, 300), downEvents: upEv },
  ),
  row(
    'scaleDown with spec MinReplicas limitation with large percent policy and previous events',
    [100, 2, 5, 1000],
    [5, 'TooFewReplicas'],
    { down: gen(0, 0, 100, 120, 300), downEvents: upEv },
  ),
  row(
    'scaleDown with pod policy limitation and previous events',
    [100, 2, 1, 1000],
    [100, 'ScaleDownLimit'],
    { down: gen(5, 120, 0, 0, 300), downEvents: upEv },
  ),
  row(
    'scaleDown with percent policy limitation and previous events',
    [100, 0, 1, 1000],
    [56, 'ScaleDownLimit'],
    { down: gen(0, 0, 50, 120, 300), downEvents: spread([2, 4, 6], 120) },
  ),
  // 10 − 2 up + 4 down = 12 at the period start; 50 % of it is 6.
  row(
    'scaleDown with percent policy and previous scale up and down events',
    [10, 1, 1, 1000],
    [6, 'ScaleDownLimit'],
    { down: gen(0, 0, 50, 180, 0), upEvents: spread([2], 120), downEvents: spread([4], 120) },
  ),
  row(
    'scaleDown with previous events preventing further scale down',
    [100, 0, 1, 1000],
    [100, 'ScaleDownLimit'],
    { down: gen(0, 0, 10, 120, 300), downEvents: spread([10, 10, 10], 120) },
  ),
  row(
    'scaleDown with with previous events still allowing more scale down',
    [10, 5, 1, 1000],
    [5, 'DesiredWithinRange'],
    { down: gen(0, 0, 1000, 120, 300), downEvents: spread([10, 10, 10], 120) },
  ),
  row(
    "check 'outdated' flag for events for one behavior for up",
    [100, 200, 1, 1000],
    [200, 'DesiredWithinRange'],
    { up: gen(1000, 60, 0, 0, 0), upEvents: mixed },
  ),
  row(
    "check that events were not marked 'outdated' for two different policies in the behavior for up",
    [100, 200, 1, 1000],
    [200, 'DesiredWithinRange'],
    { up: gen(1000, 120, 100, 60, 0), upEvents: mixed },
  ),
  row(
    "check that events were marked 'outdated' for two different policies in the behavior for up",
    [100, 200, 1, 1000],
    [200, 'DesiredWithinRange'],
    { up: gen(1000, 30, 100, 60, 0), upEvents: mixed },
  ),
  row(
    "check 'outdated' flag for events for one behavior for down",
    [100, 5, 1, 1000],
    [5, 'DesiredWithinRange'],
    { down: gen(1000, 60, 0, 0, 300), downEvents: mixed },
  ),
  row(
    "check that events were not marked 'outdated' for two different policies in the behavior for down",
    [100, 5, 1, 1000],
    [5, 'DesiredWithinRange'],
    { down: gen(1000, 120, 100, 60, 300), downEvents: mixed },
  ),
  row(
    "check that events were marked 'outdated' for two different policies in the behavior for down",
    [100, 5, 1, 1000],
    [5, 'DesiredWithinRange'],
    { down: gen(1000, 30, 100, 60, 300), downEvents: mixed },
  ),
];

describe('upstream horizontal_test.go: TestScalingWithRules', () => {
  it.each(rows)('$name', ({ kind, inputs, expected }) => {
    expect(run(kind, inputs)).toEqual(expected);
  });
});
