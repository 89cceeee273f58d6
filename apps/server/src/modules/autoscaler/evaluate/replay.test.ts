import { describe, expect, it } from 'vitest';
import { type ReplayOptions, replay } from './replay';
import { parseTrace } from './trace';

const OPTIONS: ReplayOptions = {
  serverRps: 1,
  bootSeconds: 60,
  drainSeconds: 0,
  syncSeconds: 15,
  warmupSeconds: 0,
  hpaTargetUtilization: 70,
  floorTargetUtilization: 90,
  minServers: 1,
  maxServers: 500,
  predictive: {},
};

/** Per-second CSV: `before` req/s for `at` seconds, then `after` req/s until `total`. */
function stepTrace(before: number, after: number, at: number, total: number) {
  const rows = ['timestamp,requests'];
  for (let i = 0; i < total; i++) rows.push(`${1_700_000_000 + i},${i < at ? before : after}`);
  return parseTrace(rows.join('\n'));
}

describe('replay', () => {
  it('the HPA follows a step up of demand after its sync, boot and scale-up limits', () => {
    const r = replay(stepTrace(7, 35, 600, 1200), 'hpa', OPTIONS);
    const m = r.metrics;
    // Before the step 7 req/s at 70 % needs 10 servers; after it 35 req/s needs 50, and the
    // tolerance band stops the climb anywhere from 35 / (0.7 × 1.1) = 45.5 servers. The requests
    // queued while short keep the CPU at 100 % for a while, so it may overshoot (the scale-down
    // window then holds that).
    expect(r.supply[590]).toBe(10);
    expect(r.supply[1199]).toBeGreaterThanOrEqual(46);
    expect(r.supply[1199]).toBeLessThanOrEqual(100);
    // Short of servers from the step until the added ones are ready: at least the boot delay.
    expect(m.timeToRecoverMaxSeconds).toBeGreaterThanOrEqual(60);
    expect(m.sloViolationMinutes).toBeGreaterThanOrEqual(1);
    expect(m.unservedRequests).toBeGreaterThan(0);
    expect(m.serverMinutesVsOracle).toBeGreaterThan(1);
  });

  it('holds a scale down for the 5 minute stabilization window, then drops at once', () => {
    const r = replay(stepTrace(35, 7, 600, 1500), 'hpa', OPTIONS);
    // 35 req/s at 70 %: 50 servers, or as few as 35 / (0.7 × 1.1) = 45.5 within the tolerance band.
    const before = r.supply[599] as number;
    expect(before).toBeGreaterThanOrEqual(46);
    expect(before).toBeLessThanOrEqual(50);
    expect(r.supply[600 + 280]).toBe(before);
    expect(r.supply[600 + 330]).toBe(10);
  });

  it('the predictive mode keeps a steady load covered at the target utilization from its first sync', () => {
    const trace = stepTrace(40, 40, 0, 1800);
    const hpa = replay(trace, 'hpa', { ...OPTIONS, warmupSeconds: 300 });
    const predictive = replay(trace, 'predictive', { ...OPTIONS, warmupSeconds: 300 });
    expect(hpa.metrics.sloViolationMinutes).toBe(0);
    expect(predictive.metrics.sloViolationMinutes).toBe(0);
    // 40 req/s at 70 % is 57.1 req/s: 57 whole requests per second, 57 servers of 1 req/s, all along.
    expect(new Set(predictive.supply)).toEqual(new Set([57]));
    // The HPA settles anywhere in its tolerance band (46–57 servers): about the same cost.
    expect(predictive.metrics.serverMinutes / hpa.metrics.serverMinutes).toBeLessThan(1.1);
  });

  it('spreads a per-minute step over 15 s ticks and survives gaps and zeros', () => {
    const trace = parseTrace('0,600\n60,0\n180,1200\n240,600\n300,600\n');
    expect(trace.gapSteps).toBe(1);
    for (const policy of ['hpa', 'predictive'] as const) {
      const r = replay(trace, policy, OPTIONS);
      expect(r.tickSeconds).toBe(15);
      expect(r.demand.length).toBe(6 * 4);
      expect(r.demand[0]).toBe(10);
      expect(Number.isFinite(r.metrics.deviation)).toBe(true);
    }
  });
});
