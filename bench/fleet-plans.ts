/**
 * The staff dashboard's and timeline's queries on a large fleet, planned and run by PostgreSQL:
 * 2,000 vehicles in four stations (four zones) with a year of bookings (~104,000), the service's own
 * SQL captured from Drizzle, each statement run under EXPLAIN (ANALYZE, BUFFERS) after a warm-up.
 * Reports per statement its execution time, the scans it used and any sequential scan of a table that
 * grows with bookings. Written to bench/results/fleet-plans.json.
 *
 *   npx tsx bench/fleet-plans.ts
 *   BENCH_KEEP_DB=1 npx tsx bench/fleet-plans.ts    # leaves clockpilot_bench_fleet_plans to look at
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { createFleetOpsService } from '../apps/server/src/modules/fleet/fleet-ops.service';
import type { AppContext } from '../apps/server/src/platform/context';
import { seedFleet } from './fleet-seed';
import { adminQuery, createAccounts, dbUrl, recreateDatabase } from './time-common';

const DB = 'clockpilot_bench_fleet_plans';
const RUNS = 5;
/** Tables that grow with every booking: a sequential scan of one is what this bench looks for. */
const GROWING = ['fleet_bookings', 'fleet_busy'];

await recreateDatabase(DB);
await createAccounts(DB, [{ username: 'bench_renter_0', role: 'customer', timeZone: 'UTC' }]);
const url = dbUrl(DB);
const bookings = await seedFleet(url, 2000, 'bench_renter_0');
// A few cars out on the road, so the returns list has rows to find.
await adminQuery(
  `update fleet_bookings set state = 'checked_out' where id in (select id from fleet_bookings
     where start_at between '2026-12-01' and '2026-12-03' limit 40); analyze fleet_bookings;`,
  url,
);

const pool = new pg.Pool({ connectionString: url, max: 4 });
type Captured = { sql: string; params: unknown[] };
let captured: Captured[] = [];
const db = drizzle({
  client: pool,
  logger: { logQuery: (sql, params) => captured.push({ sql, params }) },
});
const ops = createFleetOpsService({
  db,
  clock: { now: () => new Date('2026-12-02T12:00:00Z') },
} as unknown as AppContext);

type Node = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: Node[] };
const scans = (n: Node): string[] => [
  ...(n['Relation Name'] ? [`${n['Node Type']} ${n['Index Name'] ?? n['Relation Name']}`] : []),
  ...(n.Plans ?? []).flatMap(scans),
];

/** Median planning + execution time of one statement over RUNS runs, and its plan. */
async function explain(sql: string, params: unknown[] = []) {
  const times: number[] = [];
  let top: Node | undefined;
  for (let r = 0; r < RUNS; r++) {
    const { rows } = await pool.query(`explain (analyze, buffers, format json) ${sql}`, params);
    const p = rows[0]['QUERY PLAN'][0];
    times.push(p['Execution Time'] + p['Planning Time']);
    top = p.Plan;
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(RUNS / 2)]!, top: top! };
}

/** Runs `call` once to capture its statements, then EXPLAIN ANALYZEs each RUNS times. */
async function plan(name: string, call: () => Promise<unknown>) {
  captured = [];
  const t = performance.now();
  await call();
  const serviceMs = performance.now() - t;
  const statements = captured;
  const out = [];
  for (const [i, s] of statements.entries()) {
    const { ms, top } = await explain(s.sql, s.params);
    const used = [...new Set(scans(top))];
    out.push({
      statement: i + 1,
      table: /from "(\w+)"/.exec(s.sql)?.[1],
      medianMs: +ms.toFixed(2),
      vsFloor: +(ms / floorMs).toFixed(1),
      scans: used,
      seqScanOfGrowingTable: used.some((u) => GROWING.some((g) => u === `Seq Scan ${g}`)),
    });
  }
  const result = { name, serviceMs: +serviceMs.toFixed(1), statements: out };
  console.log(JSON.stringify(result, null, 1));
  return result;
}

// The floor, in the same run: one pass over the 2,000 vehicles, the least any dashboard statement reads.
const floorMs = +(await explain('select count(*) from fleet_vehicles')).ms.toFixed(2);
console.log(`floor: count of fleet_vehicles ${floorMs} ms`);
const results = [];
try {
  // Warm the caches once, as a dashboard that is open all day would find them.
  await ops.dashboard({
    from: '2026-11-01',
    to: '2026-11-30',
    horizonDays: 7,
    dueWithinDays: 14,
    dueWithinKm: 1000,
    limit: 50,
  });
  for (const [label, from, to, location] of [
    ['30 days, one station (500 vehicles)', '2026-11-01', '2026-11-30', 'Station 1'],
    ['30 days, every station (2,000 vehicles)', '2026-11-01', '2026-11-30', undefined],
    ['a year, every station', '2026-01-01', '2026-12-31', undefined],
  ] as const)
    results.push(
      await plan(`dashboard: ${label}`, () =>
        ops.dashboard({
          from,
          to,
          location,
          horizonDays: 7,
          dueWithinDays: 14,
          dueWithinKm: 1000,
          limit: 50,
        }),
      ),
    );
  results.push(
    await plan('timeline: 14 days, first page of 25 vehicles, one station', () =>
      ops.timeline({ from: '2026-11-20', to: '2026-12-03', location: 'Station 2', limit: 25 }),
    ),
  );
} finally {
  await pool.end();
  if (!process.env.BENCH_KEEP_DB) await adminQuery(`drop database if exists ${DB} with (force)`);
}

mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/fleet-plans.json',
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
      database: 'PostgreSQL 127.0.0.1:5432',
      vehicles: 2000,
      bookings,
      floor: { statement: 'select count(*) from fleet_vehicles', medianMs: floorMs },
      results,
    },
    null,
    2,
  )}\n`,
);
