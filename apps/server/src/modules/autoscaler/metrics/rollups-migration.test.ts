import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyDatabase } from '../../../../test/helpers';
import type { Database } from '../../../platform/db';
import { loadMigrations, migrate } from '../../../platform/migrate';

const all = loadMigrations();
let database: Database;
beforeAll(async () => {
  database = await emptyDatabase();
  await migrate(database, { migrations: all.filter((m) => m.name < '0057') });
});
afterAll(() => database?.close());

/** Runs `before`, then migration 0057 (again, once undone: its table dropped and its record removed). */
async function migrated(before: string) {
  await database.withSession((s) =>
    s.exec(`drop table if exists autoscaler_rollup_state;
            delete from schema_migrations where name like '0057%';
            ${before}`),
  );
  await migrate(database, { migrations: all });
  const [state] = await database.withSession((s) =>
    s.query<{ rolled_to: Date | string }>('select rolled_to from autoscaler_rollup_state'),
  );
  return new Date(state!.rolled_to).getTime();
}

describe('migration 0057 (the rollups made by a job)', () => {
  it('starts a database without rollups at the current minute', async () => {
    const before = Math.floor(Date.now() / 60_000) * 60_000;
    const rolledTo = await migrated('');
    expect(rolledTo).toBeGreaterThanOrEqual(before);
    expect(rolledTo).toBeLessThanOrEqual(Date.now());
    expect(rolledTo % 60_000).toBe(0);
  });

  it('starts the job at the newest minute the ticks added to, which it rolls up again whole', async () => {
    const rolledTo = await migrated(`
      insert into autoscaler_rollups (cluster_id, minute, samples, request_rate_sum, request_rate_max,
        p95_ms_max, error_rate_sum, cpu_percent_sum, cpu_samples, ready_servers_sum, desired_servers_max)
      select gen_random_uuid(), m, 1, 1, 1, 1, 0, 1, 1, 1, 1
        from unnest(array['2026-11-26T10:04:00Z', '2026-11-26T10:05:00Z']::timestamptz[]) as m`);
    expect(new Date(rolledTo)).toEqual(new Date('2026-11-26T10:05:00Z'));
  });
});
