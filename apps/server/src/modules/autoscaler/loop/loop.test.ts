import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCluster } from '../../../../test/factories/autoscaler';
import { type LoggedIn, loginAs, signIn } from '../../../../test/factories/identity';
import { createTestApp, moduleServices, type TestApp, testClock } from '../../../../test/helpers';
import { request } from '../../../../test/http';
import { startSimulator, type TestSimulator } from '../../../../test/simulator';
import { loopRepo } from './events.repo';

const clock = testClock(new Date('2026-11-26T12:00:00Z'));
let t: TestApp;
let sim: TestSimulator;
let owner: LoggedIn;

beforeAll(async () => {
  sim = await startSimulator();
  t = await createTestApp({
    clock,
    // The test ticks by hand: no job runner, whose periodic jobs all tick once at start.
    jobs: false,
    env: {
      ...sim.env,
      AUTOSCALER_BREAKER_VOLUME: '2',
      AUTOSCALER_BREAKER_ERROR_PERCENT: '50',
      AUTOSCALER_BREAKER_RESET_SECONDS: '1',
      AUTOSCALER_EVENTS_RETENTION_DAYS: '3',
    },
  });
  owner = await loginAs(t);
});
afterAll(async () => {
  await t?.close();
  await sim?.stop();
});

const loop = () => moduleServices(t, 'autoscaler').loop;
/** A cluster of one server under four times the load of its CPU target. */
const OVERLOADED = {
  minServers: 1,
  maxServers: 10,
  target: { type: 'cpu' as const, utilizationPercent: 50 },
  simulation: { load: { type: 'constant' as const, rps: 40 }, capacityRps: 10, bootSeconds: 0 },
};
/** One control-loop period (15 s of simulated and app time), then a tick. */
async function period(clusterIds: string[]) {
  for (const id of clusterIds) await sim.advance(id, 15);
  clock.advance(15_000);
  return loop().tick();
}
/** The loop's series as a scraper reads them, by their text before the value. */
async function scrape() {
  const res = await t.app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  const lines = res.body.split('\n').filter((l) => l.startsWith('clockpilot_autoscaler_'));
  return new Map(lines.map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))]));
}

/** A tick at `at`, after 15 s of the clusters' simulated time. */
async function tickAt(at: string, clusterIds: string[]) {
  for (const id of clusterIds) await sim.advance(id, 15);
  clock.set(at);
  await loop().tick();
}
/** The owner, signed in at the clock's time (the test moves it by days). */
const signedIn = async () => signIn(t, owner.user);
const eventTimes = async (clusterId: string) =>
  (await request(t, await signedIn(), 'GET', `/autoscaler/clusters/${clusterId}/events`)).body.items.map(
    (e: { at: string }) => e.at,
  );
const rows = async <T extends Record<string, unknown>>(query: SQL) =>
  (await t.runtime.ctx.db.execute<T>(query)).rows;
const eventPartitions = async () =>
  (
    await rows<{ name: string }>(sql`select c.relname as name from pg_inherits i join pg_class c
     on c.oid = i.inhrelid where i.inhparent = 'autoscaler_events'::regclass order by 1`)
  ).map((r) => r.name);
const storedEvents = async (id: string) =>
  (
    await rows<{ n: number }>(sql`select count(*)::int as n from autoscaler_events where cluster_id = ${id}`)
  )[0]!.n;

