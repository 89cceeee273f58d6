/** A request-count trace on a regular grid: `counts[k]` requests arrived in step k. */
export type Trace = {
  /** Unix seconds of the first row. */
  startSeconds: number;
  stepSeconds: number;
  counts: Float64Array;
  /** Steps that had no row and were filled in. */
  gaps: number;
};

export class TraceError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'TraceError';
  }
}

/** Longest replay kept in memory (a year of seconds). */
const MAX_STEPS = 366 * 86400;
/** Most requests in one row: far above any real service, so a trace's sums stay finite and exact enough. */
const MAX_ROW_REQUESTS = 1e12;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HAS_ZONE = /([zZ]|[+-]\d\d:?\d\d)$/;

/** Unix seconds of a timestamp cell: Unix seconds or milliseconds, or ISO 8601 (UTC when it names no zone). */
function parseTimestamp(cell: string, line: number): number {
  if (NUMBER.test(cell)) {
    const n = Number(cell);
    return n > 1e11 ? n / 1000 : n;
  }
  let iso = cell.replace(' ', 'T');
  if (iso.includes('T') && !HAS_ZONE.test(iso)) iso += 'Z';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new TraceError(`"${cell}" is not an ISO or Unix timestamp`, line);
  return ms / 1000;
}

/** A trace's cell separator from its first row: commas, or semicolons or tabs when it has no comma (other locales' exports). */
export const separatorOf = (firstRow: string) =>
  firstRow.includes(',') ? ',' : firstRow.includes(';') ? ';' : '\t';

/** The columns a header row names (`timestamp` or `time`, `requests` or `count`), else the first two. */
export function columnsOf(header: string[]): { time: number; count: number } {
  const names = header.map((c) => c.toLowerCase());
  const time = names.findIndex((c) => c === 'timestamp' || c === 'time');
  const count = names.findIndex((c) => c === 'requests' || c === 'count');
  return time >= 0 && count >= 0 ? { time, count } : { time: 0, count: 1 };
}

const unquote = (cell: string) =>
  cell
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim();

/** The most frequent positive distance between consecutive timestamps: the trace's step. */
function detectStep(times: number[]): number {
  const seen = new Map<number, number>();
  let best = 1;
  let bestCount = 0;
  for (let i = 1; i < times.length; i++) {
    const d = Math.round((times[i]! - times[i - 1]!) * 1000) / 1000;
    if (d <= 0) continue;
    const count = (seen.get(d) ?? 0) + 1;
    seen.set(d, count);
    if (count > bestCount || (count === bestCount && d < best)) [best, bestCount] = [d, count];
  }
  return best;
}

/**
 * Parses a `timestamp,requests` CSV (a header row is optional; with one, the columns are found by name;
 * cells separated by commas, or by semicolons or tabs when the first row has no comma).
 * Rows may come in any order; rows in the same step add up; steps without a row are gaps, filled with 0
 * or with the previous step's count. An empty `requests` cell is a gap too; a real 0 stays 0.
 */
export function parseTrace(csv: string, gapFill: 'zero' | 'previous' = 'zero'): Trace {
  const rows: { t: number; n: number | null }[] = [];
  let columns = { time: 0, count: 1 };
  let header = false;
  let separator: string | undefined;
  const lines = csv.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    separator ??= separatorOf(raw);
    const cells = raw.split(separator).map(unquote);
    if (!header && rows.length === 0 && cells[1] && !NUMBER.test(cells[1])) {
      // The first line names the columns; without the usual names they stay timestamp,requests.
      header = true;
      columns = columnsOf(cells);
      continue;
    }
    const timeCell = cells[columns.time];
    const countCell = cells[columns.count];
    if (timeCell === undefined || timeCell === '' || countCell === undefined)
      throw new TraceError('expected "timestamp,requests"', i + 1);
    if (countCell !== '' && !NUMBER.test(countCell))
      throw new TraceError(`"${countCell}" is not a number of requests`, i + 1);
    const n = countCell === '' ? null : Number(countCell);
    if (n !== null && (n < 0 || !Number.isFinite(n)))
      throw new TraceError(`"${countCell}" requests: a count must be a finite number >= 0`, i + 1);
    if (n !== null && n > MAX_ROW_REQUESTS)
      throw new TraceError(`${countCell} requests in one step; at most ${MAX_ROW_REQUESTS}`, i + 1);
    rows.push({ t: parseTimestamp(timeCell, i + 1), n });
  }
  if (rows.length === 0) throw new TraceError('the trace has no rows');

  rows.sort((a, b) => a.t - b.t);
  const times = rows.map((r) => r.t);
  const step = detectStep(times);
  const start = times[0]!;
  const length = Math.floor((times[times.length - 1]! - start) / step + 1e-6) + 1;
  if (length > MAX_STEPS) throw new TraceError(`the trace spans ${length} steps; at most ${MAX_STEPS}`);

  const counts = new Float64Array(length);
  const present = new Uint8Array(length);
  for (const { t, n } of rows) {
    if (n === null) continue;
    const k = Math.floor((t - start) / step + 1e-6);
    counts[k] = counts[k]! + n;
    present[k] = 1;
  }
  let gaps = 0;
  for (let k = 0; k < length; k++) {
    if (present[k]) continue;
    gaps++;
    if (gapFill === 'previous' && k > 0) counts[k] = counts[k - 1]!;
  }
  return { startSeconds: start, stepSeconds: step, counts, gaps };
}
