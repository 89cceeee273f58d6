/**
 * Summary reports and a year's export over ~1,000,000 time entries of 500 people, seeded with
 * generate_series SQL, against the real server on PostgreSQL: time per request, bytes, and the
 * server's resident memory while it streams.
 *
 *   npx tsx bench/time-reports.ts
 *   BENCH_PEOPLE=500 BENCH_XLSX_TO=2026-12-31 npx tsx bench/time-reports.ts
 */
import {
  adminQuery,
  createAccounts,
  dbUrl,
  percentile,
  recreateDatabase,
  request,
  rssMiB,
  startServer,
} from './time-common';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 500);
const XLSX_TO = process.env.BENCH_XLSX_TO ?? '2026-12-31';
const DB = 'clockpilot_bench_reports';
const YEAR = 'from=2026-01-01&to=2026-12-31';

await recreateDatabase(DB);
const [adminToken] = await createAccounts(DB, [{ username: 'bench_admin', role: 'admin', timeZone: 'UTC' }]);
const url = dbUrl(DB);

let t0 = performance.now();
// 500 people, 20 projects; each weekday of 2026 eight 50-minute entries from 08:00 local time, the
// 12:00 one with a 10-minute break: 500 x 261 x 8 = 1,044,000 entries.
await adminQuery(
  `
  insert into clients (name) values ('Bench client');
  insert into projects (client_id, code, name, billable)
    select c.id, 'B' || g, 'Bench project ' || g, g % 3 <> 0 from clients c, generate_series(1, 20) g;
  insert into people (name, employee_number, time_zone)
    select 'Person ' || g, 'B-' || g, case when g % 2 = 0 then 'Europe/Berlin' else 'America/New_York' end
    from generate_series(1, ${PEOPLE}) g;
  with pr as (select id, billable, row_number() over (order by code) as rn from projects)
  insert into time_entries (person_id, started_at, ended_at, time_zone, project_id, billable, source)
    select p.id, s.at, s.at + interval '50 minutes', p.time_zone, pr.id, pr.billable, 'manual'
    from people p
    cross join generate_series(date '2026-01-01', date '2026-12-31', interval '1 day') d
    cross join generate_series(0, 7) k
    cross join lateral (select (d::date + time '08:00' + k * interval '1 hour') at time zone p.time_zone as at) s
    join pr on pr.rn = (abs(hashtext(p.id::text)) + k) % 20 + 1
    where extract(isodow from d::date) < 6 and p.employee_number like 'B-%';
  insert into time_breaks (entry_id, started_at, ended_at)
    select id, started_at + interval '20 minutes', started_at + interval '30 minutes'
    from time_entries where extract(hour from started_at at time zone time_zone) = 12;
  analyze;`,
  url,
);
const { rows } = await adminQuery('select count(*)::int as n from time_entries', url);
console.log(
  `seed: ${rows[0].n} entries of ${PEOPLE} people in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const server = await startServer(DB, { DATABASE_POOL_SIZE: '10' });
const baseRss = await rssMiB(server.pid);
const results: string[] = [];

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
}

async function exportRun(format: 'csv' | 'xlsx', to: string) {
  let peak = baseRss;
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
  results.push(
    `| time export ${format}, 2026-01-01..${to} | ${(res.ms / 1000).toFixed(1)} s | ${mb} MiB${rowsText} | server RSS peak ${peak} MiB (idle ${baseRss}) |`,
  );
}

t0 = performance.now();
await exportRun('csv', '2026-12-31');
await exportRun('xlsx', XLSX_TO);
await server.stop();
await adminQuery(`drop database if exists ${DB} with (force)`);
console.log(results.join('\n'));
