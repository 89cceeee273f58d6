import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, moduleServices, testClock, type WithServices } from '../../../../test/helpers';
import { copyIn } from '../../../platform/pg-copy';
import { samplesRepo } from '../metrics/samples.repo';
import type { Sample } from '../metrics/store';
import { loopRepo } from './events.repo';

const clock = testClock(new Date('2026-11-26T12:00:00Z'));
let t: WithServices;
beforeAll(async () => {
  t = { runtime: await createTestRuntime({ clock, jobs: false }) };
});
afterAll(() => t?.runtime.close());

const db = () => t.runtime.ctx.db;
const rows = async <T>(q: ReturnType<typeof sql>) =>
  ((await db().execute(q)) as unknown as { rows: T[] }).rows;

// Texts COPY's text format or an array literal would have to escape, and JSON with escapes of its own.
const REASON = 'tab\there, line\nbreak, back\\slash, "quoted", {braces,comma}, NULL, ünïcødé 🚀';
const INPUTS = { note: 'a "quote", a \\ and a\nnewline', figures: [0.1, 1e-7, 123456.789], none: null };

describe('the tick bulk writes', () => {
  it('store samples and events exactly as given, the same on both engines', async () => {
    const at = new Date('2026-11-26T12:00:00.123Z');
    const services = moduleServices(t, 'autoscaler');
    await services.eventDays.prepare(at);
    await services.metrics.prepare(at);
    const clusterId = randomUUID();
    const samples: Sample[] = [
      {
        clusterId,
        at,
        requestRate: 0.1 + 0.2,
        p95Ms: 1e-9,
        errorRate: 0,
        cpuPercent: null,
        readyServers: 0,
        totalServers: 2_000_000_000,
        desiredServers: 3,
      },
      {
        clusterId: randomUUID(),
        at: new Date('2026-11-26T11:59:59.999Z'),
        requestRate: 12345.678,
        p95Ms: 80,
        errorRate: 0.5,
        cpuPercent: 99.9,
        readyServers: 4,
        totalServers: 5,
        desiredServers: 6,
      },
    ];
    const id = randomUUID();
    const event = {
      id,
      clusterId,
      mode: 'hpa',
      previousServers: 2,
      recommendedServers: 3,
      appliedServers: 3,
      limitedBy: 'none',
      reason: REASON,
      breaker: 'closed' as const,
    };
    await db().transaction(async (tx) => {
      await samplesRepo.insertSamples(tx, samples);
      await loopRepo.insertEvents(tx, at.toISOString(), [
        { row: event, inputs: Buffer.from(JSON.stringify(INPUTS)) },
      ]);
    });

    const stored = await rows<Record<string, unknown>>(sql`
      select cluster_id, at, request_rate, p95_ms, error_rate, cpu_percent, ready_servers, total_servers,
             desired_servers
        from autoscaler_samples where cluster_id in (${samples[0]!.clusterId}, ${samples[1]!.clusterId})`);
    const byCluster = new Map(stored.map((r) => [r.cluster_id, r]));
    for (const s of samples) {
      const r = byCluster.get(s.clusterId)!;
      expect(new Date(r.at as string).toISOString()).toBe(s.at.toISOString());
      expect(
        [r.request_rate, r.p95_ms, r.error_rate, r.cpu_percent].map((x) => (x == null ? x : Number(x))),
      ).toEqual([s.requestRate, s.p95Ms, s.errorRate, s.cpuPercent]);
      expect([r.ready_servers, r.total_servers, r.desired_servers]).toEqual([
        s.readyServers,
        s.totalServers,
        s.desiredServers,
      ]);
    }
    const [e] = await rows<Record<string, unknown>>(
      sql`select *, inputs::text as inputs_text from autoscaler_events where id = ${id}`,
    );
    expect(e).toMatchObject({
      cluster_id: clusterId,
      mode: 'hpa',
      previous_servers: 2,
      recommended_servers: 3,
      applied_servers: 3,
      limited_by: 'none',
      reason: REASON,
      breaker: 'closed',
    });
    expect(new Date(e!.at as string).toISOString()).toBe(at.toISOString());
    // json, not jsonb: the bytes given are the bytes kept.
    expect(e!.inputs_text).toBe(JSON.stringify(INPUTS));
  });

  it('go by COPY on PostgreSQL, in a transaction only, and by statements on PGlite', async () => {
    const empty = () => Buffer.alloc(0);
    const copy = 'copy autoscaler_rollup_state from stdin (format binary)';
    // Outside a transaction (the pool) there is no one connection to COPY on: nothing is sent.
    expect(await copyIn(db(), copy, empty)).toBe(false);
    const rollback = new Error('rollback');
    const inTx = await db()
      .transaction(async (tx) => {
        const used = await copyIn(tx, copy, () =>
          Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0\xff\xff', 'latin1'),
        );
        throw Object.assign(rollback, { used });
      })
      .catch((err: Error & { used?: boolean }) => err.used);
    expect(inTx).toBe(t.runtime.ctx.database.driver === 'postgres');
  });
});
