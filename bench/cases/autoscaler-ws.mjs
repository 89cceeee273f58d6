// `npm run bench -- autoscaler-ws`: no HTTP server of the runner's. bench/autoscaler-ws.ts starts the
// server on BENCH_PORT (5101) against PostgreSQL + Redis, connects 1,000 WebSocket clients
// (BENCH_WS_CLIENTS), each subscribed to its own cluster, and publishes one update per client per second
// for BENCH_WS_SECONDS (60); goals: p99 delivery ≤ 100 ms and flat server memory. Floor in the same run:
// the same publications delivered to a bare Redis subscriber.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default {
  name: 'autoscaler-ws',
  async run() {
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'autoscaler-ws.ts')], {
      cwd: root,
      stdio: 'inherit',
    });
    const f = JSON.parse(readFileSync(join(root, 'bench', 'results', 'autoscaler-ws.json'), 'utf8'));
    const d = f.deliveryMs;
    const fl = f.floor.redisDeliveryMs;
    const table = [
      `${f.clients} clients × ${f.seconds} s, ${f.received.toLocaleString('en-US')} of ${f.expected.toLocaleString('en-US')} updates received; load average at the end ${f.machine.loadavg.map((l) => l.toFixed(1)).join(' ')}`,
      '',
      '| Figure | p50 | p99 | max | goal |',
      '|---|---:|---:|---:|---:|',
      `| floor: Redis delivery to a bare subscriber | ${fl.p50} ms | ${fl.p99} ms | ${fl.max} ms | — |`,
      `| WebSocket delivery | ${d.p50} ms | ${d.p99} ms | ${d.max} ms | p99 ≤ 100 ms |`,
      '',
      `Server RSS: ${f.serverRssMiB.start} MiB at the start, ${f.serverRssMiB.end} MiB at the end (every 10 s: ${f.serverRssMiB.every10s.join(', ')}).`,
    ].join('\n');
    return { table, failed: f.received < f.expected || d.p99 > f.goal.p99Ms };
  },
};
