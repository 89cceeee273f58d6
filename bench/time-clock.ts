/**
 * Clock-in/clock-out cycles for 1,000 people against real PostgreSQL and Redis, then pgbench's
 * built-in TPC-B script on the same server as the floor.
 *
 *   npx tsx bench/time-clock.ts
 *   BENCH_DB=clockpilot_bench_clock_mine npx tsx bench/time-clock.ts   (its own scratch databases)
 *   BENCH_PEOPLE=1000 BENCH_ROUNDS=3 BENCH_CONNECTIONS=50 BENCH_PGBENCH_SECONDS=20 npx tsx bench/time-clock.ts
 */
import { execFileSync } from 'node:child_process';
import {
  adminQuery,
  benchDatabase,
  benchNumber,
  createAccounts,
  dbUrl,
  percentile,
  recreateDatabase,
  request,
  startServer,
} from './time-common';

const PEOPLE = benchNumber('BENCH_PEOPLE', 1000);
const ROUNDS = benchNumber('BENCH_ROUNDS', 3);
const CONNECTIONS = benchNumber('BENCH_CONNECTIONS', 50);
const PGBENCH_SECONDS = benchNumber('BENCH_PGBENCH_SECONDS', 20);
const DB = benchDatabase('clockpilot_bench_clock');
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC'];

await recreateDatabase(DB);
let t0 = performance.now();
const tokens = await createAccounts(
  DB,
  Array.from({ length: PEOPLE }, (_, i) => ({
    username: `clock_${i}`,
    role: 'employee' as const,
    timeZone: ZONES[i % 4]!,
  })),
);
console.log(
  `set-up: ${PEOPLE} accounts with API tokens in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const server = await startServer(DB);
const latencies: number[] = [];
const statuses = new Map<number, number>();
let errors = 0;
const call = async (path: string, token: string, expected: number) => {
  const res = await request(`${server.url}/api/v1/time/${path}`, { method: 'POST', token });
  latencies.push(res.ms);
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  if (res.status !== expected) {
    errors++;
    if (errors <= 5) console.error(`${path}: ${res.status} ${res.body.slice(0, 200)}`);
  }
};

// Warm-up: one cycle for the first connections' worth of people, not measured.
for (const token of tokens.slice(0, CONNECTIONS)) {
  await request(`${server.url}/api/v1/time/clock-in`, { method: 'POST', token });
  await request(`${server.url}/api/v1/time/clock-out`, { method: 'POST', token });
}

// Each connection owns a slice of people: it clocks them all in, then all out, so a person's
// clock-out never lands in the same millisecond as their clock-in.
const slices = Array.from({ length: CONNECTIONS }, (_, c) => tokens.filter((_, i) => i % CONNECTIONS === c));
t0 = performance.now();
await Promise.all(
  slices.map(async (slice) => {
    for (let round = 0; round < ROUNDS; round++) {
      for (const token of slice) await call('clock-in', token, 201);
      for (const token of slice) await call('clock-out', token, 200);
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
await server.stop();
await adminQuery(`drop database if exists ${DB} with (force)`);

latencies.sort((a, b) => a - b);
const rps = latencies.length / seconds;
console.log(
  `clock: ${PEOPLE} people x ${ROUNDS} rounds, ${CONNECTIONS} connections: ${latencies.length} requests in ${seconds.toFixed(1)} s`,
);
console.log(
  `clock: ${rps.toFixed(0)} req/s, ${(rps / 2).toFixed(0)} cycles/s, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, errors ${errors}, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
);

// The floor: pgbench's TPC-B on a scratch database of the same server, as many clients as the app's pool.
const PGB = `${DB}_pgbench`;
await recreateDatabase(PGB);
const u = new URL(dbUrl(PGB));
const conn = ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres')];
execFileSync('pgbench', [...conn, '-i', '-q', '-s', '10', PGB], { stdio: 'ignore' });
const out = execFileSync('pgbench', [...conn, '-c', '20', '-j', '2', '-T', String(PGBENCH_SECONDS), PGB], {
  encoding: 'utf8',
});
const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1]);
await adminQuery(`drop database if exists ${PGB} with (force)`);
console.log(`pgbench TPC-B (scale 10, 20 clients, ${PGBENCH_SECONDS} s): ${tps.toFixed(0)} tps`);
console.log(`ratio: clock requests/s to pgbench tps = ${(rps / tps).toFixed(2)}`);
console.log(
  `| time clock cycles | ${PEOPLE} people x ${ROUNDS} | ${rps.toFixed(0)} req/s | p50 ${percentile(latencies, 50).toFixed(1)} ms | p99 ${percentile(latencies, 99).toFixed(1)} ms | errors ${errors} | pgbench ${tps.toFixed(0)} tps | ratio ${(rps / tps).toFixed(2)} |`,
);
