import { parentPort, workerData } from 'node:worker_threads';
import {
  type TEvaluationFigures,
  type TEvaluationOptions,
  type TEvaluationResult,
  ZEvaluateOptions,
} from '@clockpilot/contracts';
import { binned } from '../evaluate/chart';
import { evaluateTrace } from '../evaluate/evaluate';
import type { Trace } from '../evaluate/trace';

/**
 * The worker thread of one evaluation: replays the trace through the policies, as
 * `clockpilot autoscaler evaluate` does, and posts its progress and the figures to the server.
 */
/** `kind` tells this module's worker apart from any other thread the process runs in (a test pool's). */
export type WorkerInput = { kind: typeof WORKER_KIND; trace: Trace; options: TEvaluationOptions };
export const WORKER_KIND = 'autoscaler-evaluation';
export type WorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; result: TEvaluationResult };

const CHART_POINTS = 400;

/** A ratio the JSON can carry: an infinite one (the HPA had none) is null. */
const finite = (x: number) => (Number.isFinite(x) ? x : null);

export function runEvaluation(input: WorkerInput, post: (m: WorkerMessage) => void): TEvaluationResult {
  const o = ZEvaluateOptions.parse({ trace: 'upload', ...input.options });
  const { evaluation: e, results } = evaluateTrace(input.trace, o, undefined, (done, total) =>
    post({ type: 'progress', done, total }),
  );
  const s = e.settings;
  const first = results[0];
  const size = first ? Math.max(1, Math.ceil(first.demand.length / CHART_POINTS)) : 1;
  return {
    trace: e.trace,
    settings: {
      serverRps: s.serverRps,
      bootSeconds: s.bootSeconds,
      syncSeconds: s.syncSeconds,
      warmupSeconds: s.warmupSeconds,
      hpaTargetUtilization: s.hpaTargetUtilization,
      minServers: s.minServers,
      maxServers: s.maxServers,
    },
    policies: e.policies as Partial<Record<'hpa' | 'predictive', TEvaluationFigures>>,
    comparison: e.comparison
      ? {
          sloViolationMinutesRatio: finite(e.comparison.sloViolationMinutesRatio),
          serverMinutesRatio: finite(e.comparison.serverMinutesRatio),
          goalMet: e.comparison.goalMet,
        }
      : null,
    chart: {
      secondsPerPoint: (first?.tickSeconds ?? 0) * size,
      demand: first ? binned(first.demand, CHART_POINTS) : [],
      series: results.map((r) => ({
        policy: r.policy,
        ready: binned(r.supply, CHART_POINTS),
        billed: binned(r.billed, CHART_POINTS),
      })),
    },
  };
}

if (parentPort && (workerData as WorkerInput | undefined)?.kind === WORKER_KIND) {
  const port = parentPort;
  const post = (m: WorkerMessage) => port.postMessage(m);
  post({ type: 'done', result: runEvaluation(workerData as WorkerInput, post) });
}
