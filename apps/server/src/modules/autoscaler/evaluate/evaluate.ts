import type { TEvaluateOptions } from '@clockpilot/contracts';
import { SIM_MAX_CAPACITY_RPS } from '@clockpilot/contracts/simulator';
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

/** Most servers a replay may simulate: each is an object in the model, stepped every tick. */
export const REPLAY_MAX_SERVERS = 100_000;

/** Options a trace cannot be replayed with: `option` names the one to change. */
export class EvaluationRefused extends Error {
  constructor(
    readonly option: 'serverRps' | 'maxServers',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The cluster a trace is replayed on: servers of the options' capacity (default: a hundredth of the
 * peak, within what a simulated server may serve) up to the options' maximum (default: three times
 * the peak's demand). Refused past REPLAY_MAX_SERVERS.
 */
export function clusterFor(
  trace: Trace,
  o: Pick<TEvaluateOptions, 'serverRps' | 'minServers' | 'maxServers'>,
) {
  let peak = 0;
  for (const r of trace.requests) if (r > peak) peak = r;
  const peakRps = peak / trace.stepSeconds;
  const serverRps = o.serverRps ?? Math.min(SIM_MAX_CAPACITY_RPS, Math.max(peakRps / 100, 1e-6));
  const peakServers = Math.ceil(peakRps / serverRps);
  if (peakServers > REPLAY_MAX_SERVERS)
    throw new EvaluationRefused(
      'serverRps',
      `the trace's peak of ${peakRps.toPrecision(4)} req/s needs ${peakServers} servers of ${serverRps} req/s; a replay simulates at most ${REPLAY_MAX_SERVERS}`,
    );
  const maxServers = o.maxServers ?? Math.max(o.minServers + 1, 3 * peakServers);
  if (maxServers > REPLAY_MAX_SERVERS)
    throw new EvaluationRefused(
      'maxServers',
      `${maxServers} servers at most${o.maxServers === undefined ? ` (three times the peak's ${peakServers})` : ''}; a replay simulates at most ${REPLAY_MAX_SERVERS}`,
    );
  return { peakRps, serverRps, maxServers };
}

type Figures = Pick<ReplayResult['metrics'], 'sloViolationMinutes' | 'serverMinutes'>;

/**
 * Predictive / HPA, and the goal: at most 0.7 × the HPA's SLO-violation minutes on at most its
 * server-minutes. The goal compares the figures themselves, so two runs without a violation meet it
 * on the cost alone (their ratio, 0 / 0, reads 1); a ratio over nothing is infinite (null in JSON).
 */
export function compare(hpa: Figures, predictive: Figures) {
  const ratio = (a: number, b: number) =>
    b > 0 ? Number((a / b).toFixed(4)) : a > 0 ? Number.POSITIVE_INFINITY : 1;
  return {
    sloViolationMinutesRatio: ratio(predictive.sloViolationMinutes, hpa.sloViolationMinutes),
    serverMinutesRatio: ratio(predictive.serverMinutes, hpa.serverMinutes),
    goalMet:
      predictive.sloViolationMinutes <= 0.7 * hpa.sloViolationMinutes &&
      predictive.serverMinutes <= hpa.serverMinutes,
  };
}

/** `onProgress` counts the ticks of every policy to replay, one policy after the other. */
export function evaluateTrace(
  trace: Trace,
  o: Omit<TEvaluateOptions, 'trace'>,
  now: () => number = () => performance.now(),
  onProgress?: ReplayProgress,
) {
  let total = 0;
  for (const r of trace.requests) total += r;
  const { peakRps, serverRps, maxServers } = clusterFor(trace, o);
  const replayOptions: ReplayOptions = {
    serverRps,
    bootSeconds: o.bootSeconds,
    drainSeconds: o.drainSeconds,
    syncSeconds: o.syncSeconds,
    warmupSeconds: o.warmupSeconds,
    hpaTargetUtilization: o.hpaTarget,
    floorTargetUtilization: o.floorTarget,
    minServers: o.minServers,
    maxServers,
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
  if (policies.hpa && policies.predictive) evaluation.comparison = compare(policies.hpa, policies.predictive);
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
