/**
 * Planning on PostgreSQL (and Redis for the cache): utilisation of 5,000 people × 52 weeks over 20,000
 * assignments and 1,000,000 week rows, cold (just after a planning write) and cached; and the
 * reallocation of a deliverable with 200 assignments over 52 weeks. Server time is the server's own
 * `Server-Timing` for utilisation, and the round trip of a small answer for the reallocation.
 * Floors, measured in the same run: PostgreSQL's bare scan of the year's stored totals (what a cold
 * utilisation cannot do without) and the server's round trip for `GET /api/health/live` (what no
 * request can do without). Writes bench/results/planning.json and prints the figures.
 *
 *   npm run bench -- planning-utilisation   # through the runner, with the table of ratios
 *   npx tsx bench/planning.ts
 *   BENCH_PEOPLE=1000 npx tsx bench/planning.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import pg from 'pg';
import { loadConfig } from '../apps/server/src/config/load';
import { totalsRepo } from '../apps/server/src/modules/planning/totals.repo';
import { createPostgres } from '../apps/server/src/platform/db';
import {
  adminQuery,
  cpuMs,
  createAccounts,
  dbUrl,
  percentile,
  REDIS_URL,
  recreateDatabase,
  startServer,
} from './time-common';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 5000);
// BENCH_DB: a database of its own, when another run of this bench may be under way.
const DB = process.env.BENCH_DB ?? 'clockpilot_bench_planning';
// Cold reads and reallocations per run (each cold read follows a write; four cached reads follow it).
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const FROM = '2026-W01';
const TO = '2026-W52';

await recreateDatabase(DB);
const [token] = await createAccounts(DB, [{ username: 'bench_admin', role: 'admin', timeZone: 'UTC' }]);
const url = dbUrl(DB);

const t0 = performance.now();
// 50 teams, 100 projects; 4 assignments per person (one in ten tentative), each with 50 of the 52
// weeks of 2026: 20,000 assignments and 1,000,000 week rows. One deliverable with 200 assignments.
await adminQuery(
  `
  insert into clients (name) values ('Bench client');
  insert into teams (name) select 'Team ' || g from generate_series(1, 50) g;
  insert into projects (client_id, code, name)
    select c.id, 'PL' || g, 'Planning project ' || g from clients c, generate_series(1, 100) g;
  insert into people (name, employee_number, weekly_hours, weekly_capacity, team_id)
    select 'Person ' || g, 'PL-' || g, 40, 32 + g % 9, (select id from teams order by name offset g % 50 limit 1)
    from generate_series(1, ${PEOPLE}) g;
  insert into planning_deliverables (project_id, name, due_date)
    select id, 'Big launch', date '2026-12-18' from projects where code = 'PL1';
  with pr as (select id, row_number() over (order by code) as rn from projects),
       pe as (select id, row_number() over (order by employee_number) as rn from people where employee_number like 'PL-%')
  insert into planning_assignments (project_id, person_id, status, deliverable_id)
    select pr.id, pe.id, case when k = 3 and pe.rn % 10 = 0 then 'tentative' else 'confirmed' end,
           case when k = 0 and pe.rn <= 200 then (select id from planning_deliverables) end
      from pe cross join generate_series(0, 3) k
      join pr on pr.rn = case when k = 0 and pe.rn <= 200 then 1 else (pe.rn + k * 7) % 99 + 2 end;
  insert into planning_weekly_hours (assignment_id, week_start, hours)
    select a.id, date '2025-12-29' + (w * 7), 4 + (abs(hashtext(a.id::text)) + w) % 5 * 1.25
      from planning_assignments a cross join generate_series(0, 49) w;
  analyze;`,
  url,
);
// The rows above bypass the services: the totals are rebuilt from them as the rebuild command does.
const seeded = createPostgres(url, loadConfig({ env: { DATABASE_URL: url }, version: 'bench' }));
await seeded.db.transaction((tx) => totalsRepo.rebuildAll(tx));
await seeded.close();
await adminQuery('analyze planning_year_totals', url);
const counts = (
  await adminQuery(
    `select (select count(*) from planning_assignments)::int as a, (select count(*) from planning_weekly_hours)::int as w`,
    url,
  )
).rows[0] as { a: number; w: number };
const seedSeconds = (performance.now() - t0) / 1000;
console.log(
  `seed: ${PEOPLE} people, ${counts.a} assignments, ${counts.w} week rows in ${seedSeconds.toFixed(1)} s`,
);

const server = await startServer(DB, {
  DATABASE_POOL_SIZE: '10',
  // A shared, busy bench machine must not read as overload (the tests do the same).
  MAX_EVENT_LOOP_DELAY_MS: '0',
  REDIS_URL,
  REDIS_KEY_PREFIX: 'bench-planning:',
});
const auth = {
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
  // BENCH_ACCEPT_ENCODING='br, gzip, deflate' asks as a browser does (fetch alone asks for gzip, deflate).
  ...(process.env.BENCH_ACCEPT_ENCODING ? { 'accept-encoding': process.env.BENCH_ACCEPT_ENCODING } : {}),
};
const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  fetch(`${server.url}/api/v1/planning${path}`, {
    method: init.method ?? 'GET',
    headers: auth,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
const serverMs = (res: Response) => Number(/dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1]);

const cold: number[] = [];
const cached: number[] = [];
// The server's CPU per kind of request, summed over the requests (ticks of 10 ms are too coarse alone).
const cpu = { cold: 0, cached: 0, pagedCold: 0, pagedCached: 0, reallocation: 0 };
const timedCpu = async <T>(kind: keyof typeof cpu, f: () => Promise<T>): Promise<T> => {
  const before = await cpuMs(server.pid);
  const out = await f();
  cpu[kind] += (await cpuMs(server.pid)) - before;
  return out;
};
let bytes = 0;
// What a client waits for a cold grid: the server's time, then the answer compressed as it asked
// (fetch asks for `gzip, deflate`; a browser also names br) and sent; and the bytes that went.
const coldRoundTrip: number[] = [];
const sent = { encoding: '', bytes: 0 };
const cacheHeaders: string[] = [];
for (let i = 0; i < ROUNDS; i++) {
  // A planning write moves the plan's version: the next read is a miss.
  const h = await api('/holidays', {
    method: 'POST',
    body: { date: `2030-01-${String(i + 1).padStart(2, '0')}`, name: 'bench' },
  });
  if (h.status !== 201) throw new Error(`holiday: ${h.status} ${await h.text()}`);
  const miss = await timedCpu('cold', async () => {
    const started = performance.now();
    const res = await api(`/utilisation?from=${FROM}&to=${TO}`);
    bytes = (await res.arrayBuffer()).byteLength;
    coldRoundTrip.push(performance.now() - started);
    sent.encoding = res.headers.get('content-encoding') ?? 'identity';
    sent.bytes = Number(res.headers.get('content-length'));
    return res;
  });
  cacheHeaders.push(`cold:${miss.headers.get('x-cache')}`);
  cold.push(serverMs(miss));
  for (let j = 0; j < 4; j++) {
    const hit = await timedCpu('cached', async () => {
      const res = await api(`/utilisation?from=${FROM}&to=${TO}`);
      await res.arrayBuffer();
      return res;
    });
    cacheHeaders.push(`cached:${hit.headers.get('x-cache')}`);
    cached.push(serverMs(hit));
  }
}

// The same grid in pages of 100 rows (what a heatmap scrolling 5,000 people asks for).
const pagedCold: number[] = [];
const pagedCached: number[] = [];
let pageBytes = 0;
for (let i = 0; i < ROUNDS; i++) {
  const h = await api('/holidays', {
    method: 'POST',
    body: { date: `2030-02-${String(i + 1).padStart(2, '0')}`, name: 'bench' },
  });
  if (h.status !== 201) throw new Error(`holiday: ${h.status} ${await h.text()}`);
  const miss = await timedCpu('pagedCold', async () => {
    const res = await api(`/utilisation?from=${FROM}&to=${TO}&limit=100`);
    await res.arrayBuffer();
    return res;
  });
  cacheHeaders.push(`paged-cold:${miss.headers.get('x-cache')}`);
  pagedCold.push(serverMs(miss));
  for (let j = 0; j < 4; j++) {
    const hit = await timedCpu('pagedCached', async () => {
      const res = await api(`/utilisation?from=${FROM}&to=${TO}&limit=100&cursor=${(j + 1) * 100}`);
      pageBytes = (await res.arrayBuffer()).byteLength;
      return res;
    });
    cacheHeaders.push(`paged-cached:${hit.headers.get('x-cache')}`);
    pagedCached.push(serverMs(hit));
  }
}

// The floors: the same data's bare scan in PostgreSQL, and the server's cheapest round trip.
const scanFloor: number[] = [];
const liveFloor: number[] = [];
const floorClient = new pg.Client({ connectionString: url });
await floorClient.connect();
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  await floorClient.query(
    `select count(*), sum(cardinality(confirmed)), sum(cardinality(tentative)) from planning_year_totals
      where iso_year = 2026`,
  );
  scanFloor.push(performance.now() - started);
  const t = performance.now();
  await (await fetch(`${server.url}/api/health/live`)).arrayBuffer();
  liveFloor.push(performance.now() - t);
}
await floorClient.end();

const deliverable = ((await (await api('/deliverables?limit=1')).json()) as { items: Array<{ id: string }> })
  .items[0]!;
const realloc: number[] = [];
let summary = '';
for (let i = 0; i < ROUNDS; i++) {
  const started = performance.now();
  const res = await timedCpu('reallocation', () =>
    api(`/deliverables/${deliverable.id}`, { method: 'PATCH', body: { dueDate: '2026-12-31' } }),
  );
  realloc.push(performance.now() - started);
  const body = (await res.json()) as {
    reallocation?: { applied: boolean; assignments: unknown[]; shiftWeeks: number };
  };
  if (res.status !== 200 || !body.reallocation?.applied) throw new Error(`reallocation: ${res.status}`);
  summary = `${body.reallocation.assignments.length} assignments, shift ${body.reallocation.shiftWeeks} weeks`;
  const undo = await api(`/deliverables/${deliverable.id}/reallocation/undo`, {
    method: 'POST',
    body: { revertDate: true },
  });
  if (undo.status !== 200) throw new Error(`undo: ${undo.status} ${await undo.text()}`);
}
await server.stop();
// BENCH_KEEP_DB=1 leaves the data for EXPLAIN ANALYZE.
if (!process.env.BENCH_KEEP_DB) await adminQuery(`drop database if exists ${DB} with (force)`);

const med = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const figures = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    loadavg: loadavg(),
  },
  data: { people: PEOPLE, assignments: counts.a, weekRows: counts.w, seedSeconds: +seedSeconds.toFixed(1) },
  utilisation: {
    weeks: 52,
    responseBytes: bytes,
    sent,
    coldServerMs: cold,
    cachedServerMs: cached,
    xCache: cacheHeaders,
    coldMedianMs: med(cold),
    coldRoundTripMs: coldRoundTrip,
    coldRoundTripMedianMs: med(coldRoundTrip),
    cachedMedianMs: med(cached),
    budget: { coldMs: 150, cachedMs: 5 },
    paged: {
      limit: 100,
      pageBytes,
      coldServerMs: pagedCold,
      cachedServerMs: pagedCached,
      coldMedianMs: med(pagedCold),
      cachedMedianMs: med(pagedCached),
    },
  },
  reallocation: { summary, roundTripMs: realloc, medianMs: med(realloc), budgetMs: 100 },
  // The server's CPU per request (mean), from /proc.
  serverCpuMsPerRequest: {
    cold: cpu.cold / cold.length,
    cached: cpu.cached / cached.length,
    pagedCold: cpu.pagedCold / pagedCold.length,
    pagedCached: cpu.pagedCached / pagedCached.length,
    reallocation: cpu.reallocation / realloc.length,
  },
  floor: {
    totalsScanMs: scanFloor,
    totalsScanMedianMs: med(scanFloor),
    liveRoundTripMs: liveFloor,
    liveRoundTripMedianMs: med(liveFloor),
  },
};
mkdirSync('bench/results', { recursive: true });
const file = process.env.BENCH_RESULT ?? 'bench/results/planning.json';
writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
console.log(JSON.stringify(figures, null, 2));
console.log(`wrote ${file}`);
