// `npm run bench -- autoscaler-evaluate`: no server. Replays the real Azure LLM trace through the HPA
// and predictive policies (figures, JSON and chart under bench/results/), then the generated traces
// of bench/autoscaler-traces.mjs (figures in bench/results/autoscaler-evaluate-<name>.json); the
// 125,000-row per-minute `seasonal` one also times the replay: the goal is at most 60 s per policy.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { burstySecondsTrace, diurnalNoisyTrace, seasonalTrace, spikesTrace } from '../autoscaler-traces.mjs';

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
    const generated = Object.entries({
      seasonal: seasonalTrace,
      'diurnal-noisy': diurnalNoisyTrace,
      spikes: spikesTrace,
      'bursty-seconds': burstySecondsTrace,
    }).map(([name, make]) => {
      make(join(dir, `${name}.csv`));
      return {
        name,
        ...evaluate(join(dir, `${name}.csv`), join(results, `autoscaler-evaluate-${name}.json`)),
      };
    });
    const big = generated[0];
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
      '| trace | rows | hpa SLO-violation min | predictive | ratio | hpa server-min | predictive | ratio | goal |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---|',
      ...[{ name: 'azure (real)', figures: real.figures }, ...generated].map(({ name, figures: f }) => {
        const [h, q] = [f.policies.hpa, f.policies.predictive];
        return `| ${name} | ${fmt(f.trace.steps)} | ${fmt(h.sloViolationMinutes)} | ${fmt(q.sloViolationMinutes)} | ${fmt(f.comparison.sloViolationMinutesRatio)} | ${fmt(h.serverMinutes)} | ${fmt(q.serverMinutes)} | ${fmt(f.comparison.serverMinutesRatio)} | ${f.comparison.goalMet ? 'met' : 'not met'} |`;
      }),
      '',
      `Replay of the ${big.figures.trace.steps.toLocaleString('en-US')}-row seasonal trace: ${fmt(big.figures.policies.hpa.elapsedMs / 1000)} s (hpa), ${fmt(big.figures.policies.predictive.elapsedMs / 1000)} s (predictive).`,
    ].join('\n');
    const slow =
      Math.max(big.figures.policies.hpa.elapsedMs, big.figures.policies.predictive.elapsedMs) > 60_000;
    return { table, failed: slow };
  },
};
