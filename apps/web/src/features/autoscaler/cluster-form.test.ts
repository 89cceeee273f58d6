import { ZClusterCreate } from '@clockpilot/contracts/autoscaler';
import { describe, expect, it } from 'vitest';
import { initialValues, loadBody, loadValues, toBody, toFormErrors, validateCluster } from './cluster-form';

describe('cluster form', () => {
  it('sends a body the server contract accepts, with behavior only when a window is set', () => {
    const v = { ...initialValues(), name: 'web-eu_1' };
    const body = toBody(v);
    expect(ZClusterCreate.parse(body)).toMatchObject({
      name: 'web-eu_1',
      target: { type: 'cpu', utilizationPercent: 70 },
      behavior: null,
      simulation: { load: { type: 'constant', rps: 0 } },
    });
    expect(toBody({ ...v, scaleDownWindowSeconds: 60 }).behavior).toEqual({
      scaleUp: null,
      scaleDown: { stabilizationWindowSeconds: 60 },
    });
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
      }),
    ).toEqual({
      name: 'taken',
      targetValue: 'too big',
      'load.baseRps': 'bad',
      scaleDownWindowSeconds: 'over 3600',
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
