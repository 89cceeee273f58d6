import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCluster } from '../../../../test/factories/autoscaler';
import { createUser, type LoggedIn, loginAs, signIn } from '../../../../test/factories/identity';
import { auditTrail, createTestApp, moduleServices, type TestApp } from '../../../../test/helpers';
import { errorPaths, request } from '../../../../test/http';
import { startSimulator, type TestSimulator } from '../../../../test/simulator';
import { SimulatorError } from '../simulator-client';

let t: TestApp;
let sim: TestSimulator;
let alice: LoggedIn;
let bob: LoggedIn;

beforeAll(async () => {
  sim = await startSimulator();
  t = await createTestApp({
    // The loop's own tests tick it; a tick here would change what these tests compare, and even an
    // hour's period has its first slot at start.
    jobs: false,
    env: {
      ...sim.env,
      AUTOSCALER_MAX_SERVERS: '50',
      AUTOSCALER_QUOTA_CLUSTERS: '6',
      AUTOSCALER_QUOTA_SERVERS: '80',
    },
  });
  alice = await loginAs(t);
  bob = await loginAs(t);
});
afterAll(async () => {
  await t?.close();
  await sim?.stop();
});

const body = (over: Record<string, unknown> = {}) => ({
  name: 'web-frontend',
  minServers: 2,
  maxServers: 10,
  target: { type: 'cpu', utilizationPercent: 60 },
  simulation: { load: { type: 'constant', rps: 12 }, capacityRps: 8, bootSeconds: 20 },
  ...over,
});

