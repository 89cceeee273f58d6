/**
 * The job `autoscaler.rollups` on PostgreSQL: one closed minute of 10,000 clusters (BENCH_CLUSTERS) at
 * the default 15 s sync (4 samples each) over an hour of samples already stored (the first run, which
 * summarises the hour's BRIN ranges, apart), then a capped catch-up run of 60 minutes; and the minute
 * chart of one cluster over a day with 30 minutes read off the samples against the same chart wholly
 * from the rollups. Wall time and the CPU of the database's backends (from /proc) per run. Writes
 * bench/results/autoscaler-rollup-job.json.
 *
 *   BENCH_DB=bench_rollup_job npx tsx bench/rollup-job.ts
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../apps/server/src/config/load';
import { MODULES } from '../apps/server/src/modules';
import type { Sample } from '../apps/server/src/modules/autoscaler/metrics/store';
import { createPostgres } from '../apps/server/src/platform/db';
import { createLoggers } from '../apps/server/src/platform/logger';
import { createRuntime } from '../apps/server/src/platform/runtime';
import {
  adminQuery,
  benchDatabase,
  benchNumber,
  cpuMs,
  dbUrl,
  machineInfo,
  median,
  recreateDatabase,
  writeFigures,
} from './time-common';

const CLUSTERS = benchNumber('BENCH_CLUSTERS', 10_000);
const DB = benchDatabase('clockpilot_bench_rollup_job');
const MINUTE = 60_000;
const HISTORY_MINUTES = 63;

await recreateDatabase(DB);
const config = loadConfig({
  env: {
    APP_MODE: 'development',
    DATABASE_URL: dbUrl(DB),
    JWT_SECRET: 'bench-secret-that-is-at-least-32-characters-long',
    LOG_LEVEL: 'warn',
    MODULES: 'identity,autoscaler',
  },
  version: 'bench',
});
const runtime = await createRuntime(
  config,
  { database: createPostgres(dbUrl(DB), config), loggers: createLoggers(config) },
  MODULES,
);
await runtime.start({ jobs: false });
const { metrics } = runtime.services('autoscaler');
const { db } = runtime.ctx;

// An hour and three minutes of ticks of 10,000 clusters, ending a few minutes ago.
const ids = Array.from({ length: CLUSTERS }, () => randomUUID());
const end = Math.floor(Date.now() / MINUTE) * MINUTE - 5 * MINUTE;
const start = end - HISTORY_MINUTES * MINUTE;
await metrics.prepare(new Date(start));
const t0 = performance.now();
for (let at = start; at < end; at += 15_000) {
  const when = new Date(at);
  await metrics.write(
    ids.map(
      (clusterId, i): Sample => ({
        clusterId,
        at: when,
        requestRate: 10 + ((i + at / 15_000) % 50),
        p95Ms: 40 + (i % 30),
        errorRate: (i % 7) / 100,
        cpuPercent: i % 11 === 0 ? null : 30 + (i % 60),
        readyServers: 1 + (i % 5),
        totalServers: 1 + (i % 5),
        desiredServers: 1 + (i % 6),
      }),
    ),
  );
}
await db.execute(sql`analyze autoscaler_samples`);
console.log(
  `seed: ${(HISTORY_MINUTES * 4 * CLUSTERS).toLocaleString()} samples in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const backends = async () =>
  (
    await adminQuery(
      `select pid from pg_stat_activity where datname = '${DB}' and backend_type = 'client backend'`,
    )
  ).rows.map((r) => r.pid as number);
const dbCpu = async (pids: number[]) =>
  (await Promise.all(pids.map((pid) => cpuMs(pid).catch(() => 0)))).reduce((a, b) => a + b, 0);
const setRolledTo = (at: number) =>
  db.execute(sql`update autoscaler_rollup_state set rolled_to = ${new Date(at).toISOString()}::timestamptz`);
/** One run of the job with the clock at `now`: wall and database CPU, and what it rolled. */
async function run(now: number) {
  const pids = await backends();
  const before = await dbCpu(pids);
  const started = performance.now();
  const rolled = await metrics.rollUp(new Date(now));
  const ms = performance.now() - started;
  return { ms: Math.round(ms), dbCpuMs: (await dbCpu(pids)) - before, rows: rolled?.rows ?? 0 };
}

// The first run summarises the BRIN ranges of the whole hour written before it (minute 2).
await setRolledTo(start + 2 * MINUTE);
const firstRun = await run(start + 3 * MINUTE + 30_000);
console.log(`first run: ${JSON.stringify(firstRun)}`);
// Then one minute per run, each closed 30 s ago: the job's steady state (minutes 3 to 8 of the hour).
const oneMinute: Awaited<ReturnType<typeof run>>[] = [];
for (let k = 3; k < 9; k++) {
  const minute = start + k * MINUTE;
  await setRolledTo(minute);
  oneMinute.push(await run(minute + MINUTE + 30_000));
  console.log(`one minute: ${JSON.stringify(oneMinute.at(-1))}`);
}
// A capped run after an outage: 60 minutes at once.
await db.execute(sql`delete from autoscaler_rollups`);
await setRolledTo(start);
const catchUp = await run(end + 10 * MINUTE);
console.log(`catch-up of 60 minutes: ${JSON.stringify(catchUp)}`);
await run(end + 10 * MINUTE);

// A day's minute chart of one cluster: 30 minutes off the samples, against none.
const chart = async (rolledTo: number) => {
  await setRolledTo(rolledTo);
  const ms: number[] = [];
  for (let i = 0; i < 30; i++) {
    const id = ids[(i * 7919) % ids.length]!;
    const t = performance.now();
    const r = await metrics.read(
      id,
      { from: new Date(end - 86_400_000).toISOString(), resolution: 'minute' },
      new Date(end),
    );
    ms.push(performance.now() - t);
    if (r.points.length !== HISTORY_MINUTES) throw new Error(`a chart of ${r.points.length} minutes`);
  }
  return +median(ms).toFixed(2);
};
const chartAllRolledMs = await chart(end);
const chartTail30Ms = await chart(start + 33 * MINUTE);
console.log(
  `chart of a day: ${chartAllRolledMs} ms from the rollups, ${chartTail30Ms} ms with 30 minutes off the samples`,
);

await runtime.close();
if (!process.env.BENCH_KEEP_DB) await adminQuery(`drop database if exists ${DB} with (force)`);
writeFigures('bench/results/autoscaler-rollup-job.json', {
  date: new Date().toISOString(),
  machine: machineInfo(),
  clusters: CLUSTERS,
  samplesStored: HISTORY_MINUTES * 4 * CLUSTERS,
  firstRun,
  oneMinute,
  oneMinuteMedianMs: median(oneMinute.map((r) => r.ms)),
  oneMinuteDbCpuMedianMs: median(oneMinute.map((r) => r.dbCpuMs)),
  catchUp60Minutes: catchUp,
  chartOfADayMedianMs: { allRolledUp: chartAllRolledMs, tail30MinutesFromSamples: chartTail30Ms },
});
process.exit(0);
