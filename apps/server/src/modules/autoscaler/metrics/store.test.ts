import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestRuntime,
  moduleServices,
  testClock,
  testPostgres,
  type WithServices,
} from '../../../../test/helpers';
import { prepareRollback } from '../../../platform/migrate';
import type { Sample } from './store';

const clock = testClock(new Date('2026-11-26T12:00:00Z'));
const env = { AUTOSCALER_METRICS_RETENTION_DAYS: '7', AUTOSCALER_SYNC_SECONDS: '15' };
let t: WithServices;
beforeAll(async () => {
  // No job runner: the rollup job runs when a test calls it.
  t = { runtime: await createTestRuntime({ clock, env, jobs: false }) };
});
afterAll(() => t?.runtime.close());

const store = () => moduleServices(t, 'autoscaler').metrics;
const query = async <T>(q: ReturnType<typeof sql>) =>
  ((await t.runtime.ctx.db.execute(q)) as unknown as { rows: T[] }).rows;
/** Sets the rollups' watermark: the minutes before `at` count as rolled up. */
const rolledTo = (at: string) =>
  t.runtime.ctx.db.execute(sql`update autoscaler_rollup_state set rolled_to = ${at}::timestamptz`);
/** The stored rollup rows of a cluster: minute and sample count. */
const stored = async (clusterId: string) =>
  (
    await query<{ minute: Date | string; samples: number }>(
      sql`select minute, samples from autoscaler_rollups where cluster_id = ${clusterId} order by minute`,
    )
  ).map((r) => `${new Date(r.minute).toISOString()} ${r.samples}`);
/** A cluster's minutes from `from` (default: the last hour) to now. */
const minutes = async (clusterId: string, from?: string) =>
  (await store().read(clusterId, { resolution: 'minute', from }, clock.now())).points;
