/**
 * Summary reports and a year's export over ~1,000,000 time entries of 500 people, seeded with
 * generate_series SQL, against the real server on PostgreSQL: time per request, bytes, and the
 * server's resident memory while it streams.
 *
 *   npx tsx bench/time-reports.ts
 *   BENCH_PEOPLE=500 BENCH_XLSX_TO=2026-12-31 npx tsx bench/time-reports.ts
 *
 * Before/after on the same data: BENCH_KEEP_DB=1 seeds the database (BENCH_DB) once and keeps it, and
 * later runs with BENCH_KEEP_DB=1 reuse it; BENCH_SERVER runs an earlier build against it, and
 * BENCH_RESULT names the figures file (default bench/results/time-reports.json).
 */
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  adminQuery,
  createAccounts,
  dbUrl,
  percentile,
  recreateDatabase,
  request,
  rssMiB,
  seedYearOfEntries,
  startServer,
} from './time-common';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 500);
const XLSX_TO = process.env.BENCH_XLSX_TO ?? '2026-12-31';
const DB = process.env.BENCH_DB ?? 'clockpilot_bench_reports';
const KEEP = process.env.BENCH_KEEP_DB === '1';
const YEAR = 'from=2026-01-01&to=2026-12-31';

const url = dbUrl(DB);
const reuse =
  KEEP &&
  (await adminQuery(`select 1 from pg_database where datname = '${DB}'`)).rowCount === 1 &&
  (await adminQuery("select to_regclass('time_entries') is not null as t", url)).rows[0].t &&
  (await adminQuery('select exists (select from time_entries) as e', url)).rows[0].e;
if (!reuse) await recreateDatabase(DB);
// A fresh admin per run, so a kept database takes another run.
const [adminToken] = await createAccounts(DB, [
  { username: `bench_admin_${Date.now()}`, role: 'admin', timeZone: 'UTC' },
]);

const seeded = reuse
  ? {
      entries: Number((await adminQuery('select count(*) as n from time_entries', url)).rows[0].n),
      seconds: 0,
    }
  : await seedYearOfEntries(url, PEOPLE);
console.log(
  `seed: ${seeded.entries} entries${reuse ? ' (kept database)' : ` of ${PEOPLE} people in ${seeded.seconds.toFixed(1)} s`}`,
);

const server = await startServer(DB, { DATABASE_POOL_SIZE: '10' });
const baseRss = await rssMiB(server.pid);
const results: string[] = [];
const figures: Record<string, number> = {
  'seed entries': seeded.entries,
  ...(reuse ? {} : { 'seed seconds': Math.round(seeded.seconds) }),
};

for (const groupBy of ['person', 'project', 'day', 'week']) {
  const times: number[] = [];
  let status = 0;
  for (let i = 0; i < 3; i++) {
    const res = await request(`${server.url}/api/v1/time/reports/summary?${YEAR}&groupBy=${groupBy}`, {
      token: adminToken,
    });
    status = res.status;
    times.push(res.ms);
  }
  times.sort((a, b) => a - b);
  const line = `summary groupBy=${groupBy}: median ${percentile(times, 50).toFixed(0)} ms (runs ${times.map((t) => t.toFixed(0)).join(', ')}), status ${status}`;
  console.log(line);
  results.push(`| time summary report, year, groupBy=${groupBy} | ${percentile(times, 50).toFixed(0)} ms |`);
  figures[`summary year groupBy=${groupBy} median ms`] = Math.round(percentile(times, 50));
}

/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 10 ms). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * The floor for the CSV export: PostgreSQL's COPY of the same rows' raw columns in the same order,
 * with no formatting, read by this process. The export's rows/s divided by this one compares across
 * runs on a machine whose speed swings with its load.
 */
async function copyFloor(): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  const stream = client.query(
    copyTo(
      'copy (select * from time_entries where ended_at is not null order by started_at, id) to stdout (format csv)',
    ),
  );
  let rows = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) for (const b of chunk) if (b === 10) rows++;
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  return Math.round(rows / seconds);
}

async function exportRun(format: 'csv' | 'xlsx', to: string) {
  const cpuBefore = await cpuSeconds(server.pid);
  const before = await rssMiB(server.pid);
  let peak = before;
  const sampler = setInterval(async () => {
    peak = Math.max(peak, await rssMiB(server.pid).catch(() => 0));
  }, 200);
  let lines = 0;
  const res = await request(`${server.url}/api/v1/time/exports?format=${format}&from=2026-01-01&to=${to}`, {
    token: adminToken,
    onData: (chunk) => {
      if (format === 'csv') for (const b of chunk) if (b === 10) lines++;
    },
  });
  clearInterval(sampler);
  const mb = (res.bytes / 1024 / 1024).toFixed(1);
  const rowsText = format === 'csv' ? `, ${lines - 1} rows` : '';
  const line = `export ${format} 2026-01-01..${to}: ${(res.ms / 1000).toFixed(1)} s, ${mb} MiB${rowsText}, status ${res.status}, server RSS ${baseRss} -> peak ${peak} MiB`;
  console.log(line);
  figures[`export ${format} 2026-01-01..${to} seconds`] = Number((res.ms / 1000).toFixed(2));
  figures[`export ${format} 2026-01-01..${to} rss growth MiB`] = peak - before;
  figures[`export ${format} 2026-01-01..${to} server cpu seconds`] = Number(
    ((await cpuSeconds(server.pid)) - cpuBefore).toFixed(2),
  );
  if (format === 'csv')
    figures[`export csv 2026-01-01..${to} rows/s`] = Math.round((lines - 1) / (res.ms / 1000));
  results.push(
    `| time export ${format}, 2026-01-01..${to} | ${(res.ms / 1000).toFixed(1)} s | ${mb} MiB${rowsText} | server RSS peak ${peak} MiB (idle ${baseRss}) |`,
  );
}

// A month first, then the year: streaming keeps the year's peak memory near the month's.
await exportRun('csv', '2026-01-31');
await exportRun('csv', '2026-12-31');
const floor = await copyFloor();
console.log(`floor: COPY of the raw rows of the year, ${floor} rows/s`);
figures['floor copy raw rows of the year rows/s'] = floor;
figures['export csv year rows/s vs floor'] = Number(
  (figures['export csv 2026-01-01..2026-12-31 rows/s']! / floor).toFixed(3),
);
await exportRun('xlsx', '2026-01-31');
await exportRun('xlsx', XLSX_TO);
await server.stop();
if (!KEEP) await adminQuery(`drop database if exists ${DB} with (force)`);
console.log(results.join('\n'));
writeFileSync(
  process.env.BENCH_RESULT ?? 'bench/results/time-reports.json',
  `${JSON.stringify({ date: new Date().toISOString(), machine: `${cpus().length} × ${cpus()[0]?.model}`, load: loadavg(), engine: 'postgresql', figures }, null, 2)}\n`,
);