describe('the control loop', () => {
  it('scales an overloaded cluster as the HPA would, recording samples and the reason of each step', async () => {
    const c = await createCluster(t, owner.user, OVERLOADED);
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) {
      const outcomes = await period([c.id]);
      counts.push(outcomes.find((o) => o.row.id === c.id)!.event.appliedServers);
    }
    // CPU saturates at 100 % of request against a 50 % target, so the count doubles (ratio 1.94); the
    // fourth read still sees the overload's backlog being served and asks for 16, limited to the maximum.
    expect(counts).toEqual([2, 4, 8, 10]);
    const last = 10;
    expect((await sim.api('GET', `/clusters/${c.id}`)).body.desiredReplicas).toBe(last);

    const events = await request(t, owner, 'GET', `/autoscaler/clusters/${c.id}/events?limit=2`);
    expect(events.body.items.map((e: { appliedServers: number }) => e.appliedServers)).toEqual([last, 8]);
    const first = (await request(t, owner, 'GET', `/autoscaler/clusters/${c.id}/events?changesOnly=true`))
      .body.items;
    expect(first.map((e: { previousServers: number }) => e.previousServers).slice(-3)).toEqual([4, 2, 1]);
    expect(first.at(-1)).toMatchObject({
      mode: 'hpa',
      limitedBy: 'metric',
      recommendedServers: 2,
      breaker: 'closed',
    });
    expect(first.at(-1).reason).toMatch(/metrics propose 2/);
    expect(first.at(-1).inputs).toMatchObject({ servers: { ready: 1 }, cluster: { requestRate: 40 } });

    const samples = await request(t, owner, 'GET', `/autoscaler/clusters/${c.id}/samples`);
    expect(samples.body.points.map((p: { desiredServers: number }) => p.desiredServers)).toEqual(counts);
    expect(samples.body.points[0]).toMatchObject({ requestRate: 40, cpuPercent: 95.3, readyServers: 1 });
    const cluster = (await request(t, owner, 'GET', `/autoscaler/clusters/${c.id}`)).body;
    expect(cluster).toMatchObject({ desiredServers: last, lastTickAt: clock.now().toISOString() });

    const series = await scrape();
    expect(series.get(`clockpilot_autoscaler_servers_desired{cluster="${c.id}"}`)).toBe(last);
    // Ready as the last tick read it, before it scaled from 8 to 10.
    expect(series.get(`clockpilot_autoscaler_servers_ready{cluster="${c.id}"}`)).toBe(8);
    expect(series.get(`clockpilot_autoscaler_breaker_open{cluster="${c.id}"}`)).toBe(0);
    expect(series.get('clockpilot_autoscaler_decisions_total{action="up"}')).toBe(4);
    expect(series.get('clockpilot_autoscaler_decisions_total{action="down"}')).toBe(0);
    // The one breaker made so far, counted as it was made.
    expect(series.get('clockpilot_autoscaler_breakers{state="closed"}')).toBe(1);

    const stranger = await loginAs(t);
    expect((await request(t, stranger, 'GET', `/autoscaler/clusters/${c.id}/events`)).status).toBe(404);
    expect((await request(t, stranger, 'GET', `/autoscaler/clusters/${c.id}/samples`)).status).toBe(404);
  });

  it('provisions a predictive cluster for its forecast at the CPU target, the reactive floor under it', async () => {
    const c = await createCluster(t, owner.user, { ...OVERLOADED, maxServers: 20, mode: 'predictive' });
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const outcomes = await period([c.id]);
      counts.push(outcomes.find((o) => o.row.id === c.id)!.event.appliedServers);
    }
    // 40 req/s on servers of 10 req/s at a 50 % target: 8 servers, where the HPA settles, from the
    // first tick (not through the HPA's doublings, and not 12 with the headroom counted twice).
    expect(counts).toEqual([8, 8, 8]);
    const [last] = (await request(t, owner, 'GET', `/autoscaler/clusters/${c.id}/events?limit=1`)).body.items;
    expect(last).toMatchObject({ mode: 'predictive', limitedBy: 'forecast', recommendedServers: 8 });
    expect(last.reason).toContain('at 50 % utilization = 80 req/s, / 10 req/s per server = 8');
    // The floor is the HPA at 90 %: 8 servers at 50 % would do with 5.
    expect(last.reason).toMatch(/\(reactive floor: .*5/);
    expect(last.inputs.forecast).toMatchObject({ forecastReplicas: 8, floorReplicas: 5 });
  });

  it('rebuilds a predictive forecast from the latest history, not the oldest', async () => {
    // 42 hours at 40 req/s, then 30 at 10 (the load now): more samples than a page of raw ones.
    // From the latest, the forecast is 10 req/s (2 servers at 50 %); from the oldest it was 40 (8).
    const c = await createCluster(t, owner.user, {
      ...OVERLOADED,
      maxServers: 20,
      mode: 'predictive',
      simulation: { ...OVERLOADED.simulation, load: { type: 'constant', rps: 10 } },
    });
    const now = clock.now().getTime();
    const samples = Array.from({ length: 72 * 240 }, (_, i) => ({
      clusterId: c.id,
      at: new Date(now - (72 * 240 - i) * 15_000),
      requestRate: i < 42 * 240 ? 40 : 10,
      ...{ p95Ms: 50, errorRate: 0, cpuPercent: 50, readyServers: 2, totalServers: 2, desiredServers: 2 },
    }));
    await moduleServices(t, 'autoscaler').metrics.write(samples);
    const o = (await period([c.id])).find((x) => x.row.id === c.id)!;
    const forecast = o.event.inputs.forecast as { level: number; forecastReplicas: number };
    expect(forecast.level).toBeCloseTo(10, 0);
    expect(forecast.forecastReplicas).toBe(2);
  });

  it('opens the breaker under a simulator outage, keeps the count without failing a tick, then half-opens and closes', async () => {
    const c = await createCluster(t, owner.user, {
      minServers: 2,
      maxServers: 6,
      simulation: { load: { type: 'constant', rps: 5 }, capacityRps: 10, bootSeconds: 0 },
    });
    await sim.api('POST', `/clusters/${c.id}/faults`, { outageSeconds: 3600 });
    const seen: { breaker: string; limitedBy: string; applied: number }[] = [];
    const record = async () => {
      const o = (await period([c.id])).find((x) => x.row.id === c.id)!;
      seen.push({ breaker: o.event.breaker, limitedBy: o.event.limitedBy, applied: o.event.appliedServers });
      return o;
    };
    await record();
    await record();
    const open = await record();
    expect(open.event.reason).toMatch(/circuit breaker open/);
    const gauge = await t.runtime.ctx.metrics.registry.getSingleMetricAsString(
      'clockpilot_autoscaler_breakers',
    );
    expect(gauge).toMatch(/state="open"} 1/);
    const whileOpen = await scrape();
    expect(whileOpen.get(`clockpilot_autoscaler_breaker_open{cluster="${c.id}"}`)).toBe(1);
    expect(whileOpen.get(`clockpilot_autoscaler_servers_desired{cluster="${c.id}"}`)).toBe(2);
    // Nothing was read: no ready count rather than a stale one.
    expect(whileOpen.has(`clockpilot_autoscaler_servers_ready{cluster="${c.id}"}`)).toBe(false);

    await sim.api('DELETE', `/clusters/${c.id}/faults`);
    // The breaker lets a probe through once its reset time (1 s here) has passed.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await record();
    expect(seen).toEqual([
      { breaker: 'closed', limitedBy: 'breakerOpen', applied: 2 },
      { breaker: 'open', limitedBy: 'breakerOpen', applied: 2 },
      { breaker: 'open', limitedBy: 'breakerOpen', applied: 2 },
      // The probe read succeeds: closed again; the scale-down window holds the count.
      { breaker: 'closed', limitedBy: 'stabilization', applied: 2 },
    ]);
    const transitions = await t.runtime.ctx.metrics.registry.getSingleMetricAsString(
      'clockpilot_autoscaler_breaker_transitions_total',
    );
    expect(transitions).toMatch(/state="halfOpen"} 1/);
    expect((await request(t, owner, 'GET', `/autoscaler/clusters/${c.id}`)).body.breaker).toBe('closed');
    const closed = await scrape();
    expect(closed.get(`clockpilot_autoscaler_breaker_open{cluster="${c.id}"}`)).toBe(0);
    expect(closed.get(`clockpilot_autoscaler_servers_ready{cluster="${c.id}"}`)).toBe(2);

    // A deleted cluster's series are gone after the next tick; the others' stay.
    expect((await request(t, owner, 'DELETE', `/autoscaler/clusters/${c.id}`)).status).toBe(204);
    await period([]);
    const names = [...(await scrape()).keys()];
    expect(names.filter((n) => n.includes(c.id))).toEqual([]);
    expect(names.some((n) => n.startsWith('clockpilot_autoscaler_servers_desired{'))).toBe(true);
  });

  it('makes a model the simulator lost (a restart) again from the cluster row, and reads it at the next tick', async () => {
    const c = await createCluster(t, owner.user, OVERLOADED);
    const before = (await period([c.id])).find((o) => o.row.id === c.id)!.event.appliedServers;
    expect(before).toBeGreaterThan(1);
    // The simulator keeps its models in memory: restarted, it knows none.
    expect((await sim.api('DELETE', `/clusters/${c.id}`)).status).toBe(204);
    clock.advance(15_000);
    const blind = (await loop().tick()).find((o) => o.row.id === c.id)!.event;
    expect(blind).toMatchObject({ limitedBy: 'breakerOpen', appliedServers: before });
    expect(blind.reason).toMatch(
      new RegExp(`no model of the cluster \\(restarted\\?\\): made again with ${before} servers`),
    );
    const model = (await sim.api('GET', `/clusters/${c.id}`)).body;
    expect(model).toMatchObject({ desiredReplicas: before, spec: OVERLOADED.simulation });

    // The failed read opened the breaker (2 reads, 50 %); its probe after the reset time reads the model.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const read = (await period([c.id])).find((o) => o.row.id === c.id)!.event;
    expect(read.limitedBy).not.toBe('breakerOpen');
    expect(read.inputs).toMatchObject({ cluster: { requestRate: 40 } });
    expect((await request(t, owner, 'DELETE', `/autoscaler/clusters/${c.id}`)).status).toBe(204);
  });

  it('takes a model it made again away when the cluster was deleted meanwhile', async () => {
    const c = await createCluster(t, owner.user, OVERLOADED);
    await period([c.id]);
    expect((await sim.api('DELETE', `/clusters/${c.id}`)).status).toBe(204);
    // The owner deletes the cluster while the tick makes its model again.
    const { simulator } = moduleServices(t, 'autoscaler');
    const put = simulator.put;
    const spy = vi.spyOn(simulator, 'put').mockImplementation(async (id, spec) => {
      expect((await request(t, owner, 'DELETE', `/autoscaler/clusters/${c.id}`)).status).toBe(204);
      return put(id, spec);
    });
    clock.advance(15_000);
    try {
      expect((await loop().tick()).some((o) => o.row.id === c.id)).toBe(false);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    expect((await sim.api('GET', `/clusters/${c.id}`)).status).toBe(404);
  });

  it("scales to the cluster's fallback count once more reads than its threshold have failed, through the HPA's limits", async () => {
    const c = await createCluster(t, owner.user, {
      minServers: 2,
      maxServers: 6,
      fallback: { failureThreshold: 2, replicas: 5 },
      simulation: { load: { type: 'constant', rps: 5 }, capacityRps: 10, bootSeconds: 0 },
    });
    await sim.api('POST', `/clusters/${c.id}/faults`, { outageSeconds: 3600 });
    const events = [];
    for (let i = 0; i < 4; i++) events.push((await period([c.id])).find((o) => o.row.id === c.id)!.event);
    // Two failed reads keep the count; the third is over the threshold: the fallback's 5 goes through
    // the HPA's scale-up limit without behavior, max(2 × 2, 4) = 4, then reaches 5.
    expect(events.map((e) => [e.limitedBy, e.appliedServers])).toEqual([
      ['breakerOpen', 2],
      ['breakerOpen', 2],
      ['breakerOpen', 4],
      ['breakerOpen', 5],
    ]);
    expect(events[1]!.reason).toMatch(/2 failed reads in a row\): keeping 2 servers/);
    expect(events[2]!.reason).toMatch(
      /3 failed reads in a row\): fallback to 5 servers \(static, more than 2 failed reads\), .*limited to 4 \(ScaleUpLimit\)/,
    );
    expect(events[2]!.inputs).toMatchObject({ failedReads: 3, fallback: { fallbackReplicas: 5 } });
    expect((await sim.api('GET', `/clusters/${c.id}`)).body.desiredReplicas).toBe(5);
    const row = (await request(t, owner, 'GET', `/autoscaler/clusters/${c.id}`)).body;
    expect(row).toMatchObject({
      desiredServers: 5,
      fallback: { failureThreshold: 2, replicas: 5, behavior: 'static' },
    });
    // The events keep no foreign key: the cluster's delete takes them with it all the same.
    expect(await storedEvents(c.id)).toBe(4);
    expect((await request(t, owner, 'DELETE', `/autoscaler/clusters/${c.id}`)).status).toBe(204);
    expect(await storedEvents(c.id)).toBe(0);
  });

  it('decides on a row written since the last tick, by a settings change or by another writer', async () => {
    const c = await createCluster(t, owner.user, OVERLOADED);
    const applied = async () => (await period([c.id])).find((o) => o.row.id === c.id)!.event;
    expect((await applied()).appliedServers).toBe(2);
    // The overload would double the count to 4; the new maximum holds it at 3.
    const patched = await request(t, owner, 'PATCH', `/autoscaler/clusters/${c.id}`, { maxServers: 3 });
    expect(patched.status).toBe(200);
    expect(await applied()).toMatchObject({ previousServers: 2, appliedServers: 3, limitedBy: 'bounds' });
    // A write that leaves the update time as it was is seen all the same.
    await t.runtime.ctx.db.execute(sql`update autoscaler_clusters set max_servers = 2 where id = ${c.id}`);
    expect(await applied()).toMatchObject({ previousServers: 3, appliedServers: 2 });
    expect((await request(t, owner, 'DELETE', `/autoscaler/clusters/${c.id}`)).status).toBe(204);
  });

  it('does not undo a settings change made while it decided: the count held within the new bounds, none for a deleted cluster', async () => {
    const c = await createCluster(t, owner.user, OVERLOADED);
    await period([c.id]);
    const db = t.runtime.ctx.db;
    const { version } = (await loopRepo.versions(db)).find((v) => v.id === c.id)!;
    // The tick decided 4 servers on the row it read; a new maximum of 1 is saved before its write.
    expect((await request(t, owner, 'PATCH', `/autoscaler/clusters/${c.id}`, { maxServers: 1 })).status).toBe(
      200,
    );
    const save = () =>
      loopRepo.saveTicks(
        db,
        [{ id: c.id, version, desiredServers: 4, controller: {}, breaker: 'closed' }],
        clock.now(),
      );
    expect((await save()).get(c.id)).toBeNull();
    const got = await request(t, owner, 'GET', `/autoscaler/clusters/${c.id}`);
    expect(got.body).toMatchObject({ maxServers: 1, desiredServers: 1 });
    expect((await request(t, owner, 'DELETE', `/autoscaler/clusters/${c.id}`)).status).toBe(204);
    expect((await save()).has(c.id)).toBe(false);
  });
});

