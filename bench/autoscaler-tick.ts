/**
 * One control-loop tick over 10,000 clusters (BENCH_CLUSTERS) on PostgreSQL + Redis, against a real
 * simulator process running in real time (SIMULATOR_SPEED=1): metrics reads through the breakers,
 * decisions (nine in ten HPA, one in ten predictive), scale calls, and the batched writes of samples,
 * events and controller memory, with the live messages published (the minute rollups are a job's, not
 * a tick's: bench/rollup-job.ts). The loop runs in this
 * process (services built without HTTP, jobs off), so a tick is timed exactly and `--cpu-prof` sees it.
 * The runner bundles this file as the server is bundled (bench/bundle.mjs), so the loop measured is
 * the code shipped; run from source under tsx it is ~15 % slower (tsx names every closure it makes).
 * Floors, measured in the same run: the bare metrics reads of every cluster with the loop's client (its
 * bulk calls and their bound on calls in flight), and the bare batched insert of the same samples. Writes bench/results/autoscaler-tick.json.
 *
 *   npm run bench -- autoscaler-tick                 # through the runner, with the table of ratios
 *   npx tsx bench/autoscaler-tick.ts                 # from source (the figures say `bundled: false`)
 *   BENCH_CPU_PROF=/tmp/prof npm run bench -- autoscaler-tick   # a V8 profile of the timed ticks
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { GCProfiler } from 'node:v8';
import { buildApp } from '../apps/server/src/app';
import { loadConfig } from '../apps/server/src/config/load';
import { samplesRepo } from '../apps/server/src/modules/autoscaler/metrics/samples.repo';
import type { Sample } from '../apps/server/src/modules/autoscaler/metrics/store';
import { createPostgres } from '../apps/server/src/platform/db';
import {
  adminQuery,
  cpuMs,
  dbUrl,
  machineInfo,
  percentile,
  REDIS_URL,
  recreateDatabase,
  writeFigures,
} from './time-common';

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 10_000);
const TICKS = Number(process.env.BENCH_TICKS ?? 5);
const SIM_PORT = Number(process.env.SIMULATOR_PORT ?? 9101);
const DB = process.env.BENCH_DB ?? 'clockpilot_bench_autoscaler';
const GOAL_MS = 500;

// --- the simulator, its own process as in production ---------------------------------------------
const token = randomBytes(24).toString('hex');
const simUrl = `http://127.0.0.1:${SIM_PORT}`;
const sim: ChildProcess = spawn(
  process.execPath,
  ['apps/simulator/bin/clockpilot-simulator.mjs', '--port', String(SIM_PORT)],
  {
    env: {
      PATH: process.env.PATH,
      SIMULATOR_TOKEN: token,
      SIMULATOR_SPEED: '1',
      SIMULATOR_MAX_CLUSTERS: String(CLUSTERS),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
process.on('exit', () => sim.kill('SIGKILL'));
for (
  let i = 0;
  !(await fetch(`${simUrl}/health`).then(
    (r) => r.ok,
    () => false,
  ));
  i++
) {
  if (i > 200 || sim.exitCode !== null) throw new Error('the simulator did not start');
  await sleep(100);
}

// --- the database, the owner and 10,000 clusters ---------------------------------------------------
await recreateDatabase(DB);
const env = {
  APP_MODE: 'development',
  DATABASE_URL: dbUrl(DB),
  DATABASE_POOL_SIZE: '10',
  REDIS_URL,
  REDIS_KEY_PREFIX: `bench:${DB}:`,
  JWT_SECRET: randomBytes(32).toString('base64url'),
  LOG_LEVEL: 'warn',
  SIMULATOR_URL: simUrl,
  SIMULATOR_TOKEN: token,
  MODULES: 'identity,autoscaler',
};
const config = loadConfig({ env, version: 'bench' });
const built = await buildApp(config, { database: createPostgres(dbUrl(DB), config) });
await built.runtime.start({ jobs: false });
const { loop, simulator, metrics } = built.runtime.services('autoscaler');
const { db } = built.runtime.ctx;

const t0 = performance.now();
// Clusters of 1–20 servers (min 1–4, max 20) under constant, daily and random-walk loads; every tenth
// predictive. Rows straight in SQL (the API's per-owner quotas are not what is measured).
await adminQuery(
  `
  insert into users (username, email, display_name, role) values ('bench_owner', 'bench_owner@bench.test', 'Bench owner', 'employee');
  insert into autoscaler_clusters (owner_id, name, min_servers, max_servers, target, mode, simulation,
                                   desired_servers, created_at, updated_at)
    select (select id from users where username = 'bench_owner'), 'cluster-' || g, 1 + g % 4, 20,
           case when g % 3 = 0 then '{"type":"requestsPerServer","requestsPerSecond":8}'::jsonb
                else '{"type":"cpu","utilizationPercent":70}'::jsonb end,
           case when g % 10 = 0 then 'predictive' else 'hpa' end,
           jsonb_build_object('capacityRps', 10, 'bootSeconds', 30, 'load',
             case g % 3
               when 0 then jsonb_build_object('type', 'constant', 'rps', 5 + g % 90)
               when 1 then jsonb_build_object('type', 'diurnal', 'baseRps', 40, 'amplitudeRps', 30,
                                              'periodSeconds', 600 + g % 600)
               else jsonb_build_object('type', 'randomWalk', 'startRps', 30, 'maxRps', 150,
                                       'volatilityRps', 5, 'seed', g) end),
           1 + g % 4, now(), now()
      from generate_series(1, ${CLUSTERS}) g;
  analyze;`,
  dbUrl(DB),
);
const rows = (
  await adminQuery('select id, desired_servers as d, simulation as s from autoscaler_clusters', dbUrl(DB))
).rows as { id: string; d: number; s: { capacityRps: number; bootSeconds: number; load: unknown } }[];
const queue = [...rows];
// A few at a time, each tried up to ten times: on a loaded machine 32 at once ran past the
// simulator's timeout and ended the run before it measured anything.
const put = async (r: (typeof rows)[number], tries = 10): Promise<void> =>
  simulator
    .put(r.id, {
      servers: r.d,
      capacityRps: r.s.capacityRps,
      bootSeconds: r.s.bootSeconds,
      load: r.s.load as never,
    })
    .catch((err: unknown) => (tries > 1 ? put(r, tries - 1) : Promise.reject(err)));
await Promise.all(
  Array.from({ length: 8 }, async () => {
    for (let r = queue.pop(); r; r = queue.pop()) await put(r);
  }),
);
// BENCH_HISTORY_DAYS=<n>: n days of stored minutes per predictive cluster (a slow daily wave), so the
// first tick is a replica's first after a restart or takeover, its forecasters rebuilt from history.
const HISTORY_DAYS = Number(process.env.BENCH_HISTORY_DAYS ?? 0);
if (HISTORY_DAYS > 0)
  await adminQuery(
    `
  insert into autoscaler_rollups (cluster_id, minute, samples, request_rate_sum, request_rate_max, p95_ms_max,
                                  error_rate_sum, cpu_percent_sum, cpu_samples, ready_servers_sum, desired_servers_max)
    select c.id, m, 4, 4 * r, r, 50, 0, 240, 4, 12, 3
      from autoscaler_clusters c,
           generate_series(date_trunc('minute', now()) - interval '${HISTORY_DAYS} days',
                           date_trunc('minute', now()) - interval '1 minute', interval '1 minute') m,
           lateral (select 40 + 30 * sin(extract(epoch from m) * pi() / 43200) as r) wave
     where c.mode = 'predictive';
  update autoscaler_rollup_state set rolled_to = date_trunc('minute', now());
  -- Their ticks stored those minutes: a cluster that never ticked has no history to read.
  update autoscaler_cluster_ticks t set last_tick_at = now()
    from autoscaler_clusters c where c.id = t.cluster_id and c.mode = 'predictive';`,
    dbUrl(DB),
  );
// Days-old minutes have long been visited by autovacuum (their pages all-visible); these are new.
if (HISTORY_DAYS > 0) await adminQuery('vacuum (analyze) autoscaler_rollups', dbUrl(DB));
const seedSeconds = (performance.now() - t0) / 1000;
console.log(`seed: ${rows.length} clusters in ${seedSeconds.toFixed(1)} s`);

// --- the ticks -------------------------------------------------------------------------------------
// CPU of this process (the loop's, with its garbage collection) per tick: on a shared machine it moves
// far less with the load than the tick's wall time.
// The other processes' CPU in the same tick: the simulator's, and that of the database's backends
// serving this database (the loop's pool; one that leaves during the tick is not counted).
const backends = async () =>
  (
    await adminQuery(
      `select pid from pg_stat_activity where datname = '${DB}' and backend_type = 'client backend'`,
    )
  ).rows as { pid: number }[];
const cpuOf = async (pids: number[]) =>
  (await Promise.all(pids.map((pid) => cpuMs(pid).catch(() => 0)))).reduce((a, b) => a + b, 0);
const timed = async () => {
  const pids = (await backends()).map((b) => b.pid);
  const [simBefore, dbBefore] = [await cpuMs(sim.pid as number), await cpuOf(pids)];
  const started = performance.now();
  const cpu = process.cpuUsage();
  const gc = new GCProfiler();
  gc.start();
  const saved = await loop.tick();
  const used = process.cpuUsage(cpu);
  const gcMs = gc.stop().statistics.reduce((sum, s) => sum + s.cost, 0) / 1000;
  const ms = performance.now() - started;
  const simCpuMs = (await cpuMs(sim.pid as number)) - simBefore;
  const dbCpuMs = (await cpuOf(pids)) - dbBefore;
  return {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    gcMs,
    simCpuMs,
    dbCpuMs,
    saved: saved.length,
    changed: saved.filter((o) => o.event.appliedServers !== o.event.previousServers).length,
  };
};
// The first tick makes every breaker and forecaster (the predictive ones read their history).
const first = await timed();
console.log(
  `first tick: ${first.ms.toFixed(0)} ms, CPU ${first.cpuMs.toFixed(0)} ms, ${first.saved} clusters, ${first.changed} scaled`,
);
// The loop's own per-phase histogram, counted from the second tick on.
const PHASES = 'clockpilot_autoscaler_tick_phase_seconds';
built.runtime.ctx.metrics.registry.getSingleMetric(PHASES)?.reset();
// BENCH_CPU_PROF=<dir>: a V8 profile of the timed ticks only (not the seeding or the floors).
const profiler = process.env.BENCH_CPU_PROF ? new Session() : null;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
const ticks: Awaited<ReturnType<typeof timed>>[] = [];
for (let i = 0; i < TICKS; i++) {
  await sleep(1000);
  ticks.push(await timed());
  const t = ticks.at(-1)!;
  console.log(
    `tick ${i + 1}: ${t.ms.toFixed(0)} ms, CPU ${t.cpuMs.toFixed(0)} ms (GC ${t.gcMs.toFixed(0)} ms; simulator ${t.simCpuMs} ms, database ${t.dbCpuMs} ms), ${t.changed} scaled`,
  );
}
if (profiler) {
  const { profile } = await profiler.post('Profiler.stop');
  mkdirSync(process.env.BENCH_CPU_PROF!, { recursive: true });
  const file = `${process.env.BENCH_CPU_PROF}/autoscaler-ticks-${Date.now()}.cpuprofile`;
  writeFileSync(file, JSON.stringify(profile));
  console.log(`profile of the ticks: ${file}`);
}

const phaseSums = (await built.runtime.ctx.metrics.registry.getSingleMetric(PHASES)?.get())?.values ?? [];
const phaseMeanMs = Object.fromEntries(
  phaseSums
    .filter((v) => (v as { metricName?: string }).metricName === `${PHASES}_sum`)
    .map((v) => [String(v.labels.phase), Math.round((v.value * 1000) / TICKS)]),
);
console.log('mean per tick and phase (ms):', phaseMeanMs);

// --- the floors ------------------------------------------------------------------------------------
const ids = rows.map((r) => r.id);
const readsMs: number[] = [];
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  // All at once: the client gathers them into its bulk calls, as many in flight as in a tick.
  await Promise.all(ids.map((id) => simulator.metrics(id)));
  readsMs.push(performance.now() - started);
}
const at = new Date(Date.now() + 3_600_000);
const samples: Sample[] = ids.map((clusterId, i) => ({
  clusterId,
  at,
  requestRate: 10 + (i % 50),
  p95Ms: 55,
  errorRate: 0,
  cpuPercent: 60,
  readyServers: 3,
  totalServers: 3,
  desiredServers: 3,
}));
await metrics.prepare(at);
const insertMs: number[] = [];
for (let i = 0; i < 3; i++) {
  const batch = samples.map((x) => ({ ...x, at: new Date(at.getTime() + i * 15_000) }));
  const started = performance.now();
  await db.transaction((tx) => samplesRepo.insertSamples(tx, batch));
  insertMs.push(performance.now() - started);
}

await built.close();
sim.kill('SIGTERM');
if (!process.env.BENCH_KEEP_DB) await adminQuery(`drop database if exists ${DB} with (force)`);

const med = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const figures = {
  date: new Date().toISOString(),
  machine: machineInfo(),
  // Bundled as shipped, or run from source (tsx).
  bundled: !import.meta.url.endsWith('.ts'),
  clusters: rows.length,
  historyDays: HISTORY_DAYS,
  firstTickMs: Math.round(first.ms),
  firstTickCpuMs: Math.round(first.cpuMs),
  tickMs: ticks.map((t) => Math.round(t.ms)),
  tickMedianMs: Math.round(med(ticks.map((t) => t.ms))),
  tickCpuMs: ticks.map((t) => Math.round(t.cpuMs)),
  tickCpuMedianMs: Math.round(med(ticks.map((t) => t.cpuMs))),
  // The garbage collector's share of that CPU (its pauses on the loop's thread).
  tickGcMs: ticks.map((t) => Math.round(t.gcMs)),
  tickSimulatorCpuMs: ticks.map((t) => t.simCpuMs),
  tickDatabaseCpuMs: ticks.map((t) => t.dbCpuMs),
  scaledPerTick: ticks.map((t) => t.changed),
  phaseMeanMs,
  goalMs: GOAL_MS,
  floor: {
    metricsReadsMs: readsMs.map(Math.round),
    metricsReadsMedianMs: Math.round(med(readsMs)),
    sampleInsertMs: insertMs.map(Math.round),
    sampleInsertMedianMs: Math.round(med(insertMs)),
  },
};
writeFigures('bench/results/autoscaler-tick.json', figures);
process.exit(0);
