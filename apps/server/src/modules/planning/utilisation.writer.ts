/** Rounded values below this (655.36 h, a ratio of 65.536) are looked up in an array by index. */
const SMALL = 65_536;
const NULL = Buffer.from('null');
const [COMMA, OPEN, CLOSE] = [44, 91, 93];

/** Bytes kept per small value: the longest, `655.35` and `65.535`, take 6. */
const WIDTH = 8;

/**
 * Values printed as `JSON.stringify` prints them, by their rounded integer (hundredths of hours,
 * thousandths of a ratio), each printed once, the first time it is met. Nearly every cell is a small
 * non-negative integer: its bytes are kept in one flat array for the process (`WIDTH` apart; length
 * 0 is not printed yet), so the writer's loop copies them with no lookup in an object or a sparse
 * array (a sparse array of Buffers was the loop's largest cost, bench/RESULTS.md). Any other value
 * is printed and kept per grid.
 */
function printed(scale: number) {
  const bytes = new Uint8Array(SMALL * WIDTH);
  const lengths = new Uint8Array(SMALL);
  return {
    bytes,
    lengths,
    /** Prints small value `k` into the table; returns its length. */
    print(k: number): number {
      const text = Buffer.from(String(k / scale));
      text.copy(bytes, k * WIDTH);
      lengths[k] = text.length;
      return text.length;
    },
    /** A printer of values outside the table, for one grid. */
    others() {
      const kept = new Map<number, Buffer>();
      return (k: number): Buffer => {
        let t = kept.get(k);
        if (t === undefined) {
          t = Number.isFinite(k) ? Buffer.from(String(k / scale)) : NULL;
          kept.set(k, t);
        }
        return t;
      };
    },
  };
}
const HOURS = printed(100);
const RATIOS = printed(1000);

/**
 * One buffer reused for every grid, so a grid allocates only its own bytes: a grid is written from
 * start to `done` without an await, so two are never written into it at once.
 */
let scratch = Buffer.alloc(0);

/**
 * Writes a utilisation grid's JSON straight into one buffer: hours and capacity rounded to 2
 * decimals and ratios to 3, as `JSON.stringify` of the rounded numbers would. A grid repeats a few
 * hundred values a million times, so each cell is the copy of a value's bytes printed once, with no
 * string per cell, per series or per row (bench/RESULTS.md).
 */
export function gridWriter(n: number, sizeHint: number) {
  if (scratch.length < sizeHint) scratch = Buffer.allocUnsafe(Math.max(1024, sizeHint));
  let buf = scratch;
  let at = 0;
  const room = (bytes: number) => {
    if (at + bytes <= buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, at + bytes));
    buf.copy(bigger, 0, 0, at);
    buf = bigger;
    scratch = bigger;
  };
  const otherHours = HOURS.others();
  const otherRatios = RATIOS.others();
  // A cell is at most a printed value (a long one is a few tens of bytes) and a comma.
  const cellRoom = 32;
  /**
   * Writes `[v0,v1,…]`: hours `xs` rounded to 2 decimals or, with `over`, the ratios `xs / over`
   * rounded to 3 (`null` where `over` is not positive). One loop with the lookup inline: a value
   * callback per cell cost a call that could not be inlined (bench/RESULTS.md).
   */
  const cells = (xs: number[], over: number[] | null) => {
    room(2 + n * cellRoom);
    const out = buf;
    const table = over ? RATIOS : HOURS;
    const { bytes, lengths } = table;
    const other = over ? otherRatios : otherHours;
    let p = at;
    out[p++] = OPEN;
    for (let i = 0; i < n; i++) {
      if (i > 0) out[p++] = COMMA;
      let k: number;
      if (over === null) k = Math.round(xs[i]! * 100);
      else {
        const c = over[i]!;
        k = c > 0 ? Math.round((xs[i]! / c) * 1000) : Number.NaN;
      }
      if (k >= 0 && k < SMALL) {
        let length = lengths[k]!;
        if (length === 0) length = table.print(k);
        for (let j = k * WIDTH, end = j + length; j < end; j++) out[p++] = bytes[j]!;
      } else {
        const b = other(k);
        for (let j = 0; j < b.length; j++) out[p++] = b[j]!;
      }
    }
    out[p++] = CLOSE;
    at = p;
  };
  const text = (s: string) => {
    room(s.length * 3);
    at += buf.write(s, at);
  };
  return {
    /** Where the next byte goes. */
    get at() {
      return at;
    },
    text,
    /** The series' members of a row or of the totals: assigned, tentative, capacity, utilisation. */
    series(assigned: number[], tentative: number[], capacity: number[] | null) {
      text('"assigned":');
      cells(assigned, null);
      text(',"tentative":');
      cells(tentative, null);
      text(',"capacity":');
      if (capacity) cells(capacity, null);
      else text('null');
      text(',"utilisation":');
      if (capacity) cells(assigned, capacity);
      else text('null');
    },
    /** The bytes written, in a buffer of their own size. */
    done(): Buffer {
      const out = Buffer.allocUnsafe(at);
      buf.copy(out, 0, 0, at);
      return out;
    },
  };
}
