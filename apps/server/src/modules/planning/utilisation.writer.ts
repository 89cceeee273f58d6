/** Rounded values below this (655.36 h, a ratio of 65.536) are looked up in an array by index. */
const SMALL = 65_536;
const NULL = Buffer.from('null');
const [COMMA, OPEN, CLOSE] = [44, 91, 93];

/**
 * The bytes of printed values by their rounded integer (hundredths of hours, thousandths of a
 * ratio), each printed as `JSON.stringify` prints the number once, the first time it is met. Nearly
 * every cell is a small non-negative integer, looked up in `small` by index (~40 % cheaper than a
 * Map) in the writer's own loop; `of` prints and keeps the rest.
 */
function printer(scale: number) {
  const small: Array<Buffer | undefined> = [];
  const other = new Map<number, Buffer>();
  return {
    small,
    of(k: number): Buffer {
      if (k >= 0 && k < SMALL) {
        const printed = Buffer.from(String(k / scale));
        small[k] = printed;
        return printed;
      }
      let t = other.get(k);
      if (t === undefined) {
        t = Number.isFinite(k) ? Buffer.from(String(k / scale)) : NULL;
        other.set(k, t);
      }
      return t;
    },
  };
}

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
  const hours = printer(100);
  const ratio = printer(1000);
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
    const printed = over ? ratio : hours;
    const small = printed.small;
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
      let b = k >= 0 && k < SMALL ? small[k] : undefined;
      if (b === undefined) b = printed.of(k);
      for (let j = 0; j < b.length; j++) out[p++] = b[j]!;
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
