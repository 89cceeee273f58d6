import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCluster } from '../../../../test/factories/autoscaler';
import { type LoggedIn, loginAs, signIn } from '../../../../test/factories/identity';
import { createTestApp, moduleServices, type TestApp, testClock } from '../../../../test/helpers';
import { request } from '../../../../test/http';
import { startSimulator, type TestSimulator } from '../../../../test/simulator';
import { describeRule } from '../engine/ensemble';
import { DEFAULT_PREDICTIVE, Forecaster } from '../engine/predictive';
import { evidenceRepo } from './evidence.repo';

const clock = testClock(new Date('2026-11-26T12:00:00Z'));
let t: TestApp;
let sim: TestSimulator;
let owner: LoggedIn;

beforeAll(async () => {
  sim = await startSimulator();
  t = await createTestApp({
    clock,
    jobs: false,
    env: { ...sim.env, AUTOSCALER_FORECAST_REBUILDS_PER_TICK: '2' },
  });
  owner = await loginAs(t);
});
afterAll(async () => {
  await t?.close();
  await sim?.stop();
});

const PREDICTIVE = {
  minServers: 1,
  maxServers: 20,
  mode: 'predictive' as const,
  target: { type: 'cpu' as const, utilizationPercent: 50 },
  simulation: { load: { type: 'constant' as const, rps: 40 }, capacityRps: 10, bootSeconds: 0 },
};
const services = () => moduleServices(t, 'autoscaler');
/** One control-loop period; the outcomes of the clusters `ids`. */
async function period(ids: string[]) {
  for (const id of ids) await sim.advance(id, 15);
  clock.advance(15_000);
  return (await services().loop.tick()).filter((o) => ids.includes(o.row.id));
}
const forecastOf = (o: { event: { inputs: Record<string, unknown> } }) => o.event.inputs.forecast;
/** The outcomes of clusters other than `id`, and that of `id`. */
const partition = <T extends { row: { id: string } }>(outcomes: T[], id: string) =>
  [outcomes.filter((o) => o.row.id !== id), outcomes.find((o) => o.row.id === id)] as const;
/** Changes the cluster's settings, signed in afresh (the clock may have moved by hours). */
async function patch(id: string, body: Record<string, unknown>) {
  const res = await request(t, await signIn(t, owner.user), 'PATCH', `/autoscaler/clusters/${id}`, body);
  expect(res.status).toBe(200);
}

