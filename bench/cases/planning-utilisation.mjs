// `npm run bench -- planning-utilisation`: no HTTP server of the runner's. bench/planning.ts seeds
// 5,000 people × 52 weeks (BENCH_PEOPLE) on PostgreSQL with Redis, starts the server and times the
// utilisation (cold, cached, pages) and a reallocation of 200 assignments, with its floors measured
// in the same run: PostgreSQL's bare scan of the year's stored totals, and the server's /api/health/live.
// Every figure is also given against the live round trip, which no change of the totals' layout moves.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledServer } from '../bundle.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ms = (n) => `${n.toFixed(1)} ms`;
const times = (n, floor) => `${(n / floor).toFixed(1)}×`;

export default {
  name: 'planning utilisation and reallocation (PostgreSQL + Redis)',
  async run() {
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'planning.ts')], {
      cwd: root,
      stdio: 'inherit',
      // The bundle, as deployed (BENCH_BUILD picks an earlier build for a before/after pair).
      env: { ...process.env, BENCH_SERVER: process.env.BENCH_SERVER ?? bundledServer() },
    });
    const f = JSON.parse(readFileSync(join(root, 'bench', 'results', 'planning.json'), 'utf8'));
    const { utilisation: u, reallocation: r, floor } = f;
    const scan = floor.totalsScanMedianMs;
    const live = floor.liveRoundTripMedianMs;
    const cpu = f.serverCpuMsPerRequest;
    const rows = [
      ['floor: PostgreSQL scan of the year of stored totals', scan, scan, 'scan', null, '—'],
      ['floor: GET /api/health/live round trip', live, live, 'live', null, '—'],
      ['utilisation, whole grid, cold (server time)', u.coldMedianMs, scan, 'scan', cpu.cold, '150 ms'],
      ['utilisation, whole grid, cached (server time)', u.cachedMedianMs, live, 'live', cpu.cached, '5 ms'],
      [
        'utilisation, 100-row page, cold (server time)',
        u.paged.coldMedianMs,
        scan,
        'scan',
        cpu.pagedCold,
        '150 ms',
      ],
      [
        'utilisation, 100-row page, cached (server time)',
        u.paged.cachedMedianMs,
        live,
        'live',
        cpu.pagedCached,
        '5 ms',
      ],
      [`reallocation (${r.summary}), round trip`, r.medianMs, live, 'live', cpu.reallocation, '100 ms'],
    ];
    const table = [
      `${f.data.people.toLocaleString('en')} people, ${f.data.assignments.toLocaleString('en')} assignments, ${f.data.weekRows.toLocaleString('en')} week rows; medians; load average at the end ${f.machine.loadavg.map((l) => l.toFixed(1)).join(' ')}`,
      '',
      '| Figure | median | vs floor | vs live | server CPU per request | goal |',
      '|---|---:|---:|---:|---:|---:|',
      ...rows.map(
        ([name, v, fl, which, c, goal]) =>
          `| ${name} | ${ms(v)} | ${times(v, fl)} ${which} | ${times(v, live)} | ${c === null ? '—' : ms(c)} | ${goal} |`,
      ),
    ].join('\n');
    return { table, failed: false };
  },
};
