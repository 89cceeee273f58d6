// `npm run bench -- planning-import`: no HTTP server of the runner's. bench/planning-import.ts uploads
// a 100,000-row people .xlsx (BENCH_ROWS) to the server on PostgreSQL and Redis and times the run,
// with the server's peak RSS, then 1 GB uploads that must be refused with flat memory. The floor, in
// the same run: reading the same workbook with ExcelJS' streaming reader alone, in one process.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledServer } from '../bundle.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default {
  name: 'planning import of a 100,000-row .xlsx (PostgreSQL + Redis)',
  async run() {
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'planning-import.ts')], {
      cwd: root,
      stdio: 'inherit',
      // The bundle, as deployed (BENCH_BUILD picks an earlier build for a before/after pair).
      env: { ...process.env, BENCH_SERVER: process.env.BENCH_SERVER ?? bundledServer() },
    });
    const f = JSON.parse(readFileSync(join(root, 'bench', 'results', 'planning-import.json'), 'utf8'));
    const i = f.import;
    const table = [
      `${f.machine}`,
      '',
      '| Figure | value | vs floor | goal |',
      '|---|---:|---:|---:|',
      `| floor: streaming read of the same .xlsx | ${f.floor.readSeconds} s, peak RSS ${f.floor.peakRssMiB} MiB | — | — |`,
      `| import of ${i.rows.toLocaleString('en')} rows, upload to end | ${i.seconds} s | ${(i.seconds / f.floor.readSeconds).toFixed(1)}× | 20 s |`,
      `| server peak RSS during the import | ${i.peakRssMiB} MiB (from ${i.rssBeforeMiB}) | ${(i.peakRssMiB / f.floor.peakRssMiB).toFixed(1)}× | 400 MB |`,
      `| CPU of that import: server / PostgreSQL backends | ${i.serverCpuSeconds} s / ${i.databaseCpuSeconds} s | — | — |`,
      `| 1 GB upload, declared length | ${f.refusedDeclared.status}, peak RSS ${f.refusedDeclared.peakRssMiB} MiB | — | 413, flat |`,
      `| 1 GB upload, chunked | ${f.refusedStreamed.status}, peak RSS ${f.refusedStreamed.peakRssMiB} MiB | — | 413, flat |`,
    ].join('\n');
    return { table, failed: i.counts.failed > 0 };
  },
};
