/**
 * The levels pushed so far, of which the last `capacity` are kept (a forecast looks back a week at
 * most): grown as they come, then a ring, so a cluster's forecaster does not grow for as long as it
 * runs.
 */
export class Levels {
  private data = new Float64Array(1024);
  length = 0;
  constructor(private readonly capacity: number) {}
  push(v: number) {
    if (this.length === this.data.length && this.length < this.capacity) {
      const next = new Float64Array(Math.min(this.capacity, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++ % this.data.length] = v;
  }
  /** The level pushed `i`-th (one of the last `capacity`). */
  at(i: number) {
    return this.data[i % this.data.length] as number;
  }
}
