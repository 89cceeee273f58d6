import { columnsOf, separatorOf } from '@clockpilot/simulator/model';

/**
 * A request trace as `timestamp,requests` CSV: ISO-8601 or Unix timestamps (seconds, or
 * milliseconds when above 10^11), one row per regular step; cells may be quoted, and separated by
 * semicolons or tabs instead of commas; a header finds the columns by name. Missing steps are filled with zero
 * requests and counted, so a gap never shifts the rest of the trace in time.
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

export class TraceError extends Error {}

/** Most requests in one step: far above any real service, and sums of a whole trace stay finite and exact enough. */
const MAX_STEP_REQUESTS = 1e12;
/** A count as decimal digits (with a fraction or an exponent), not hex, binary or Infinity. */
const COUNT = /^\d+(\.\d+)?([eE][+-]?\d+)?$/;

function parseTime(text: string, line: number): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    return n > 1e11 ? n / 1000 : n;
  }
  // A timestamp without a zone is read as UTC, so the trace does not depend on the machine's zone.
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t}Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new TraceError(`line ${line}: "${t}" is not an ISO or Unix timestamp`);
  return ms / 1000;
}

/** A row's cells without their quotes (spreadsheets and pandas quote cells). */
function cellsOf(line: string, separator: string) {
  return line.split(separator).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}

export function parseTrace(text: string): Trace {
  const lines = text.split(/\r\n|\r|\n/);
  const rows: { t: number; n: number; line: number }[] = [];
  let separator: string | undefined;
  let columns = { time: 0, count: 1 };
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const first = separator === undefined;
    separator ??= separatorOf(line);
    const cells = cellsOf(line, separator);
    // The header is the first row that is not comments, whatever line it is on.
    if (first && Number.isNaN(Number(cells[1]))) {
      columns = columnsOf(cells);
      return;
    }
    const cell = cells[columns.count];
    if (cell === undefined) throw new TraceError(`line ${i + 1}: expected timestamp,requests`);
    const n = Number(cell);
    if (!COUNT.test(cell)) throw new TraceError(`line ${i + 1}: "${cell}" is not a count of requests`);
    if (n > MAX_STEP_REQUESTS)
      throw new TraceError(`line ${i + 1}: ${cell} requests in one step; at most ${MAX_STEP_REQUESTS}`);
    rows.push({ t: parseTime(cells[columns.time] as string, i + 1), n, line: i + 1 });
  });
  if (rows.length < 2) throw new TraceError('a trace needs at least two rows');
  // The step is the smallest positive difference: gaps only make differences larger.
  let step = Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows.length; i++) {
    const d = (rows[i] as { t: number }).t - (rows[i - 1] as { t: number }).t;
    if (d <= 0) throw new TraceError(`line ${(rows[i] as { line: number }).line}: timestamps must increase`);
    step = Math.min(step, d);
  }
  step = Math.round(step * 1000) / 1000;
  const start = (rows[0] as { t: number }).t;
  const last = (rows[rows.length - 1] as { t: number }).t;
  const steps = Math.round((last - start) / step) + 1;
  if (steps > 20_000_000) throw new TraceError(`the trace spans ${steps} steps, more than 20 million`);
  const requests = new Float64Array(steps);
  const seen = new Uint8Array(steps);
  for (const r of rows) {
    const k = (r.t - start) / step;
    const i = Math.round(k);
    if (Math.abs(k - i) > 0.01) throw new TraceError(`timestamp ${r.t} is off the ${step} s grid`);
    requests[i] = r.n;
    seen[i] = 1;
  }
  let gapSteps = 0;
  let zeroSteps = 0;
  for (let i = 0; i < steps; i++) {
    if (!seen[i]) gapSteps++;
    else if (requests[i] === 0) zeroSteps++;
  }
  return { stepSeconds: step, startSeconds: start, requests, gapSteps, zeroSteps };
}
