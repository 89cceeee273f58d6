import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyDatabase } from '../../../../test/helpers';
import type { Database } from '../../../platform/db';
import { loadMigrations, migrate, prepareRollback } from '../../../platform/migrate';

let database: Database;
beforeAll(async () => {
  database = await emptyDatabase();
});
afterAll(() => database?.close());

const query = <R>(sql: string) => database.withSession((s) => s.query<R>(sql));
const TICKS = `select cluster_id as id, desired_servers, breaker, controller::text as controller, last_tick_at
                 from autoscaler_cluster_ticks order by cluster_id`;
const STATE = `select id, desired_servers, breaker, controller::text as controller, last_tick_at
                 from autoscaler_clusters order by id`;
const CLUSTER = `insert into autoscaler_clusters (id, owner_id, name, min_servers, max_servers, target, mode,
                   simulation, desired_servers, breaker, controller, last_tick_at, created_at, updated_at)`;

describe('migration 0056 (cluster tick state)', () => {
  it("copies each cluster's tick state, and keeps it for clusters and ticks of an older release", async () => {
    const all = loadMigrations();
    await migrate(database, { migrations: all.filter((m) => m.name < '0056') });
    await query(`insert into users (id, username, email, display_name, role)
                 values ('00000000-0000-4000-8000-0000000000aa', 'owner', 'owner@x.test', 'Owner', 'employee')`);
    await query(`${CLUSTER}
      select ('00000000-0000-4000-8000-00000000000' || n)::uuid, '00000000-0000-4000-8000-0000000000aa',
             'c' || n || 'xx', 1, 10, '{}', 'hpa', '{}', n + 1, b, json_build_object('failedReads', n), t, now(), now()
        from unnest(array[1, 2]) with ordinality as y(n),
             lateral (values (case n when 1 then 'open' else 'closed' end,
                              case n when 1 then '2026-11-26T12:00:00Z'::timestamptz end)) as z(b, t)`);
    const before = await query(STATE);
    expect(before).toHaveLength(2);

    await migrate(database, { migrations: all });
    expect(await query(TICKS)).toEqual(before);

    // A cluster made by a release from before this one (no tick row of its own) gets one…
    await query(`${CLUSTER} values ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-0000000000aa',
                 'c3xx', 1, 5, '{}', 'hpa', '{}', 1, 'closed', '{}', null, now(), now())`);
    // …and such a release's tick, written into the cluster row, is carried over.
    await query(`update autoscaler_clusters set desired_servers = 4, breaker = 'halfOpen',
                   controller = '{"failedReads":0}', last_tick_at = '2026-11-27T00:00:00Z'
                 where id = '00000000-0000-4000-8000-000000000001'`);
    expect(await query(TICKS)).toEqual(await query(STATE));
    // A delete takes the tick row with it.
    await query(`delete from autoscaler_clusters where id = '00000000-0000-4000-8000-000000000002'`);
    expect(await query(TICKS)).toHaveLength(2);
  });
});

describe('a rollback past 0056', () => {
  it('gives the cluster rows the newest count, breaker, memory and tick time, however often it runs', async () => {
    await migrate(database, { migrations: loadMigrations() });
    await query(`insert into users (id, username, email, display_name, role)
                 values ('00000000-0000-4000-8000-0000000000aa', 'owner', 'owner@x.test', 'Owner', 'employee')
                 on conflict do nothing`);
    await query(`${CLUSTER} values ('00000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-0000000000aa',
                 'c5xx', 1, 10, '{}', 'hpa', '{}', 1, 'closed', '{}', null, now(), now())`);
    // What this release's tick writes: the tick row only.
    await query(`update autoscaler_cluster_ticks set desired_servers = 7, breaker = 'open',
                   controller = '{"failedReads":3}', last_tick_at = '2026-11-28T09:00:00Z'
                 where cluster_id = '00000000-0000-4000-8000-000000000005'`);
    const newest = await query(TICKS);
    expect(await query(STATE)).not.toEqual(newest);

    // A target at 0056 or later reads the tick rows: the cluster rows stay.
    await prepareRollback(database, '0056');
    expect(await query(STATE)).not.toEqual(newest);
    expect(await prepareRollback(database, '0055')).toContain('0056_autoscaler_cluster_ticks');
    expect(await query(STATE)).toEqual(newest);
    expect(await query(TICKS)).toEqual(newest);
    // Again, or with no tick rows left: the cluster rows keep what they have.
    await prepareRollback(database, '0055');
    await query('delete from autoscaler_cluster_ticks');
    await prepareRollback(database, '0042');
    expect(await query(STATE)).toEqual(newest);
  });
});
