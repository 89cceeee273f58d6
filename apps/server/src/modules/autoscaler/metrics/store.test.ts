import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, moduleServices, testClock, type WithServices } from '../../../../test/helpers';
import type { Sample } from './store';

const clock = testClock(new Date('2026-11-26T12:00:00Z'));
let t: WithServices;
beforeAll(async () => {
  t = { runtime: await createTestRuntime({ clock, env: { AUTOSCALER_METRICS_RETENTION_DAYS: '7' } }) };
});
afterAll(() => t?.runtime.close());

const store = () => moduleServices(t, 'autoscaler').metrics;
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
    (await t.runtime.ctx.db.execute(
      sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = 'autoscaler_samples'::regclass order by 1`,
    )) as unknown as { rows: { name: string }[] }
  ).rows.map((r) => r.name);

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

  it('answers raw samples and minute rollups over a range', async () => {
    const id = randomUUID();
    await store().write([
      sample(id, '2026-11-26T11:00:00Z', { requestRate: 10, p95Ms: 40, cpuPercent: 40, desiredServers: 2 }),
      sample(id, '2026-11-26T11:00:15Z', { requestRate: 30, p95Ms: 90, cpuPercent: null, desiredServers: 3 }),
      sample(randomUUID(), '2026-11-26T11:00:30Z', { requestRate: 99 }),
    ]);
    // A later batch adds to the same minute.
    await store().write([sample(id, '2026-11-26T11:00:45Z', { requestRate: 20, p95Ms: 60, cpuPercent: 60 })]);
    const raw = await store().read(id, {}, clock.now());
    expect(raw).toMatchObject({ resolution: 'raw', from: '2026-11-26T11:00:00.000Z', truncated: false });
    expect(raw.points.map((p) => p.requestRate)).toEqual([10, 30, 20]);
    const minute = await store().read(id, { resolution: 'minute' }, clock.now());
    expect(minute.points).toEqual([
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
    await expect(
      store().read(id, { from: '2026-11-26T11:00:00Z', to: '2026-11-26T10:00:00Z' }, clock.now()),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('drops whole day partitions past the retention, and minute rollups past 90 days', async () => {
    const id = randomUUID();
    await store().write([
      sample(id, '2026-08-20T10:00:00Z'),
      sample(id, '2026-11-18T23:59:59Z'),
      sample(id, '2026-11-19T12:00:00Z'),
    ]);
    const dropped = await store().retain(clock.now());
    expect(dropped).toEqual(['autoscaler_samples_20260820', 'autoscaler_samples_20261118']);
    expect(await partitions()).toContain('autoscaler_samples_20261119');
    const range = { from: '2026-08-01T00:00:00Z', to: '2026-11-20T00:00:00Z' };
    const raw = await store().read(id, { ...range, resolution: 'raw' }, clock.now());
    expect(raw.points.map((p) => p.at)).toEqual(['2026-11-19T12:00:00.000Z']);
    const minutes = await store().read(id, { ...range, resolution: 'minute' }, clock.now());
    expect(minutes.points.map((p) => p.at)).toEqual(['2026-11-18T23:59:00.000Z', '2026-11-19T12:00:00.000Z']);
  });

  it("writes one tick of 10,000 clusters' samples and rollups in one batch", async () => {
    // Eleven rollup columns per row: one statement would pass PostgreSQL's 65,535 parameters.
    const ids = Array.from({ length: 10_000 }, () => randomUUID());
    await store().write(ids.map((id) => sample(id, '2026-11-26T11:30:00Z')));
    const minute = await store().read(ids[9_999]!, { resolution: 'minute' }, clock.now());
    expect(minute.points.map((p) => p.at)).toEqual(['2026-11-26T11:30:00.000Z']);
  });
});
