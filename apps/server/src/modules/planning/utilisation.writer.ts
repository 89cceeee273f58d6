/** Rounded values below this (655.36 h, a ratio of 65.536) are looked up in an array by index. */
const SMALL = 65_536;
const NULL = Buffer.from('null');
const [COMMA, OPEN, CLOSE] = [44, 91, 93];

/**
 * The bytes of printed values by their rounded integer (hundredths of hours, thousandths of a
 * ratio), each printed as `JSON.stringify` prints the number once, the first time it is met.
 */
function printer(scale: number) {
  // Nearly every cell is a small non-negative integer: looked up by index, ~40 % cheaper than a Map.
  const small: Buffer[] = [];
  const other = new Map<number, Buffer>();
  return (k: number): Buffer => {
    if (k >= 0 && k < SMALL) {
      let hit = small[k];
      if (hit === undefined) {
        hit = Buffer.from(String(k / scale));
        small[k] = hit;
      }
      return hit;
    }
    let t = other.get(k);
    if (t === undefined) {
      t = Number.isFinite(k) ? Buffer.from(String(k / scale)) : NULL;
      other.set(k, t);
    }
    return t;
  };
}

/**
 * Writes a utilisation grid's JSON straight into one buffer: hours and capacity rounded to 2
 * decimals and ratios to 3, as `JSON.stringify` of the rounded numbers would. A grid repeats a few
 * hundred values a million times, so each cell is the copy of a value's bytes printed once, with no
 * string per cell, per series or per row (bench/RESULTS.md).
 */
export function gridWriter(n: number, sizeHint: number) {
  let buf = Buffer.allocUnsafe(Math.max(1024, sizeHint));
  let at = 0;
  const room = (bytes: number) => {
    if (at + bytes <= buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, at + bytes));
    buf.copy(bigger, 0, 0, at);
    buf = bigger;
  };
  const hours = printer(100);
  const ratio = printer(1000);
  // A cell is at most a printed value (a long one is a few tens of bytes) and a comma.
  const cellRoom = 32;
  /** Writes `[v0,v1,…]` of the cells' printed values; the buffer and position are locals in the loop. */
  const cells = (value: (i: number) => Buffer) => {
    room(2 + n * cellRoom);
    const out = buf;
    let p = at;
    out[p++] = OPEN;
    for (let i = 0; i < n; i++) {
      if (i > 0) out[p++] = COMMA;
      const b = value(i);
      for (let j = 0; j < b.length; j++) out[p++] = b[j]!;
    }
    out[p++] = CLOSE;
    at = p;
  };
  const list = (xs: number[]) => cells((i) => hours(Math.round(xs[i]! * 100)));
  const ratios = (assigned: number[], capacity: number[]) =>
    cells((i) => {
      const c = capacity[i]!;
      return c > 0 ? ratio(Math.round((assigned[i]! / c) * 1000)) : NULL;
    });
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
      list(assigned);
      text(',"tentative":');
      list(tentative);
      text(',"capacity":');
      if (capacity) list(capacity);
      else text('null');
      text(',"utilisation":');
      if (capacity) ratios(assigned, capacity);
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
