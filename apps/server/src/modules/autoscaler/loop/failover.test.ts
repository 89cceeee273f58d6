import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCluster } from '../../../../test/factories/autoscaler';
import { createUser } from '../../../../test/factories/identity';
import { completedJobs, createTestRuntime, testPostgres } from '../../../../test/helpers';
import { startSimulator, type TestSimulator } from '../../../../test/simulator';
import type { Runtime } from '../../../platform/runtime';
import { autoscalerEvents } from '../autoscaler.tables';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/*
 * The control loop's job on the real job runner, with the real clock and a one-second period. On
 * PostgreSQL two replicas share the database (pg-boss): each enqueues the period's job, one runs it;
 * on PGlite the single node runs it alone.
 */
let sim: TestSimulator;
const replicas: (Runtime & { url?: string })[] = [];
const stopped = new Set<number>();

beforeAll(async () => {
  sim = await startSimulator();
  const env = { ...sim.env, AUTOSCALER_SYNC_SECONDS: '1' };
  const first = await createTestRuntime({ env, jobs: true });
  replicas.push(first);
  if (first.url) {
    const database = testPostgres(first.url, 3);
    replicas.push(await createTestRuntime({ env, jobs: true, database }));
  }
});
afterAll(async () => {
  for (const [i, r] of replicas.entries()) if (!stopped.has(i)) await r.close();
  await sim?.stop();
});

/** Control-loop runs this replica completed. */
const ticksOf = (r: Runtime) => completedJobs(r, 'autoscaler.sync');
const eventsOf = async (clusterId: string) =>
  (
    await replicas
      .find((_, i) => !stopped.has(i))!
      .ctx.db.select({ at: autoscalerEvents.at })
      .from(autoscalerEvents)
      .where(eq(autoscalerEvents.clusterId, clusterId))
  ).length;

describe(onPostgres ? 'the control loop on two replicas' : 'the control loop on the single node', () => {
  it('ticks each cluster once per period, and the other replica goes on when the ticking one stops', async () => {
    const t = { runtime: replicas[0]! };
    const before = await Promise.all(replicas.map(ticksOf));
    const from = Date.now();
    const c = await createCluster(t, await createUser(t));
    await sleep(4200);
    const runs = (await Promise.all(replicas.map(ticksOf))).map((n, i) => n - before[i]!);
    const events = await eventsOf(c.id);
    const slots = Math.floor(Date.now() / 1000) - Math.floor(from / 1000) + 1;
    // One event per tick of the cluster, and no period ticked twice (two replicas would make two; one
    // more may be the run of the period before, still queued when the cluster came)…
    expect(events, `${events} ticks in ${slots} periods`).toBeLessThanOrEqual(slots + 1);
    // …and none of the periods went without its tick (the last may still be running).
    expect(events).toBeGreaterThanOrEqual(3);
    if (replicas.length === 1) return;

    // The replica that ran the latest ticks stops, as a replica killed in a deploy would.
    const ticking = runs[0]! >= runs[1]! ? 0 : 1;
    const other = 1 - ticking;
    await replicas[ticking]!.close();
    stopped.add(ticking);
    const otherBefore = await ticksOf(replicas[other]!);
    const afterStop = await eventsOf(c.id);
    const stopAt = Date.now();
    await sleep(3200);
    const slotsAfter = Math.floor(Date.now() / 1000) - Math.floor(stopAt / 1000) + 1;
    const taken = (await eventsOf(c.id)) - afterStop;
    // The survivor ticks every period from the next one on, once each; at most the period running
    // at the stop and the one still queued go without a tick in the window.
    expect(taken).toBeLessThanOrEqual(slotsAfter);
    expect(taken).toBeGreaterThanOrEqual(slotsAfter - 2);
    // Those ticks were the survivor's: a run writes its event before it counts as completed, so the
    // last one may still be finishing.
    await vi.waitFor(
      async () => expect((await ticksOf(replicas[other]!)) - otherBefore).toBeGreaterThanOrEqual(taken),
      { timeout: 5000, interval: 100 },
    );
  });
});
