/**
 * How fast the simulator's model replays traces in simulated time (what the autoscaler's evaluation
 * does per policy): parsing, then steps of SYNC seconds with a metrics read and a scale call on every
 * step, as a control loop would. The scaler here is a plain proportional rule, only there to make the
 * server count move; the evaluation brings the real policies.
 *
 *   npx tsx bench/simulator-replay.ts
 *   BENCH_ROWS=125000 BENCH_SYNC=15 npx tsx bench/simulator-replay.ts
 */
import { readFileSync } from 'node:fs';
import { SIM_CLUSTER_DEFAULTS } from '@clockpilot/contracts/simulator';
import { ClusterModel, parseTrace } from '@clockpilot/simulator/model';

const ROWS = Number(process.env.BENCH_ROWS ?? 125_000);
const SYNC = Number(process.env.BENCH_SYNC ?? 15);

/** A per-minute trace with a daily and a weekly cycle, a few gaps and zeros, peaking near 50,000/min. */
function syntheticTrace(rows: number): string {
  const lines = ['timestamp,requests'];
  for (let i = 0; i < rows; i++) {
    if (i % 997 === 0) continue; // a gap
    const day = Math.sin((2 * Math.PI * i) / 1440);
    const week = Math.sin((2 * Math.PI * i) / 10080);
    const n = i % 1499 === 0 ? 0 : Math.round(25_000 + 15_000 * day + 5_000 * week);
    lines.push(`${new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString()},${n}`);
  }
  return lines.join('\n');
}

function replay(name: string, csv: string, capacityRps: number) {
  let t0 = performance.now();
  const cluster = new ClusterModel({
    ...SIM_CLUSTER_DEFAULTS,
    servers: 10,
    capacityRps,
    bootSeconds: 60,
    load: { type: 'trace', csv, scale: 1, gapFill: 'zero', loop: false },
  });
  const parseMs = performance.now() - t0;
  const { counts, stepSeconds } = parseTrace(csv);
  const seconds = counts.length * stepSeconds;
  t0 = performance.now();
  let steps = 0;
  let serverSteps = 0;
  for (let t = 0; t < seconds; t += SYNC) {
    const step = cluster.step(SYNC);
    const metrics = cluster.metrics();
    const wanted = Math.ceil(metrics.cluster.requestRate / (capacityRps * 0.7));
    cluster.scaleTo(Math.max(1, wanted));
    steps++;
    serverSteps += step.billedServers;
  }
  const replayMs = performance.now() - t0;
  console.log(
    `${name}: parse ${parseMs.toFixed(0)} ms; ${steps.toLocaleString('en')} steps of ${SYNC} s ` +
      `(mean ${(serverSteps / steps).toFixed(1)} servers) with metrics and scale on each: ${replayMs.toFixed(0)} ms`,
  );
}

replay(`synthetic ${ROWS.toLocaleString('en')}-row per-minute trace`, syntheticTrace(ROWS), 10);
const azure = readFileSync(
  new URL('../traces/azure-llm-inference-2023-conv-per-second.csv', import.meta.url),
  'utf8',
);
replay('Azure LLM inference trace (per second, ~1 h)', azure, 1);
