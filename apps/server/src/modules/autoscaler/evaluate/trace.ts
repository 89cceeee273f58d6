import { parseTrace as parseSteps, TraceError } from '@clockpilot/simulator/model';

export { TraceError };

/**
 * A request trace as the simulator replays it (`parseTrace` of its model: `timestamp,requests` CSV,
 * ISO or Unix timestamps, rows in any order, rows of one step added up, a header found by its names,
 * quoted cells, `;` or tab separators), with what the evaluation reports of it: the steps that had no
 * row (filled with zero requests, so a gap never shifts the rest of the trace in time) and the steps
 * that had zero.
 */
export type Trace = {
  stepSeconds: number;
  /** Unix seconds of the first step. */
  startSeconds: number;
  /** Requests that arrived in each step. */
  requests: Float64Array;
  gapSteps: number;
  zeroSteps: number;
};

export function parseTrace(text: string): Trace {
  const t = parseSteps(text);
  if (t.counts.length < 2)
    throw new TraceError('a trace needs at least two steps (two rows at different times)');
  let zeros = 0;
  for (const n of t.counts) if (n === 0) zeros++;
  return {
    stepSeconds: t.stepSeconds,
    startSeconds: t.startSeconds,
    requests: t.counts,
    gapSteps: t.gaps,
    zeroSteps: zeros - t.gaps,
  };
}
