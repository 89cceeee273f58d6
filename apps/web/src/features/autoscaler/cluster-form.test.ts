import { ZClusterCreate } from '@clockpilot/contracts/autoscaler';
import { HPA_DEFAULT_RULES } from '@clockpilot/contracts/autoscaler-decide';
import { describe, expect, it } from 'vitest';
import {
  behaviorBody,
  behaviorValues,
  initialValues,
  loadBody,
  loadValues,
  toBody,
  toFormErrors,
  validateCluster,
} from './cluster-form';

describe('cluster form', () => {
  it('sends a body the server contract accepts, with behavior only when switched on', () => {
    const v = { ...initialValues(), name: 'web-eu_1' };
    const body = toBody(v);
    expect(ZClusterCreate.parse(body)).toMatchObject({
      name: 'web-eu_1',
      target: { type: 'cpu', utilizationPercent: 70 },
      behavior: null,
      simulation: { load: { type: 'constant', rps: 0 } },
    });
    // Switched on, the form holds Kubernetes' defaults; the scale-down window stays the controller's.
    expect(
      ZClusterCreate.parse(toBody({ ...v, behavior: { ...v.behavior, enabled: true } })).behavior,
    ).toEqual(HPA_DEFAULT_RULES);
  });

  it('round-trips a cluster’s behavior, filling what it leaves out with the defaults', () => {
    const behavior = {
      scaleUp: null,
      scaleDown: {
        stabilizationWindowSeconds: 60,
        selectPolicy: 'Min' as const,
        policies: [{ type: 'Pods' as const, value: 2, periodSeconds: 30 }],
      },
    };
    const v = behaviorValues(behavior);
    expect(v).toMatchObject({
      enabled: true,
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max' },
      scaleDown: behavior.scaleDown,
    });
    expect(behaviorBody(v)?.scaleDown).toEqual(behavior.scaleDown);
    expect(behaviorValues(null).enabled).toBe(false);
  });

  it('refuses emptied policy numbers and a direction without a policy on their fields', () => {
    const base = initialValues();
    const behavior = {
      ...base.behavior,
      enabled: true,
      scaleUp: {
        ...base.behavior.scaleUp,
        stabilizationWindowSeconds: 4000,
        policies: [{ type: 'Pods' as const, value: '' as const, periodSeconds: 2000 }],
      },
      scaleDown: { ...base.behavior.scaleDown, policies: [] },
    };
    const errors = validateCluster({ ...base, name: 'ok-name', behavior });
    expect(Object.keys(errors).sort()).toEqual([
      'behavior.scaleDown.policies',
      'behavior.scaleUp.policies.0.periodSeconds',
      'behavior.scaleUp.policies.0.value',
      'behavior.scaleUp.stabilizationWindowSeconds',
    ]);
    expect(errors['behavior.scaleDown.policies']).toBe('At least one policy');
    // Switched off, the rules are not sent and not checked.
    expect(validateCluster({ ...base, name: 'ok-name', behavior: { ...behavior, enabled: false } })).toEqual(
      {},
    );
  });

  it('puts the name, bound and target errors on their fields before sending', () => {
    const errors = validateCluster({
      ...initialValues(),
      name: 'a b',
      minServers: 5,
      maxServers: 2,
      targetValue: 150,
    });
    expect(errors.name).toMatch(/3 to 50/);
    expect(errors.maxServers).toBe('At least the minimum');
    expect(errors.targetValue).toBeDefined();
    expect(validateCluster({ ...initialValues(), name: 'ok-name' })).toEqual({});
  });

  it('moves the server’s field paths onto the form fields', () => {
    expect(
      toFormErrors({
        name: 'taken',
        'target.requestsPerSecond': 'too big',
        'simulation.load.rps': 'bad',
        'behavior.scaleDown.stabilizationWindowSeconds': 'over 3600',
        'behavior.scaleUp.policies.1.periodSeconds': 'over 1800',
      }),
    ).toEqual({
      name: 'taken',
      targetValue: 'too big',
      'load.baseRps': 'bad',
      'behavior.scaleDown.stabilizationWindowSeconds': 'over 3600',
      'behavior.scaleUp.policies.1.periodSeconds': 'over 1800',
    });
  });

  it('round-trips every load pattern through the form fields', () => {
    for (const type of ['constant', 'step', 'spike', 'diurnal', 'randomWalk'] as const) {
      const load = loadBody({ ...loadValues(undefined), type, baseRps: 5, peakRps: 80 });
      expect(ZClusterCreate.shape.simulation.parse({ load }).load.type).toBe(type);
      expect(loadValues(load)).toMatchObject({ type, baseRps: 5, peakRps: type === 'constant' ? 100 : 80 });
    }
  });
});
