import type { TEvaluateOptions } from '@clockpilot/contracts';
import { renderChart } from './chart';
import {
  type PolicyName,
  type ReplayOptions,
  type ReplayProgress,
  type ReplayResult,
  replay,
} from './replay';
import type { Trace } from './trace';

/** Both policies on the same trace and cluster, with the figures and chart the CLI writes. */
export type Evaluation = {
  trace: {
    steps: number;
    stepSeconds: number;
    requests: number;
    gapSteps: number;
    zeroSteps: number;
    peakRps: number;
  };
  settings: Omit<ReplayOptions, 'predictive'> & {
    coverage?: number;
    demand: string;
    model: string;
  };
  policies: Partial<
    Record<PolicyName, ReplayResult['metrics'] & { elapsedMs: number; sampleReasons: string[] }>
  >;
  comparison?: { sloViolationMinutesRatio: number; serverMinutesRatio: number; goalMet: boolean };
};

const COLORS: Record<PolicyName, string> = { hpa: '#1f77b4', predictive: '#d95f02' };

/** `onProgress` counts the ticks of every policy to replay, one policy after the other. */
export function evaluateTrace(
  trace: Trace,
  o: Omit<TEvaluateOptions, 'trace'>,
  now: () => number = () => performance.now(),
  onProgress?: ReplayProgress,
) {
  let total = 0;
  let peak = 0;
  for (const r of trace.requests) {
    total += r;
    if (r > peak) peak = r;
  }
  const peakRps = peak / trace.stepSeconds;
  const serverRps = o.serverRps ?? Math.max(peakRps / 100, 1e-6);
  const replayOptions: ReplayOptions = {
    serverRps,
    bootSeconds: o.bootSeconds,
    drainSeconds: o.drainSeconds,
    syncSeconds: o.syncSeconds,
    warmupSeconds: o.warmupSeconds,
    hpaTargetUtilization: o.hpaTarget,
    floorTargetUtilization: o.floorTarget,
    minServers: o.minServers,
    maxServers: o.maxServers ?? Math.max(o.minServers + 1, Math.ceil((3 * peakRps) / serverRps)),
    predictive: o.coverage === undefined ? {} : { coverage: o.coverage },
  };
  const names: PolicyName[] = o.policy === 'both' ? ['hpa', 'predictive'] : [o.policy];
  const results: ReplayResult[] = [];
  const policies: Evaluation['policies'] = {};
  for (const [i, name] of names.entries()) {
    const t0 = now();
    const r = replay(
      trace,
      name,
      replayOptions,
      onProgress && ((done, total) => onProgress(i * total + done, names.length * total)),
    );
    policies[name] = { ...r.metrics, elapsedMs: Math.round(now() - t0), sampleReasons: r.sampleReasons };
    results.push(r);
  }
  const { predictive: _p, ...settings } = replayOptions;
  const evaluation: Evaluation = {
    trace: {
      steps: trace.requests.length,
      stepSeconds: trace.stepSeconds,
      requests: total,
      gapSteps: trace.gapSteps,
      zeroSteps: trace.zeroSteps,
      peakRps,
    },
    settings: {
      ...settings,
      coverage: o.coverage,
      demand: 'd = ceil(arrivals / capacity) per tick (integer variant); ε = 1 server',
      model:
        "the simulator's cluster model (@clockpilot/simulator/model): boot, drain, shared queue with a timeout",
    },
    policies,
  };
  const hpa = policies.hpa;
  const predictive = policies.predictive;
  if (hpa && predictive) {
    const ratio = (a: number, b: number) =>
      b > 0 ? Number((a / b).toFixed(4)) : a > 0 ? Number.POSITIVE_INFINITY : 1;
    const slo = ratio(predictive.sloViolationMinutes, hpa.sloViolationMinutes);
    const cost = ratio(predictive.serverMinutes, hpa.serverMinutes);
    evaluation.comparison = {
      sloViolationMinutesRatio: slo,
      serverMinutesRatio: cost,
      goalMet: slo <= 0.7 && cost <= 1,
    };
  }
  const first = results[0] as ReplayResult;
  const chart = () =>
    renderChart(
      `Demand vs ready servers (${(serverRps).toPrecision(3)} req/s per server, ${o.bootSeconds} s boot)`,
      first.tickSeconds,
      [
        { label: 'demand (servers)', color: '#999', values: first.demand },
        ...results.map((r) => ({
          label: `${r.policy} ready servers`,
          color: COLORS[r.policy],
          values: r.supply,
        })),
        ...results.map((r) => ({
          label: `${r.policy} billed`,
          color: COLORS[r.policy],
          values: r.billed,
          dashed: true,
        })),
      ],
    );
  return { evaluation, chart, results };
}