describe("a replica's forecasters", () => {
  it('are rebuilt a few per tick; a cluster still waiting is decided by the HPA and says so', async () => {
    const clusters = [];
    for (let i = 0; i < 5; i++)
      clusters.push(await createCluster(t, owner.user, { ...PREDICTIVE, mode: 'hpa' }));
    const ids = clusters.map((c) => c.id);
    // Ticked in hpa mode, then predictive: each has a stored history its forecaster is rebuilt from.
    await period(ids);
    for (const id of ids) await patch(id, { mode: 'predictive' });
    // A cluster that never ticked has nothing to read: forecast from its first tick, beyond the bound.
    const created = await createCluster(t, owner.user, PREDICTIVE);
    const forecast = [];
    for (let tick = 0; tick < 4; tick++) {
      const [mine, fresh] = partition(await period([...ids, created.id]), created.id);
      expect(forecastOf(fresh!)).toBeDefined();
      expect(mine).toHaveLength(5);
      const waiting = mine.filter((o) => o.event.inputs.forecast === undefined);
      for (const o of waiting) {
        expect(o.event.reason).toMatch(
          /^the forecast is being rebuilt from stored history \(2 clusters per tick\); the HPA decides until then: /,
        );
        // The HPA's own answer: 40 req/s on one server of 10 at a 50 % target doubles it.
        expect(o.event).toMatchObject({ mode: 'predictive', limitedBy: 'metric' });
      }
      forecast.push(mine.length - waiting.length);
    }
    // Two rebuilt per tick, each then kept: 2, 4, then all five.
    expect(forecast).toEqual([2, 4, 5, 5]);
  });

  it('leave a cluster whose history could not be read waiting for the next tick, the tick itself going on', async () => {
    // Ticked once in hpa mode, so that there is a history to read.
    const c = await createCluster(t, owner.user, { ...PREDICTIVE, mode: 'hpa' });
    await period([c.id]);
    await patch(c.id, { mode: 'predictive' });
    const read = vi
      .spyOn(services().metrics, 'minuteRates')
      .mockRejectedValueOnce(new Error('connection lost'));
    try {
      const [first] = await period([c.id]);
      expect(read).toHaveBeenCalledTimes(1);
      expect(first?.event.reason).toMatch(/^the forecast is being rebuilt from stored history/);
      const [second] = await period([c.id]);
      expect(forecastOf(second!)).toBeDefined();
    } finally {
      read.mockRestore();
    }
  });

  it('skip the buckets of ticks they did not see, and are rebuilt after more than an hour of them', async () => {
    const c = await createCluster(t, owner.user, PREDICTIVE);
    const read = vi.spyOn(services().metrics, 'minuteRates');
    const reads = () => read.mock.calls.filter(([id]) => id === c.id).length;
    const mode = (m: string) => patch(c.id, { mode: m });
    try {
      // New: made without a read.
      await period([c.id]);
      await period([c.id]);
      expect(reads()).toBe(0);
      // Two ticks it did not feed (as another replica's would be): their buckets skipped, no read.
      await mode('hpa');
      await period([c.id]);
      await period([c.id]);
      await mode('predictive');
      expect(forecastOf((await period([c.id]))[0]!)).toBeDefined();
      expect(reads()).toBe(0);
      // Two hours in hpa mode: rebuilt from what was stored meanwhile.
      await mode('hpa');
      clock.advance(2 * 3_600_000);
      await period([c.id]);
      await mode('predictive');
      expect(forecastOf((await period([c.id]))[0]!)).toBeDefined();
      expect(reads()).toBe(1);
    } finally {
      read.mockRestore();
    }
  });

  it('save their rules’ scores every five minutes, and a rebuild goes on with the rule they chose', async () => {
    const c = await createCluster(t, owner.user, PREDICTIVE);
    const db = t.runtime.ctx.db;
    for (let i = 0; i < 20; i++) await period([c.id]);
    expect(await evidenceRepo.find(db, c.id)).toBeUndefined();
    await period([c.id]);
    const saved = await evidenceRepo.find(db, c.id);
    const rules = new Forecaster({
      ...DEFAULT_PREDICTIVE,
      bucketSeconds: 15,
      bootSeconds: 0,
      serverRps: 10,
      targetUtilization: 0.5,
    }).ensemble.rules;
    // Its first five minutes scored: the count tails' pacing has begun (at 0.97).
    const paced = rules.findIndex((r) => r.kind === 'count' && r.coverage === 0.97);
    expect(saved?.evidence).toMatchObject({ buckets: 21, following: paced });
    // As a replica that had scored a week and followed the forecast held two boots saved them.
    const week = { ...saved!.evidence, buckets: 40_320, following: 1 };
    await evidenceRepo.save(db, clock.now(), [{ ...saved!, evidence: week }]);
    // Scores of fewer syncs (a replica that ran fewer of its ticks) do not replace them.
    await evidenceRepo.save(db, clock.now(), [
      { ...saved!, evidence: { ...week, following: 2, buckets: 99 } },
    ]);
    expect((await evidenceRepo.find(db, c.id))?.evidence).toMatchObject({ buckets: 40_320, following: 1 });
    // Two hours in hpa mode make the forecaster be rebuilt: it follows that rule, with its scores.
    await patch(c.id, { mode: 'hpa' });
    clock.advance(2 * 3_600_000);
    await period([c.id]);
    await patch(c.id, { mode: 'predictive' });
    const [restored] = await period([c.id]);
    expect(forecastOf(restored!)).toMatchObject({ rule: describeRule(rules[1]!, 15) });
    expect(forecastOf(restored!)).not.toMatchObject({ ruleMissesVsHpa: null });
    // Saved again five minutes on, counting on from the restored syncs.
    for (let i = 0; i < 20; i++) await period([c.id]);
    expect((await evidenceRepo.find(db, c.id))?.evidence).toMatchObject({ buckets: 40_341, following: 1 });
    // Another target makes another forecaster: the scores are not of it, so it starts afresh.
    await patch(c.id, { target: { type: 'cpu', utilizationPercent: 60 } });
    const [afresh] = await period([c.id]);
    expect(forecastOf(afresh!)).toMatchObject({
      rule: 'forecast at 60 %, worth 0.22, held 0.25 min',
      ruleMissesVsHpa: null,
    });
  });

  it('save only the scores of forecasters the tick fed', async () => {
    const c = await createCluster(t, owner.user, PREDICTIVE);
    const db = t.runtime.ctx.db;
    await period([c.id]);
    // Its forecaster is kept but not fed in hpa mode (as on a replica that no longer ticks it): not saved.
    await patch(c.id, { mode: 'hpa' });
    for (let i = 0; i < 21; i++) await period([c.id]);
    expect(await evidenceRepo.find(db, c.id)).toBeUndefined();
    await patch(c.id, { mode: 'predictive' });
    await period([c.id]);
    expect((await evidenceRepo.find(db, c.id))?.evidence).toMatchObject({ buckets: 2 });
  });
});