describe("the control loop's events", () => {
  it('are kept by day: days past the retention go whole, later ones stay, an old-dated tick still lands', async () => {
    const c = await createCluster(t, owner.user, OVERLOADED);
    // No day prepared ahead (those the migration made for the real days around today dropped): each
    // tick's first write of a day makes its partition.
    await moduleServices(t, 'autoscaler').eventDays.retain(new Date('2100-01-01T00:00:00Z'));
    for (const at of [
      '2026-11-20T10:00:00Z',
      '2026-11-22T23:59:59Z',
      '2026-11-23T00:00:00Z',
      '2026-11-26T11:00:00Z',
    ])
      await tickAt(at, [c.id]);
    expect(await eventPartitions()).toEqual(
      ['20261120', '20261122', '20261123', '20261126'].map((d) => `autoscaler_events_${d}`),
    );

    const now = new Date('2026-11-26T12:00:00Z');
    await moduleServices(t, 'autoscaler').eventDays.prepare(now);
    // Three days back from noon keeps 23 November from its noon on: its partition stays whole.
    expect(await moduleServices(t, 'autoscaler').eventDays.retain(now)).toEqual([
      'autoscaler_events_20261120',
      'autoscaler_events_20261122',
    ]);
    expect(await eventTimes(c.id)).toEqual(['2026-11-26T11:00:00.000Z', '2026-11-23T00:00:00.000Z']);
    expect(await eventPartitions()).toEqual(
      ['20261123', '20261125', '20261126', '20261127', '20261128', '20261129'].map(
        (d) => `autoscaler_events_${d}`,
      ),
    );

    // A replica whose clock is days behind: its day's partition was just dropped, its events land all the same.
    await tickAt('2026-11-22T08:00:00Z', [c.id]);
    expect(await eventTimes(c.id)).toEqual([
      '2026-11-26T11:00:00.000Z',
      '2026-11-23T00:00:00.000Z',
      '2026-11-22T08:00:00.000Z',
    ]);
    // Its day's partition dropped by hand (a restore, an operator) after this process made it: the
    // next tick that day lands too, the partition made again.
    await t.runtime.ctx.db.execute(sql`drop table autoscaler_events_20261122`);
    await tickAt('2026-11-22T08:00:15Z', [c.id]);
    expect((await eventTimes(c.id)).at(-1)).toBe('2026-11-22T08:00:15.000Z');
  });

  it("go with their cluster's delete from every day's partition, and only its", async () => {
    const [c, other] = [
      await createCluster(t, owner.user, OVERLOADED),
      await createCluster(t, owner.user, OVERLOADED),
    ];
    for (const at of ['2026-11-27T10:00:00Z', '2026-11-28T10:00:00Z', '2026-11-29T10:00:00Z'])
      await tickAt(at, [c.id, other.id]);
    expect([await storedEvents(c.id), await storedEvents(other.id)]).toEqual([3, 3]);
    expect((await request(t, await signedIn(), 'DELETE', `/autoscaler/clusters/${c.id}`)).status).toBe(204);
    expect([await storedEvents(c.id), await storedEvents(other.id)]).toEqual([0, 3]);
  });
});
