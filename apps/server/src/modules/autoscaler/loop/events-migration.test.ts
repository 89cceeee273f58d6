import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyDatabase } from '../../../../test/helpers';
import type { Database } from '../../../platform/db';
import { loadMigrations, migrate } from '../../../platform/migrate';

let database: Database;
beforeAll(async () => {
  database = await emptyDatabase();
});
afterAll(() => database?.close());

const query = <R>(sql: string) => database.withSession((s) => s.query<R>(sql));
const EVENTS = `select id, cluster_id, at, mode, previous_servers, recommended_servers, applied_servers,
                       limited_by, reason, breaker, inputs::text as inputs
                  from autoscaler_events order by cluster_id, at, id`;

describe('migration 0055 (events by day)', () => {
  it('moves the events already stored into partitions of their UTC days, unchanged', async () => {
    const all = loadMigrations();
    await migrate(database, { migrations: all.filter((m) => m.name < '0055') });
    // Two clusters' events over two UTC days, one of them a minute before midnight in UTC.
    await database.withSession((s) =>
      s.exec(`insert into autoscaler_events (cluster_id, at, mode, previous_servers, recommended_servers,
                applied_servers, limited_by, reason, breaker, inputs)
              select c, t, 'hpa', 1, 2, 2, 'metric', 'up', 'closed', json_build_object('n', n)
                from unnest(array['00000000-0000-4000-8000-000000000001',
                                  '00000000-0000-4000-8000-000000000002']::uuid[]) as c,
                     unnest(array['2026-11-24T23:59:00Z', '2026-11-25T00:00:00Z',
                                  '2026-11-25T12:00:00+01:00']::timestamptz[]) with ordinality as x(t, n)`),
    );
    const before = await query(EVENTS);
    expect(before).toHaveLength(6);

    await migrate(database, { migrations: all });
    expect(await query(EVENTS)).toEqual(before);
    const parts = await query<{ name: string; n: number }>(
      `select c.relname as name, (select count(*)::int from autoscaler_events e where e.tableoid = c.oid) as n
         from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'autoscaler_events'::regclass order by 1`,
    );
    expect(parts).toEqual([
      { name: 'autoscaler_events_20261124', n: 2 },
      { name: 'autoscaler_events_20261125', n: 4 },
    ]);
    // The day after has no partition yet: a write there is refused until one is made (the loop makes it).
    await expect(
      query(`insert into autoscaler_events (cluster_id, at, mode, previous_servers, recommended_servers,
               applied_servers, limited_by, reason, breaker, inputs)
             values (gen_random_uuid(), '2026-11-26T00:00:00Z', 'hpa', 1, 1, 1, 'metric', '', 'closed', '{}')`),
    ).rejects.toMatchObject({ code: '23514' });
  });
});