describe('clusters', () => {
  it('creates a cluster and its model in the simulator, and only its owner sees it', async () => {
    const res = await request(t, alice, 'POST', '/autoscaler/clusters', body());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'web-frontend',
      mode: 'hpa',
      behavior: null,
      desiredServers: 2,
      breaker: 'closed',
      lastTickAt: null,
      simulation: { capacityRps: 8, bootSeconds: 20 },
    });
    const id = res.body.id;
    const model = await sim.api('GET', `/clusters/${id}`);
    expect(model.body).toMatchObject({ desiredReplicas: 2, spec: { capacityRps: 8, bootSeconds: 20 } });
    expect((await auditTrail(t, id)).map((a) => a.action)).toEqual(['autoscaler.cluster.created']);

    expect((await request(t, alice, 'GET', `/autoscaler/clusters/${id}`)).body.id).toBe(id);
    for (const [method, url] of [
      ['GET', `/autoscaler/clusters/${id}`],
      ['PATCH', `/autoscaler/clusters/${id}`],
      ['DELETE', `/autoscaler/clusters/${id}`],
      ['GET', `/autoscaler/clusters/${id}/simulator`],
      ['POST', `/autoscaler/clusters/${id}/simulator/faults`],
    ] as const) {
      const r = await request(t, bob, method, url, method === 'GET' || method === 'DELETE' ? undefined : {});
      expect(r.status, `${method} ${url}`).toBe(404);
    }
    expect((await request(t, bob, 'GET', '/autoscaler/clusters')).body.items).toEqual([]);
    expect((await sim.api('GET', `/clusters/${id}`)).status).toBe(200);
  });

  it('refuses bad names (422), a second cluster of the same name (422) and bounds out of range', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ name: 'ab' }, 422, 'body.name'],
      [{ name: 'no spaces' }, 422, 'body.name'],
      [{ name: 'x'.repeat(51) }, 422, 'body.name'],
      [{ name: 'x'.repeat(5000) }, 422, 'body.name'],
      [{ name: 'nul\u0000' }, 422, 'body.name'],
      [{ name: 'WEB-FRONTEND' }, 422, 'body.name'],
      [{ name: 'zero', minServers: 0 }, 422, 'body.minServers'],
      [{ name: 'negative', minServers: -1 }, 422, 'body.minServers'],
      [{ name: 'huge', maxServers: 2 ** 31 - 1 }, 422, 'body.maxServers'],
      [{ name: 'fraction', minServers: 1.5 }, 400, 'body.minServers'],
      [
        { name: 'tiny-rps', target: { type: 'requestsPerServer', requestsPerSecond: 1e-300 } },
        400,
        'body.target.requestsPerSecond',
      ],
      [
        {
          name: 'int32-percent',
          behavior: { scaleUp: { policies: [{ type: 'Percent', value: 2 ** 31, periodSeconds: 15 }] } },
        },
        400,
        'body.behavior.scaleUp.policies.0.value',
      ],
      [
        {
          name: 'many-policies',
          behavior: { scaleUp: { policies: Array(101).fill({ type: 'Pods', value: 1, periodSeconds: 15 }) } },
        },
        400,
        'body.behavior.scaleUp.policies',
      ],
      [{ name: 'upside', minServers: 5, maxServers: 4 }, 422, 'body.minServers'],
      [{ name: 'too-big', maxServers: 51 }, 422, 'body.maxServers'],
      [
        { name: 'bad-target', target: { type: 'cpu', utilizationPercent: 0 } },
        400,
        'body.target.utilizationPercent',
      ],
      [
        { name: 'no-policy', behavior: { scaleDown: { selectPolicy: 'Min', policies: [] } } },
        422,
        'body.behavior.scaleDown.policies',
      ],
      [
        {
          name: 'long-period',
          behavior: { scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 1801 }] } },
        },
        400,
        'body.behavior.scaleUp.policies.0.periodSeconds',
      ],
      [{ name: 'fb-high', fallback: { failureThreshold: 3, replicas: 11 } }, 422, 'body.fallback.replicas'],
      [{ name: 'fb-low', fallback: { failureThreshold: 3, replicas: 1 } }, 422, 'body.fallback.replicas'],
      [
        { name: 'fb-threshold', fallback: { failureThreshold: -1, replicas: 4 } },
        400,
        'body.fallback.failureThreshold',
      ],
      [
        { name: 'fb-behavior', fallback: { failureThreshold: 3, replicas: 4, behavior: 'sometimes' } },
        400,
        'body.fallback.behavior',
      ],
    ];
    for (const [over, status, path] of cases) {
      const res = await request(t, alice, 'POST', '/autoscaler/clusters', body(over));
      expect([res.status, errorPaths(res.body)], JSON.stringify(over)).toEqual([status, [path]]);
    }
  });

  it('keeps each user within the quotas of clusters and servers', async () => {
    const carol = await createUser(t);
    await createCluster(t, carol, { maxServers: 50 });
    const over = await request(
      t,
      await signIn(t, carol),
      'POST',
      '/autoscaler/clusters',
      body({ maxServers: 31 }),
    );
    expect([over.status, errorPaths(over.body)]).toEqual([422, ['body.maxServers']]);
    for (let i = 0; i < 5; i++) await createCluster(t, carol, { maxServers: 5 });
    await expect(createCluster(t, carol, { maxServers: 1 })).rejects.toMatchObject({
      status: 422,
      details: { errors: [{ path: 'body' }] },
    });
  });

  it('updates the bounds, settings and load, clamping the servers and changing the model', async () => {
    const c = await createCluster(t, alice.user, { minServers: 3, maxServers: 8 });
    const res = await request(t, alice, 'PATCH', `/autoscaler/clusters/${c.id}`, {
      maxServers: 6,
      minServers: 1,
      mode: 'predictive',
      behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
      simulation: { load: { type: 'spike', baseRps: 5, spikeRps: 50, atSeconds: 60, durationSeconds: 30 } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      minServers: 1,
      maxServers: 6,
      desiredServers: 3,
      mode: 'predictive',
      behavior: { scaleUp: null, scaleDown: { stabilizationWindowSeconds: 60 } },
      simulation: { capacityRps: 10, load: { type: 'spike' } },
    });
    // The id in upper case names the same cluster and the same model (not a second one in the simulator).
    const shrink = await request(t, alice, 'PATCH', `/autoscaler/clusters/${c.id.toUpperCase()}`, {
      minServers: 2,
      maxServers: 2,
    });
    expect(shrink.body.id).toBe(c.id);
    expect((await sim.api('GET', `/clusters/${c.id.toUpperCase()}`)).status).toBe(404);
    expect(shrink.body.desiredServers).toBe(2);
    expect((await sim.api('GET', `/clusters/${c.id}`)).body).toMatchObject({
      desiredReplicas: 2,
      spec: { load: { type: 'spike', spikeRps: 50 } },
    });
    const bad = await request(t, alice, 'PATCH', `/autoscaler/clusters/${c.id}`, { minServers: 3 });
    expect([bad.status, errorPaths(bad.body)]).toEqual([422, ['body.minServers']]);

    const path = `/autoscaler/clusters/${c.id}`;
    const fallback = { failureThreshold: 4, replicas: 2, behavior: 'currentReplicasIfHigher' };
    expect((await request(t, alice, 'PATCH', path, { fallback })).body.fallback).toEqual(fallback);
    // Bounds that would leave the fallback count outside them are refused on the fallback's path.
    const narrow = await request(t, alice, 'PATCH', path, { minServers: 1, maxServers: 1 });
    expect([narrow.status, errorPaths(narrow.body)]).toEqual([422, ['body.fallback.replicas']]);
    expect((await request(t, alice, 'PATCH', path, { fallback: null })).body.fallback).toBeNull();
  });

  it('lists the caller’s clusters a page at a time, filtered and sorted', async () => {
    const dave = await loginAs(t);
    for (const name of ['delta', 'alpha', 'Charlie', 'bravo'])
      await createCluster(t, dave.user, {
        name,
        maxServers: 2,
        mode: name === 'bravo' ? 'predictive' : 'hpa',
      });
    const first = await request(t, dave, 'GET', '/autoscaler/clusters?limit=3');
    expect(first.body.items.map((c: { name: string }) => c.name)).toEqual(['alpha', 'bravo', 'Charlie']);
    const next = await request(
      t,
      dave,
      'GET',
      `/autoscaler/clusters?limit=3&cursor=${first.body.nextCursor}`,
    );
    expect([next.body.items.map((c: { name: string }) => c.name), next.body.nextCursor]).toEqual([
      ['delta'],
      null,
    ]);
    const desc = await request(t, dave, 'GET', '/autoscaler/clusters?sort=name&dir=desc&q=A&mode=hpa');
    expect(desc.body.items.map((c: { name: string }) => c.name)).toEqual(['delta', 'Charlie', 'alpha']);
  });

  it('injects and clears faults in the owner’s simulation', async () => {
    const c = await createCluster(t, alice.user);
    const on = await request(t, alice, 'POST', `/autoscaler/clusters/${c.id}/simulator/faults`, {
      errorRate: 0.5,
      outageSeconds: 60,
    });
    expect(on.body.faults).toMatchObject({ errorRate: 0.5, outageSeconds: 60 });
    const off = await request(t, alice, 'DELETE', `/autoscaler/clusters/${c.id}/simulator/faults`);
    expect(off.body.faults).toMatchObject({ errorRate: 0, outageSeconds: 0 });
  });

  it('puts the model back as the row says when the simulator took a change it answered too late', async () => {
    const c = await createCluster(t, alice.user);
    const { simulator } = moduleServices(t, 'autoscaler');
    const put = simulator.put;
    const late = vi.spyOn(simulator, 'put').mockImplementationOnce(async (id, spec) => {
      await put(id, spec);
      throw new SimulatorError('no answer within 3000 ms');
    });
    try {
      const changed = await request(t, alice, 'PATCH', `/autoscaler/clusters/${c.id}`, {
        simulation: { capacityRps: 77 },
      });
      expect([changed.status, changed.body.code]).toEqual([503, 'unavailable']);
      expect(late).toHaveBeenCalledTimes(2);
    } finally {
      late.mockRestore();
    }
    const row = (await request(t, alice, 'GET', `/autoscaler/clusters/${c.id}`)).body;
    const model = (await sim.api('GET', `/clusters/${c.id}`)).body;
    expect(row.simulation.capacityRps).not.toBe(77);
    expect(model.spec.capacityRps).toBe(row.simulation.capacityRps);
  });

  it('deletes the cluster with its model; a silent simulator refuses every change it would see', async () => {
    const c = await createCluster(t, alice.user);
    const keep = await createCluster(t, alice.user);
    expect((await request(t, alice, 'DELETE', `/autoscaler/clusters/${c.id}`)).status).toBe(204);
    expect((await sim.api('GET', `/clusters/${c.id}`)).status).toBe(404);
    expect((await request(t, alice, 'GET', `/autoscaler/clusters/${c.id}`)).status).toBe(404);

    await sim.stop();
    const before = (await request(t, alice, 'GET', '/autoscaler/clusters?limit=200')).body.items;
    const created = await request(t, alice, 'POST', '/autoscaler/clusters', body({ name: 'while-down' }));
    expect([created.status, created.body.code]).toEqual([503, 'unavailable']);
    const changed = await request(t, alice, 'PATCH', `/autoscaler/clusters/${keep.id}`, {
      simulation: { capacityRps: 9 },
    });
    expect(changed.status).toBe(503);
    expect((await request(t, alice, 'DELETE', `/autoscaler/clusters/${keep.id}`)).status).toBe(503);
    expect((await request(t, alice, 'GET', '/autoscaler/clusters?limit=200')).body.items).toEqual(before);
    expect((await auditTrail(t, keep.id)).map((a) => a.action)).toEqual(['autoscaler.cluster.created']);
    // What the model does not hold (the mode, the name) changes without it.
    const renamed = await request(t, alice, 'PATCH', `/autoscaler/clusters/${keep.id}`, {
      name: 'renamed-while-down',
      mode: 'predictive',
    });
    expect([renamed.status, renamed.body.mode]).toEqual([200, 'predictive']);
  });
});
