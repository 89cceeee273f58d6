import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compactMetrics } from '@clockpilot/contracts/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type TestSimulator } from '../../../test/simulator';
import { createSimulatorClient, metricsOf, SimulatorError, serverCount } from './simulator-client';

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
    expect(reads.map((r) => (r.status === 'fulfilled' ? serverCount(r.value) : null)).slice(0, 4)).toEqual([
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

  it('reads the rest of a bulk answer past a line that is not JSON; only the clusters left unanswered fail', async () => {
    const line = (id: string) =>
      JSON.stringify({
        id,
        status: 200,
        cluster: [1, 15, 2, 40, 0, 0, 0, 1, 0],
        servers: [1, 1, 0, 100, 500, 2],
      });
    // One cluster's line cut short, as a broken proxy or a crashed writer leaves it.
    const fake = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.end(`${line('a')}\n{"id":"b","status":20\n${line('c')}\n`);
    });
    fake.listen(0, '127.0.0.1');
    await once(fake, 'listening');
    try {
      const { port } = fake.address() as AddressInfo;
      const client = createSimulatorClient({
        simulator: { url: `http://127.0.0.1:${port}`, token: undefined, timeoutMs: 2000 },
      });
      const [a, b, c] = await Promise.allSettled(['a', 'b', 'c'].map((id) => client.metrics(id)));
      expect(a?.status === 'fulfilled' && a.value.cluster.requestRate).toBe(2);
      expect(c?.status === 'fulfilled' && serverCount(c.value)).toBe(1);
      expect(b?.status === 'rejected' && b.reason).toBeInstanceOf(SimulatorError);
      expect(b?.status === 'rejected' && (b.reason as Error).message).toBe(
        'the simulator sent a line that is not JSON: "{\\"id\\":\\"b\\",\\"status\\":20"',
      );
    } finally {
      fake.close();
    }
  });

  it('checks each compact metrics line by hand: the figures kept, a line of another shape refused by figure', () => {
    const metrics = {
      time: 30,
      windowSeconds: 15,
      servers: [
        {
          name: 's-1',
          phase: 'Running' as const,
          ready: true,
          deleting: false,
          cpuMillis: 300,
          requestMillis: 500,
          requestsPerSecond: 4.5,
          ageSeconds: 9,
        },
      ],
      cluster: {
        requestRate: 4.5,
        p95Ms: 50,
        errorRate: 0,
        unservedRequests: 0,
        queuedRequests: 0,
        desiredReplicas: 1,
        outage: false,
      },
    };
    const good = compactMetrics(metrics);
    expect(metricsOf('c', good)).toEqual({
      time: 30,
      windowSeconds: 15,
      cluster: metrics.cluster,
      servers: [1, 1, 0, 300, 500, 4.5],
    });
    const withCluster = (i: number, x: unknown) => ({ ...good, cluster: good.cluster.with(i, x as number) });
    const withServer = (i: number, x: unknown) => ({ ...good, servers: good.servers.with(i, x as number) });
    for (const [line, why] of [
      [null, 'cluster is not a list of 9 figures'],
      [{ ...good, cluster: good.cluster.slice(1) }, 'cluster is not a list of 9 figures'],
      [{ ...good, servers: {} }, 'servers is not a list of 6 figures per server'],
      [{ ...good, servers: [...good.servers, 1] }, 'servers is not a list of 6 figures per server'],
      [withServer(0, 2), 'servers[0].running is not 0 or 1'],
      [withServer(3, '300'), 'servers[0].cpuMillis is not a finite number ≥ 0'],
      // JSON.parse('1e400') is Infinity: it would poison a forecast's level for good.
      [withCluster(2, JSON.parse('1e400')), 'cluster.requestRate is not a finite number ≥ 0'],
      [withCluster(3, -1), 'cluster.p95Ms is not a finite number ≥ 0'],
      [withCluster(1, Number.NaN), 'cluster.windowSeconds is not a finite number ≥ 0'],
      [withCluster(8, false), 'cluster.outage is not 0 or 1'],
    ] as const) {
      const refused = metricsOf('c', line);
      expect(refused).toBeInstanceOf(SimulatorError);
      expect((refused as Error).message).toBe(`metrics of c: ${why}`);
    }
  });
});
