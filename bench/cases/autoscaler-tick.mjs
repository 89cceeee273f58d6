// `npm run bench -- autoscaler-tick`: no HTTP server of the runner's. bench/autoscaler-tick.ts runs one
// control-loop tick over 10,000 clusters (BENCH_CLUSTERS) on PostgreSQL + Redis against its own simulator
// process (SIMULATOR_PORT, 9101), with its floors measured in the same run: the bare metrics reads of
// every cluster through the same client, and the bare batched insert of the same samples. The goal is
// 500 ms per tick. BENCH_CPU_PROF=<dir> writes a V8 profile of the timed ticks.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledBench } from '../bundle.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ms = (n) => `${Math.round(n).toLocaleString('en-US')} ms`;

export default {
  name: 'autoscaler-tick',
  async run() {
    execFileSync(process.execPath, [await bundledBench('autoscaler-tick.ts')], {
      cwd: root,
      stdio: 'inherit',
    });
    const f = JSON.parse(readFileSync(join(root, 'bench', 'results', 'autoscaler-tick.json'), 'utf8'));
    const reads = f.floor.metricsReadsMedianMs;
    const insert = f.floor.sampleInsertMedianMs;
    const rows = [
      ['floor: metrics reads of every cluster alone', reads, '1.0× reads'],
      ['floor: batched insert of the same samples alone', insert, `${(insert / reads).toFixed(1)}× reads`],
      [
        'first tick (breakers and forecasters made)',
        f.firstTickMs,
        `${(f.firstTickMs / reads).toFixed(1)}× reads`,
      ],
      ['tick, median', f.tickMedianMs, `${(f.tickMedianMs / reads).toFixed(1)}× reads`],
    ];
    const table = [
      `${f.clusters.toLocaleString('en-US')} clusters; ticks ${f.tickMs.map(ms).join(', ')}; load average at the end ${f.machine.loadavg.map((l) => l.toFixed(1)).join(' ')}`,
      '',
      '| Figure | median | vs floor | goal |',
      '|---|---:|---:|---:|',
      ...rows.map(
        ([name, v, ratio]) =>
          `| ${name} | ${ms(v)} | ${ratio} | ${name.startsWith('tick') ? '500 ms' : '—'} |`,
      ),
    ].join('\n');
    return { table, failed: f.tickMedianMs > f.goalMs };
  },
};
