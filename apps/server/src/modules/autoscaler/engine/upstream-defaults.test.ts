import { describe, expect, it } from 'vitest';
import { resolveRules } from './normalize';

// TestGenerateScaleUpRules and TestGenerateScaleDownRules of Kubernetes'
// pkg/apis/autoscaling/v2/defaults_test.go: a behavior direction given in part is filled field by
// field. Upstream leaves an unset scale-down window nil for the controller to fill; here it is the
// controller's window, 300 s.
const pods = (value: number, periodSeconds: number) => ({ type: 'Pods' as const, value, periodSeconds });
const percent = (value: number, periodSeconds: number) => ({
  type: 'Percent' as const,
  value,
  periodSeconds,
});
type Case = [string, Parameters<typeof resolveRules>[0], ReturnType<typeof resolveRules>];

const up: Case[] = [
  [
    'Default values',
    {},
    { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [pods(4, 15), percent(100, 15)] },
  ],
  [
    'All parameters are specified',
    { stabilizationWindowSeconds: 25, selectPolicy: 'Max', policies: [pods(1, 2), percent(3, 4)] },
    { stabilizationWindowSeconds: 25, selectPolicy: 'Max', policies: [pods(1, 2), percent(3, 4)] },
  ],
  [
    'Pod policy is specified',
    { selectPolicy: 'Min', policies: [pods(1, 2)] },
    { stabilizationWindowSeconds: 0, selectPolicy: 'Min', policies: [pods(1, 2)] },
  ],
  [
    'Percent policy is specified',
    { policies: [percent(7, 10)] },
    { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [percent(7, 10)] },
  ],
  [
    'Pod policy and stabilization window are specified',
    { stabilizationWindowSeconds: 25, policies: [pods(4, 2)] },
    { stabilizationWindowSeconds: 25, selectPolicy: 'Max', policies: [pods(4, 2)] },
  ],
  [
    'Percent policy and stabilization window are specified',
    { stabilizationWindowSeconds: 25, policies: [percent(7, 60)] },
    { stabilizationWindowSeconds: 25, selectPolicy: 'Max', policies: [percent(7, 60)] },
  ],
];

const down: Case[] = [
  [
    'Default values',
    {},
    { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [percent(100, 15)] },
  ],
  [
    'All parameters are specified',
    { stabilizationWindowSeconds: 25, selectPolicy: 'Max', policies: [pods(1, 2), percent(3, 4)] },
    { stabilizationWindowSeconds: 25, selectPolicy: 'Max', policies: [pods(1, 2), percent(3, 4)] },
  ],
  [
    'Percent policy is specified',
    { selectPolicy: 'Min', policies: [percent(1, 2)] },
    { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [percent(1, 2)] },
  ],
  [
    'Pods policy is specified',
    { policies: [pods(3, 4)] },
    { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [pods(3, 4)] },
  ],
];

describe('upstream defaults_test.go: behavior rules filled field by field', () => {
  it.each(up)('TestGenerateScaleUpRules: %s', (_, given, expected) => {
    expect(resolveRules(given, 'up', 300)).toEqual(expected);
  });
  it.each(down)('TestGenerateScaleDownRules: %s', (_, given, expected) => {
    expect(resolveRules(given, 'down', 300)).toEqual(expected);
  });
});
