// `npm run bench -- autoscaler-evaluate`: no server. Replays the real Azure LLM trace through the HPA
// and predictive policies (figures, JSON and chart under bench/results/), then a generated
// 125,000-row per-minute trace (about 87 days, daily and weekly seasonality, a gap and zero steps)
// to time the replay: the goal is at most 60 s per policy.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const results = join(root, 'bench', 'results');

function evaluate(trace, json, chart) {
  const args = ['--import', 'tsx', join(root, 'apps/server/src/cli/index.ts'), 'autoscaler', 'evaluate'];
  args.push('--trace', trace, '--json', json, ...(chart ? ['--chart', chart] : []));
  const out = execFileSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  return { out, figures: JSON.parse(readFileSync(json, 'utf8')) };
}

/** Per-minute requests with daily and weekly seasonality and noise, from a fixed seed. */
function seasonalTrace(file, rows = 125_000) {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const lines = ['timestamp,requests'];
  for (let i = 0; i < rows; i++) {
    if (i >= 5000 && i < 5030) continue; // half an hour without data
    const day = (i % 1440) / 1440;
    const weekend = Math.floor(i / 1440) % 7 >= 5;
    const mean = 3000 * (1 + 0.6 * Math.sin(2 * Math.PI * (day - 0.3))) * (weekend ? 0.6 : 1);
    const noise = Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
    const value = i % 10_007 < 3 ? 0 : Math.max(0, Math.round(mean + 2 * Math.sqrt(mean) * noise));
    lines.push(`${1_700_000_000 + 60 * i},${value}`);
  }
  writeFileSync(file, lines.join('\n'));
}

const fmt = (n) =>
  typeof n === 'number' ? n.toLocaleString('en-US', { maximumFractionDigits: 3 }) : String(n);

export default {
  name: 'autoscaler-evaluate',
  async run() {
    mkdirSync(results, { recursive: true });
    const real = evaluate(
      join(root, 'traces/azure-llm-inference-2023-conv-per-second.csv'),
      join(results, 'autoscaler-evaluate.json'),
      join(results, 'autoscaler-evaluate.svg'),
    );
    const dir = mkdtempSync(join(tmpdir(), 'clockpilot-bench-autoscaler-'));
    seasonalTrace(join(dir, 'seasonal.csv'));
    const big = evaluate(join(dir, 'seasonal.csv'), join(dir, 'seasonal.json'));
    const p = real.figures.policies;
    const s = real.figures.settings;
    const c = real.figures.comparison;
    const table = [
      `Azure LLM inference trace (${real.figures.trace.steps} s), ${fmt(s.serverRps)} req/s per server, ${s.bootSeconds} s boot, HPA at ${s.hpaTargetUtilization} % CPU with default behaviors:`,
      '',
      '| metric | hpa | predictive |',
      '|---|---:|---:|',
      // Every figure the command wrote, in its order: the CLI's JSON is the one list of metrics.
      ...Object.keys(p.hpa)
        .filter((k) => typeof p.hpa[k] === 'number')
        .map((k) => `| ${k} | ${fmt(p.hpa[k])} | ${fmt(p.predictive[k])} |`),
      '',
      `Predictive / HPA: SLO-violation minutes ${c.sloViolationMinutesRatio}, server-minutes ${c.serverMinutesRatio} (goal ≤ 0.7 and ≤ 1.0: ${c.goalMet ? 'met' : 'not met'}).`,
      '',
      `Generated seasonal trace, ${big.figures.trace.steps.toLocaleString('en-US')} per-minute rows: replay ${fmt(big.figures.policies.hpa.elapsedMs / 1000)} s (hpa), ${fmt(big.figures.policies.predictive.elapsedMs / 1000)} s (predictive); SLO-violation minutes ${fmt(big.figures.policies.hpa.sloViolationMinutes)} / ${fmt(big.figures.policies.predictive.sloViolationMinutes)}, server-minutes ${fmt(big.figures.policies.hpa.serverMinutes)} / ${fmt(big.figures.policies.predictive.serverMinutes)}.`,
    ].join('\n');
    const slow =
      Math.max(big.figures.policies.hpa.elapsedMs, big.figures.policies.predictive.elapsedMs) > 60_000;
    return { table, failed: slow };
  },
};
