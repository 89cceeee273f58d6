/** The ensemble's windows over recent values: their maximum, quantiles and moments, in constant time per value. */

/** The largest of the last k values pushed, for any k up to `n`, in constant time per push (a monotonic queue). */
export class WindowMax {
  private readonly values: number[] = [];
  private readonly stamps: number[] = [];
  private head = 0;
  private count = 0;
  constructor(private readonly n: number) {}
  push(v: number) {
    while (this.values.length > this.head && (this.values[this.values.length - 1] as number) <= v) {
      this.values.pop();
      this.stamps.pop();
    }
    this.values.push(v);
    this.stamps.push(this.count++);
    while ((this.stamps[this.head] as number) <= this.count - 1 - this.n) this.head++;
    if (this.head > 64 && this.head * 2 > this.values.length) {
      this.values.splice(0, this.head);
      this.stamps.splice(0, this.head);
      this.head = 0;
    }
    return this.values[this.head] as number;
  }
  /** The largest of the last `k` values (k ≤ n): the oldest kept value pushed within them. */
  max(k: number) {
    let i = this.head;
    while ((this.stamps[i] as number) < this.count - k) i++;
    return this.values[i] as number;
  }
}

/** Quantiles of the last `size` whole numbers pushed, from their counts. */
export class RecentQuantiles {
  private readonly ring: Int32Array;
  private next = 0;
  private filled = 0;
  private counts = new Int32Array(64);
  /** The largest value in the window (0 when empty). */
  private top = 0;
  constructor(size: number) {
    this.ring = new Int32Array(Math.max(1, size));
  }
  push(v: number) {
    if (this.filled === this.ring.length) (this.counts[this.ring[this.next] as number] as number)--;
    else this.filled++;
    if (v >= this.counts.length) {
      const grown = new Int32Array(Math.max(v + 1, this.counts.length * 2));
      grown.set(this.counts);
      this.counts = grown;
    }
    this.ring[this.next] = v;
    this.counts[v] = (this.counts[v] as number) + 1;
    this.next = (this.next + 1) % this.ring.length;
    if (v > this.top) this.top = v;
    while (this.top > 0 && this.counts[this.top] === 0) this.top--;
  }
  /** Whether the window holds as many values as it is long. */
  get full() {
    return this.filled === this.ring.length;
  }
  /** The smallest value that at least a share `q` of the window does not exceed. */
  quantile(q: number) {
    let above = Math.floor((1 - q) * this.filled + 1e-9);
    for (let v = this.top; v > 0; v--) {
      above -= this.counts[v] as number;
      if (above < 0) return v;
    }
    return 0;
  }
}

/** Mean and variance of the last `size` values pushed, in constant time per value. */
export class RecentMoments {
  private readonly ring: Float64Array;
  private next = 0;
  private filled = 0;
  /** Sums of the values less `shift` (a recent mean), so that large values keep their variance's digits. */
  private shift = 0;
  private sum = 0;
  private sumSquares = 0;
  constructor(size: number) {
    this.ring = new Float64Array(Math.max(1, size));
  }
  push(v: number) {
    if (this.filled === 0) this.shift = v;
    if (this.filled === this.ring.length) {
      const old = (this.ring[this.next] as number) - this.shift;
      this.sum -= old;
      this.sumSquares -= old * old;
    } else this.filled++;
    this.ring[this.next] = v;
    const d = v - this.shift;
    this.sum += d;
    this.sumSquares += d * d;
    this.next = (this.next + 1) % this.ring.length;
    // Once per window, sums made afresh about the mean: subtracting leaves rounding behind.
    if (this.next === 0) {
      this.shift = this.mean;
      this.sum = 0;
      this.sumSquares = 0;
      for (const x of this.ring) {
        this.sum += x - this.shift;
        this.sumSquares += (x - this.shift) ** 2;
      }
    }
  }
  /** Whether the window holds as many values as it is long. */
  get full() {
    return this.filled === this.ring.length;
  }
  get mean() {
    return this.filled > 0 ? this.shift + this.sum / this.filled : 0;
  }
  /** The sample variance (0 below two values). */
  get variance() {
    const n = this.filled;
    return n > 1 ? Math.max(0, (this.sumSquares - (this.sum * this.sum) / n) / (n - 1)) : 0;
  }
}
