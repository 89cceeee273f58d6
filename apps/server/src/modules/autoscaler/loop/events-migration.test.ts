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

/** The UTC day `n` days from today, as YYYY-MM-DD (the migration dates its partitions by the real clock). */
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const partition = (n: number) => `autoscaler_events_${day(n).replace(/-/g, '')}`;
const INSERT = `insert into autoscaler_events (cluster_id, at, mode, previous_servers, recommended_servers,
                  applied_servers, limited_by, reason, breaker, inputs)`;

describe('migration 0055 (events by day)', () => {
  it("moves the last year's events into partitions of their UTC days, unchanged, and makes the next days", async () => {
    const all = loadMigrations();
    await migrate(database, { migrations: all.filter((m) => m.name < '0055') });
    // Two clusters' events over two UTC days, one of them a minute before midnight in UTC…
    await database.withSession((s) =>
      s.exec(`${INSERT}
              select c, t, 'hpa', 1, 2, 2, 'metric', 'up', 'closed', json_build_object('n', n)
                from unnest(array['00000000-0000-4000-8000-000000000001',
                                  '00000000-0000-4000-8000-000000000002']::uuid[]) as c,
                     unnest(array['${day(-3)}T23:59:00Z', '${day(-2)}T00:00:00Z',
                                  '${day(-2)}T12:00:00+01:00']::timestamptz[]) with ordinality as x(t, n)`),
    );
    const before = await query(EVENTS);
    expect(before).toHaveLength(6);
    // …and one older than any retention keeps, which is not carried over.
    await query(
      `${INSERT} values (gen_random_uuid(), '${day(-400)}T00:00:00Z', 'hpa', 1, 1, 1, 'metric', '', 'closed', '{}')`,
    );

    await migrate(database, { migrations: all });
    expect(await query(EVENTS)).toEqual(before);
    const parts = await query<{ name: string; n: number }>(
      `select c.relname as name, (select count(*)::int from autoscaler_events e where e.tableoid = c.oid) as n
         from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'autoscaler_events'::regclass order by 1`,
    );
    expect(parts).toEqual([
      { name: partition(-3), n: 2 },
      { name: partition(-2), n: 4 },
      ...[-1, 0, 1, 2, 3].map((n) => ({ name: partition(n), n: 0 })),
    ]);
    // A day with no partition refuses a write until one is made (the loop and its job make them).
    await expect(
      query(
        `${INSERT} values (gen_random_uuid(), '${day(4)}T00:00:00Z', 'hpa', 1, 1, 1, 'metric', '', 'closed', '{}')`,
      ),
    ).rejects.toMatchObject({ code: '23514' });
  });
});
