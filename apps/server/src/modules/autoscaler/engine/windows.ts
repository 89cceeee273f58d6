/** The ensemble's windows over recent values: their maximum and their quantiles, in constant time per value. */

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
