import { SIM_CLUSTER_DEFAULTS, type TSimClusterUpdate } from '@clockpilot/contracts/simulator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClusterModel } from './cluster';

const cluster = (spec: TSimClusterUpdate = {}) => new ClusterModel({ ...SIM_CLUSTER_DEFAULTS, ...spec });
const phases = (c: ClusterModel) => c.metrics().servers.map((s) => [s.name, s.phase, s.ready, s.deleting]);

describe('ClusterModel', () => {
  it('gives the same series for the same seed and another for another seed', () => {
    const run = (seed: number) => {
      const c = cluster({
        seed,
        servers: 3,
        load: { type: 'randomWalk', startRps: 20, minRps: 0, maxRps: 60, volatilityRps: 5, stepSeconds: 5 },
      });
      const series = [];
      for (let t = 0; t < 120; t++) {
        if (t === 40) c.scaleTo(5);
        series.push(c.step(1));
      }
      return { series, metrics: c.metrics() };
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7).series.map((s) => s.arrivals)).not.toEqual(run(8).series.map((s) => s.arrivals));
  });

  it('keeps a new server Pending and not ready for the boot delay', () => {
    const c = cluster({ servers: 1, bootSeconds: 30 });
    c.scaleTo(2);
    c.advance(29);
    expect(phases(c)).toEqual([
      ['server-1', 'Running', true, false],
      ['server-2', 'Pending', false, false],
    ]);
    c.advance(1);
    expect(phases(c)[1]).toEqual(['server-2', 'Running', true, false]);
    expect(c.metrics().servers[1]!.ageSeconds).toBe(30);
  });

  it('drains a removed ready server for the drain time, and drops a booting one at once', () => {
    const c = cluster({ servers: 3, drainSeconds: 20, bootSeconds: 60 });
    c.scaleTo(4); // server-4 boots
    c.scaleTo(2); // the booting one goes first, then the youngest ready one
    expect(phases(c)).toEqual([
      ['server-1', 'Running', true, false],
      ['server-2', 'Running', true, false],
      ['server-3', 'Running', false, true],
    ]);
    const during = c.step(19);
    expect(during).toMatchObject({ billedServers: 3, readyServers: 2, drainingServers: 1 });
    c.step(1);
    expect(phases(c).map(([name]) => name)).toEqual(['server-1', 'server-2']);
  });

  it('serves within capacity with low latency, and queues, slows and refuses beyond it', () => {
    const c = cluster({
      servers: 2,
      capacityRps: 10,
      timeoutSeconds: 10,
      load: { type: 'constant', rps: 10 },
    });
    const light = c.advance(30)!;
    expect(light.served).toBeCloseTo(10);
    expect(light.dropped).toBe(0);
    const lightP95 = c.metrics().cluster.p95Ms;
    expect(lightP95).toBeGreaterThan(SIM_CLUSTER_DEFAULTS.serviceMs);

    c.setLoad({ type: 'constant', rps: 30 }); // 10 rps more than 2 × 10 can serve
    c.advance(5);
    const queued = c.metrics().cluster;
    expect(queued.queuedRequests).toBeCloseTo(50);
    expect(queued.p95Ms).toBeGreaterThan(lightP95);
    expect(queued.unservedRequests).toBe(0);

    const saturated = c.advance(60)!;
    // The queue holds what 20 rps drain in the 10 s timeout; the surplus is refused.
    expect(saturated.queued).toBeCloseTo(200);
    expect(saturated.dropped).toBeCloseTo(10);
    expect(c.metrics().cluster.errorRate).toBeCloseTo(1 / 3, 2);
    expect(c.metrics().cluster.p95Ms).toBeCloseTo(10_000 + SIM_CLUSTER_DEFAULTS.serviceMs);

    c.scaleTo(4);
    c.advance(SIM_CLUSTER_DEFAULTS.bootSeconds + 60);
    expect(c.metrics().cluster.queuedRequests).toBe(0);
    expect(c.metrics().cluster.errorRate).toBe(0);
  });

  it('lets CPU follow the load between idle and the request', () => {
    const c = cluster({ servers: 4, capacityRps: 10, cpuRequestMillis: 500, cpuIdleMillis: 100 });
    c.advance(60);
    expect(c.metrics().servers.map((s) => s.cpuMillis)).toEqual([100, 100, 100, 100]);
    c.setLoad({ type: 'constant', rps: 20 });
    c.advance(60);
    // 5 rps on 10 rps of capacity: half-way from idle to the request.
    expect(c.metrics().servers.map((s) => [s.cpuMillis, s.requestMillis, s.requestsPerSecond])).toEqual(
      Array(4).fill([300, 500, 5]),
    );
  });

  it('counts every request when nothing can serve', () => {
    const c = cluster({ servers: 0, load: { type: 'constant', rps: 5 } });
    const step = c.advance(10)!;
    expect(step).toMatchObject({ served: 0, queued: 0, billedServers: 0 });
    expect(c.metrics().cluster).toMatchObject({ requestRate: 5, unservedRequests: 50, errorRate: 1 });
    expect(c.metrics().cluster.p95Ms).toBe(SIM_CLUSTER_DEFAULTS.timeoutSeconds * 1000);
  });

  it('injects added latency, an error rate and an outage for N seconds', () => {
    const c = cluster({ servers: 2, load: { type: 'constant', rps: 10 } });
    c.advance(30);
    const base = c.metrics().cluster.p95Ms;

    c.injectFaults({ latencyMs: 200, errorRate: 0.25 });
    c.advance(30);
    expect(c.metrics().cluster.p95Ms).toBeCloseTo(base + 200);
    expect(c.metrics().cluster.errorRate).toBeCloseTo(0.25);

    c.clearFaults();
    c.injectFaults({ outageSeconds: 20 });
    expect(c.outage).toBe(true);
    expect(c.metrics().servers.every((s) => !s.ready && s.phase === 'Running')).toBe(true);
    const down = c.step(10);
    expect(down).toMatchObject({ served: 0, readyServers: 0 });
    c.advance(10);
    expect(c.outage).toBe(false);
    expect(c.activeFaults.outageSeconds).toBe(0);
    const after = c.advance(30)!;
    expect(after.readyServers).toBe(2);
    expect(after.served).toBeCloseTo(10);
  });

  it('keeps its state when an update names a trace that does not parse', () => {
    const c = cluster({ capacityRps: 10 });
    expect(() =>
      c.update({
        capacityRps: 99,
        load: { type: 'trace', csv: 'nonsense', scale: 1, gapFill: 'zero', loop: false },
      }),
    ).toThrow(/timestamp/);
    expect(c.config.capacityRps).toBe(10);
    expect(c.config.load).toEqual(SIM_CLUSTER_DEFAULTS.load);
  });

  it('accounts for every request: arrivals = served + failed + refused + growth of the queue', () => {
    const action = fc.oneof(
      fc.record({ scale: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ dt: fc.double({ min: 0.1, max: 120, noNaN: true }) }),
      fc.record({ rps: fc.double({ min: 0, max: 200, noNaN: true }) }),
      fc.record({
        errorRate: fc.double({ min: 0, max: 1, noNaN: true }),
        outage: fc.integer({ min: 0, max: 60 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), (actions) => {
        const c = cluster({ servers: 2, bootSeconds: 20, drainSeconds: 10, timeoutSeconds: 5 });
        let arrived = 0;
        let handled = 0;
        let queue = 0;
        for (const a of actions) {
          if ('scale' in a) c.scaleTo(a.scale);
          else if ('rps' in a) c.setLoad({ type: 'constant', rps: a.rps });
          else if ('errorRate' in a) c.injectFaults({ errorRate: a.errorRate, outageSeconds: a.outage });
          else {
            const r = c.step(a.dt);
            arrived += r.arrivals;
            handled += r.served + r.failed + r.dropped;
            queue = r.queued;
            expect(r.servingServers).toBeLessThanOrEqual(r.billedServers + 1e-9);
            expect(r.readyServers + r.bootingServers + r.drainingServers).toBeLessThanOrEqual(
              c.metrics().servers.length,
            );
          }
        }
        expect(handled + queue).toBeCloseTo(arrived, 6);
        const m = c.metrics();
        expect(m.servers.filter((s) => !s.deleting)).toHaveLength(c.desiredReplicas);
        expect(m.cluster.errorRate).toBeGreaterThanOrEqual(0);
        expect(m.cluster.errorRate).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a negative or fractional server count and a non-positive step', () => {
    const c = cluster();
    expect(() => c.scaleTo(-1)).toThrow(RangeError);
    expect(() => c.scaleTo(1.5)).toThrow(RangeError);
    expect(() => c.step(0)).toThrow(RangeError);
    expect(() => c.step(Number.NaN)).toThrow(RangeError);
  });
});
