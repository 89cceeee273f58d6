import { ZSimClusterMetrics } from '@clockpilot/contracts/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type TestSimulator } from '../../../test/simulator';
import { createSimulatorClient, metricsOf, SimulatorError } from './simulator-client';

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim?.stop());

describe('the simulator client', () => {
  it('gathers reads and scales into bulk calls, each cluster with its own answer, a slow one timing out alone', async () => {
    const client = createSimulatorClient({ simulator: { url: sim.url, token: sim.token, timeoutMs: 2000 } });
    const ids = Array.from({ length: 1200 }, (_, i) => `bulk-${i}`);
    for (let i = 0; i < ids.length; i += 100)
      await Promise.all(
        ids
          .slice(i, i + 100)
          .map((id, j) => sim.api('PUT', `/clusters/${id}`, { servers: 1 + ((i + j) % 3) })),
      );
    await sim.api('POST', '/clusters/bulk-7/faults', { outageSeconds: 60 });
    await sim.api('POST', '/clusters/bulk-8/faults', { apiDelayMs: 10_000 });

    const started = performance.now();
    const reads = await Promise.allSettled([...ids, 'unknown'].map((id) => client.metrics(id)));
    const fast = reads.filter((r, i) => i !== 8 && r.status === 'fulfilled');
    expect(fast).toHaveLength(1198);
    expect(reads.map((r) => (r.status === 'fulfilled' ? r.value.servers.length : null)).slice(0, 4)).toEqual([
      1, 2, 3, 1,
    ]);
    for (const [i, status] of [
      [7, 503],
      [1200, 404],
    ] as const) {
      const r = reads[i];
      expect(r?.status === 'rejected' && r.reason).toMatchObject({ status });
    }
    const slow = reads[8];
    expect(slow?.status === 'rejected' && slow.reason).toBeInstanceOf(SimulatorError);
    // The delayed cluster fails at the timeout, not after its 10 s delay, and held no other read up.
    expect(performance.now() - started).toBeLessThan(8000);

    const scales = await Promise.allSettled(['bulk-1', 'unknown'].map((id) => client.scale(id, 4)));
    expect(scales.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
    expect((await client.state('bulk-1')).desiredReplicas).toBe(4);
  });

  it('checks each metrics line by hand: the contract figures kept, a line of another shape refused by field', () => {
    const server = {
      name: 's-1',
      phase: 'Running',
      ready: true,
      deleting: false,
      cpuMillis: 300,
      requestMillis: 500,
      requestsPerSecond: 4.5,
      ageSeconds: 9,
    };
    const cluster = {
      requestRate: 4.5,
      p95Ms: 50,
      errorRate: 0,
      unservedRequests: 0,
      queuedRequests: 0,
      desiredReplicas: 1,
      outage: false,
    };
    const good = { time: 30, windowSeconds: 15, servers: [server], cluster: { ...cluster, extra: 1 } };
    expect(metricsOf('c', good)).toEqual(ZSimClusterMetrics.parse(good));
    for (const [line, why] of [
      [null, 'not an object'],
      [{ ...good, servers: {} }, 'servers is not a list'],
      [{ ...good, servers: [{ ...server, phase: 'Gone' }] }, 'servers[0].phase is Gone'],
      [
        { ...good, servers: [{ ...server, cpuMillis: '300' }] },
        'servers[0].cpuMillis is not a finite number ≥ 0',
      ],
      // JSON.parse('1e400') is Infinity: it would poison a forecast's level for good.
      [
        { ...good, cluster: { ...cluster, requestRate: JSON.parse('1e400') } },
        'cluster.requestRate is not a finite number ≥ 0',
      ],
      [{ ...good, cluster: { ...cluster, p95Ms: -1 } }, 'cluster.p95Ms is not a finite number ≥ 0'],
      [{ ...good, windowSeconds: Number.NaN }, 'time or windowSeconds is not a finite number ≥ 0'],
      [{ ...good, cluster: { ...cluster, outage: 0 } }, 'cluster.outage is not a boolean'],
    ] as const) {
      const refused = metricsOf('c', line);
      expect(refused).toBeInstanceOf(SimulatorError);
      expect((refused as Error).message).toBe(`metrics of c: ${why}`);
    }
  });
});
