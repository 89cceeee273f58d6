import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCluster } from '../../../../test/factories/autoscaler';
import { loginAs } from '../../../../test/factories/identity';
import { createTestApp, moduleServices, type TestApp, testClock } from '../../../../test/helpers';
import { startSimulator, type TestSimulator } from '../../../../test/simulator';

const clock = testClock(new Date('2026-11-26T12:00:00Z'));
let t: TestApp;
let sim: TestSimulator;

beforeAll(async () => {
  sim = await startSimulator();
  t = await createTestApp({
    clock,
    jobs: false,
    env: { ...sim.env, AUTOSCALER_FORECAST_REBUILDS_PER_TICK: '2' },
  });
});
afterAll(async () => {
  await t?.close();
  await sim?.stop();
});

describe("a replica's forecasters", () => {
  it('are rebuilt a few per tick; a cluster still waiting is decided by the HPA and says so', async () => {
    const owner = await loginAs(t);
    const clusters = [];
    for (let i = 0; i < 5; i++)
      clusters.push(
        await createCluster(t, owner.user, {
          minServers: 1,
          maxServers: 20,
          mode: 'predictive',
          target: { type: 'cpu', utilizationPercent: 50 },
          simulation: { load: { type: 'constant', rps: 40 }, capacityRps: 10, bootSeconds: 0 },
        }),
      );
    const ids = clusters.map((c) => c.id);
    const forecast = [];
    for (let tick = 0; tick < 4; tick++) {
      for (const id of ids) await sim.advance(id, 15);
      clock.advance(15_000);
      const outcomes = await moduleServices(t, 'autoscaler').loop.tick();
      const mine = outcomes.filter((o) => ids.includes(o.row.id));
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
});
