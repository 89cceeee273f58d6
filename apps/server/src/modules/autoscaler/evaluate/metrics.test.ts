import { describe, expect, it } from 'vitest';
import { computeMetrics } from './metrics';

describe('evaluation metrics', () => {
  it('reproduces the worked example of EVALUATION-METRICS.md', () => {
    const d = [2, 3, 5, 5, 4, 2];
    const s = [2, 2, 3, 5, 5, 4];
    const m = computeMetrics({
      stepSeconds: 60,
      perServer: 1,
      arrivals: d,
      demand: d,
      supply: s,
      billed: s,
      served: d.map((x, i) => Math.min(x, s[i] as number)),
      change: [0, 0, 1, 2, 0, -1],
    });
    expect(m.underProvisioningAccuracy).toBeCloseTo(12.22, 2);
    expect(m.overProvisioningAccuracy).toBeCloseTo(20.83, 2);
    expect(m.underProvisioningTimeshare).toBeCloseTo(33.33, 2);
    expect(m.overProvisioningTimeshare).toBeCloseTo(33.33, 2);
    expect(m.instabilityUp).toBeCloseTo(40, 4);
    expect(m.instabilityDown).toBeCloseTo(20, 4);
    expect(m.instability).toBeCloseTo(60, 4);
    expect(m.jitterPerHour).toBeCloseTo(-10, 4);
    expect(m.footprintRequests).toBe(21);
    expect(m.relativeSlack).toBeCloseTo(14.29, 2);
    expect(m.unservedDemandRatio).toBeCloseTo(14.29, 2);
    expect(m.deviation).toBeCloseTo(80.04, 1);
    expect(m).toMatchObject({
      sloViolationMinutes: 2,
      unservedRequests: 3,
      serverMinutes: 21,
      oracleServerMinutes: 21,
      serverMinutesVsOracle: 1,
      scalingActions: 3,
      overloadSteps: 2,
      overloadEpisodes: 1,
      timeToRecoverMaxSeconds: 120,
    });
  });

  it('counts steps without requests against one server, not against zero', () => {
    const m = computeMetrics({
      stepSeconds: 1,
      perServer: 1,
      arrivals: [0, 0],
      demand: [0, 0],
      supply: [2, 2],
      billed: [2, 2],
      served: [0, 0],
      change: [0, 0],
    });
    expect(m.overProvisioningAccuracy).toBe(200);
    expect(m.unservedDemandRatio).toBe(0);
    expect(m.serverMinutesVsOracle).toBe(0);
  });
});