const sample = (clusterId: string, at: string, over: Partial<Sample> = {}): Sample => ({
  clusterId,
  at: new Date(at),
  requestRate: 10,
  p95Ms: 50,
  errorRate: 0,
  cpuPercent: 50,
  readyServers: 2,
  totalServers: 2,
  desiredServers: 2,
  ...over,
});
const partitions = async () =>
  (
    await query<{ name: string }>(
      sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = 'autoscaler_samples'::regclass order by 1`,
    )
  ).map((r) => r.name);

describe('the metrics store', () => {
  it('keeps samples in day partitions with a BRIN index on time, made ahead or on the first write', async () => {
    await store().prepare(clock.now());
    expect(await partitions()).toEqual(
      ['20261125', '20261126', '20261127', '20261128', '20261129'].map((d) => `autoscaler_samples_${d}`),
    );
    const id = randomUUID();
    await store().write([sample(id, '2026-12-24T10:00:00Z')]);
    expect(await partitions()).toContain('autoscaler_samples_20261224');
    const idx = (await t.runtime.ctx.db.execute(
      sql`select indexdef from pg_indexes where tablename = 'autoscaler_samples_20261224'`,
    )) as unknown as { rows: { indexdef: string }[] };
    expect(idx.rows.some((r) => /USING brin \(at\)/.test(r.indexdef))).toBe(true);
  });

  it('answers raw samples and minutes over a range; a minute read off the samples equals its later rollup', async () => {
    await rolledTo('2026-11-26T11:00:00Z');
    const id = randomUUID();
    await store().write([
      sample(id, '2026-11-26T11:00:00Z', { requestRate: 10, p95Ms: 40, cpuPercent: 40, desiredServers: 2 }),
      sample(id, '2026-11-26T11:00:15Z', { requestRate: 30, p95Ms: 90, cpuPercent: null, desiredServers: 3 }),
      sample(randomUUID(), '2026-11-26T11:00:30Z', { requestRate: 99 }),
    ]);
    await store().write([sample(id, '2026-11-26T11:00:45Z', { requestRate: 20, p95Ms: 60, cpuPercent: 60 })]);
    const raw = await store().read(id, {}, clock.now());
    expect(raw).toMatchObject({ resolution: 'raw', from: '2026-11-26T11:00:00.000Z', truncated: false });
    expect(raw.points.map((p) => p.requestRate)).toEqual([10, 30, 20]);
    // Not rolled up yet: the minute comes from the samples.
    expect(await stored(id)).toEqual([]);
    const fromSamples = await minutes(id);
    expect(fromSamples).toEqual([
      {
        at: '2026-11-26T11:00:00.000Z',
        requestRate: 20,
        p95Ms: 90,
        errorRate: 0,
        cpuPercent: 50,
        readyServers: 2,
        desiredServers: 3,
      },
    ]);
    expect(await store().rollUp(clock.now())).toMatchObject({ from: new Date('2026-11-26T11:00:00Z') });
    expect(await stored(id)).toEqual(['2026-11-26T11:00:00.000Z 3']);
    expect(await minutes(id)).toEqual(fromSamples);
    await expect(
      store().read(id, { from: '2026-11-26T11:00:00Z', to: '2026-11-26T10:00:00Z' }, clock.now()),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('rolls a minute up once, when the job runs twice at the same time, again, or on two replicas', async () => {
    await rolledTo('2026-11-26T11:10:00Z');
    const id = randomUUID();
    await store().write([sample(id, '2026-11-26T11:10:00Z'), sample(id, '2026-11-26T11:10:15Z')]);
    const runs = await Promise.all([store().rollUp(clock.now()), store().rollUp(clock.now())]);
    expect(runs.filter((r) => r !== null)).toHaveLength(1);
    expect(await store().rollUp(clock.now())).toBeNull();
    // Another replica on the same database (PostgreSQL only; embedded there is one process).
    const url = (t.runtime as { url?: string }).url;
    if (url) {
      const other = await createTestRuntime({ clock, env, jobs: false, database: testPostgres(url, 2) });
      try {
        await rolledTo('2026-11-26T11:10:00Z');
        await t.runtime.ctx.db.execute(sql`delete from autoscaler_rollups where cluster_id = ${id}`);
        const both = await Promise.all([
          store().rollUp(clock.now()),
          moduleServices({ runtime: other }, 'autoscaler').metrics.rollUp(clock.now()),
        ]);
        expect(both.filter((r) => r !== null)).toHaveLength(1);
      } finally {
        await other.close();
      }
    }
    expect(await stored(id)).toEqual(['2026-11-26T11:10:00.000Z 2']);
    expect((await minutes(id)).map((p) => p.at)).toEqual(['2026-11-26T11:10:00.000Z']);
  });

  it('rolls a minute up only 2 syncs after its end; a sample later than that stays out of the minute', async () => {
    await rolledTo('2026-11-26T11:58:00Z');
    const id = randomUUID();
    await store().write([sample(id, '2026-11-26T11:58:50Z', { requestRate: 10 })]);
    // 30 s after 11:59 ended, 11:58 is closed and 11:59 not yet: a tick of 11:59:45 may still be writing.
    clock.set('2026-11-26T12:00:29Z');
    expect(await store().rollUp(clock.now())).toMatchObject({ to: new Date('2026-11-26T11:59:00Z') });
    await store().write([sample(id, '2026-11-26T11:59:45Z', { requestRate: 30 })]);
    expect(await stored(id)).toEqual(['2026-11-26T11:58:00.000Z 1']);
    expect((await minutes(id)).map((p) => [p.at, p.requestRate])).toEqual([
      ['2026-11-26T11:58:00.000Z', 10],
      ['2026-11-26T11:59:00.000Z', 30],
    ]);
    clock.set('2026-11-26T12:00:30Z');
    expect(await store().rollUp(clock.now())).toMatchObject({ to: new Date('2026-11-26T12:00:00Z') });
    expect(await stored(id)).toEqual(['2026-11-26T11:58:00.000Z 1', '2026-11-26T11:59:00.000Z 1']);
    // A tick later than its job's expiry: the sample is kept raw, the minute as rolled up.
    await store().write([sample(id, '2026-11-26T11:59:50Z', { requestRate: 50 })]);
    expect((await store().read(id, {}, clock.now())).points.map((p) => p.requestRate)).toEqual([10, 30, 50]);
    expect((await minutes(id)).map((p) => [p.at, p.requestRate])).toEqual([
      ['2026-11-26T11:58:00.000Z', 10],
      ['2026-11-26T11:59:00.000Z', 30],
    ]);
    clock.set('2026-11-26T12:00:00Z');
  });

  it('catches up 60 minutes per run, skipping minutes older than the samples kept', async () => {
    // A watermark 30 days old: the samples' retention (7 days) starts the run at 2026-11-19.
    await rolledTo('2026-10-27T00:00:00Z');
    expect(await store().rollUp(clock.now())).toEqual({
      from: new Date('2026-11-19T00:00:00Z'),
      to: new Date('2026-11-19T01:00:00Z'),
      rows: expect.any(Number),
    });
    await rolledTo('2026-11-26T09:00:00Z');
    const id = randomUUID();
    await store().write(['09:00:00', '10:30:00', '11:45:00'].map((at) => sample(id, `2026-11-26T${at}Z`)));
    const since = '2026-11-26T09:00:00Z';
    const chart = await minutes(id, since);
    expect(chart.map((p) => p.at.slice(11, 16))).toEqual(['09:00', '10:30', '11:45']);
    expect((await store().rollUp(clock.now()))?.to).toEqual(new Date('2026-11-26T10:00:00Z'));
    expect(await minutes(id, since)).toEqual(chart);
    expect((await store().rollUp(clock.now()))?.to).toEqual(new Date('2026-11-26T11:00:00Z'));
    expect((await store().rollUp(clock.now()))?.to).toEqual(new Date('2026-11-26T11:59:00Z'));
    expect(await store().rollUp(clock.now())).toBeNull();
    expect(await stored(id)).toHaveLength(3);
    expect(await minutes(id, since)).toEqual(chart);
  });

  it('drops whole day partitions past the retention, and minute rollups past 90 days', async () => {
    const id = randomUUID();
    await store().write([
      sample(id, '2026-08-20T10:00:00Z'),
      sample(id, '2026-11-18T23:59:59Z'),
      sample(id, '2026-11-19T12:00:00Z'),
    ]);
    // Each minute rolled up by the job of its time.
    for (const [from, now] of [
      ['2026-08-20T10:00:00Z', '2026-08-20T10:30:00Z'],
      ['2026-11-18T23:59:00Z', '2026-11-19T00:01:00Z'],
      ['2026-11-19T12:00:00Z', '2026-11-19T12:01:30Z'],
    ] as const) {
      await rolledTo(from);
      await store().rollUp(new Date(now));
    }
    await rolledTo('2026-11-26T11:00:00Z');
    expect(await stored(id)).toHaveLength(3);
    const dropped = await store().retain(clock.now());
    expect(dropped).toEqual(['autoscaler_samples_20260820', 'autoscaler_samples_20261118']);
    expect(await partitions()).toContain('autoscaler_samples_20261119');
    const range = { from: '2026-08-01T00:00:00Z', to: '2026-11-20T00:00:00Z' };
    const raw = await store().read(id, { ...range, resolution: 'raw' }, clock.now());
    expect(raw.points.map((p) => p.at)).toEqual(['2026-11-19T12:00:00.000Z']);
    const minutes = await store().read(id, { ...range, resolution: 'minute' }, clock.now());
    expect(minutes.points.map((p) => p.at)).toEqual(['2026-11-18T23:59:00.000Z', '2026-11-19T12:00:00.000Z']);
  });

  it("writes one tick of 10,000 clusters' samples in one batch, and rolls their minute up in one run", async () => {
    await rolledTo('2026-11-26T11:30:00Z');
    const ids = Array.from({ length: 10_000 }, () => randomUUID());
    await store().write(ids.map((id) => sample(id, '2026-11-26T11:30:00Z')));
    await store().rollUp(clock.now());
    const [rolled] = await query<{ n: number }>(
      sql`select count(*)::int as n from autoscaler_rollups where minute = '2026-11-26T11:30:00Z'`,
    );
    expect(rolled?.n).toBe(10_000);
    expect((await minutes(ids[9_999]!)).map((p) => p.at)).toEqual(['2026-11-26T11:30:00.000Z']);
  });

  it('after a rollback past 0057 the older release has every minute, and a roll-forward neither doubles nor skips one', async () => {
    const c = randomUUID();
    const at = (hm: string) => `2026-11-26T${hm}Z`;
    /** A tick of a release from before 0057: its sample, and the same added to its minute's row. */
    const olderTick = async (time: string) => {
      await store().write([sample(c, at(time))]);
      await query(sql`
        insert into autoscaler_rollups as r values (${c}, date_bin('1 minute', ${at(time)}::timestamptz,
          timestamptz '2000-01-01 00:00:00+00'), 1, 10, 10, 50, 0, 50, 1, 2, 2)
        on conflict (cluster_id, minute) do update set samples = r.samples + 1`);
    };
    await rolledTo(at('10:00:00'));
    // This release's ticks write samples only; an older one beside it adds to its minute as well.
    await store().write(['10:00:10', '10:00:40', '10:01:10'].map((x) => sample(c, at(x))));
    await olderTick('10:01:40');
    expect(await stored(c)).toEqual([`${at('10:01:00.000')} 1`]);

    // The rollback step (the database's clock is past these minutes): all of them, however often run.
    const rolledBack = [`${at('10:00:00.000')} 2`, `${at('10:01:00.000')} 2`];
    await prepareRollback(t.runtime.ctx.database, '0056');
    expect(await stored(c)).toEqual(rolledBack);
    await prepareRollback(t.runtime.ctx.database, '0056');
    expect(await stored(c)).toEqual(rolledBack);

    // The older release alone, then forward again: the job goes on from the unmoved watermark and
    // replaces each minute's row from the samples.
    await olderTick('10:02:10');
    await olderTick('10:02:40');
    expect(await store().rollUp(new Date(at('10:05:00')))).toMatchObject({ from: new Date(at('10:00:00')) });
    expect(await stored(c)).toEqual([...rolledBack, `${at('10:02:00.000')} 2`]);
  });
});
