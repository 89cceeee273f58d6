/**
 * What following each of `n` series of answers would have given: ready servers, server-seconds and
 * short seconds, one row per series (the rules, the HPA shadow, the servers asked for).
 */
export class Tracks {
  readonly ready: Float64Array;
  readonly answer: Float64Array;
  readonly cost: Float64Array;
  readonly misses: Float64Array;
  /** Each series' answers of the last boot delay and the current one: rings advanced together. */
  private readonly recent: Float64Array;
  private at = 0;
  constructor(
    readonly n: number,
    private readonly width: number,
  ) {
    this.ready = new Float64Array(n).fill(1);
    this.answer = new Float64Array(n).fill(1);
    this.cost = new Float64Array(n);
    this.misses = new Float64Array(n);
    this.recent = new Float64Array(n * width).fill(1);
  }
  start(v: number) {
    this.ready.fill(v);
    this.answer.fill(v);
    this.recent.fill(v);
  }
  tick(demand: number, seconds: number) {
    const { cost, misses, answer, ready } = this;
    for (let i = 0; i < this.n; i++) {
      cost[i] = (cost[i] as number) + (answer[i] as number) * seconds;
      if (demand > (ready[i] as number)) misses[i] = (misses[i] as number) + seconds;
    }
  }
  /** Series `i`'s answer of this sync, in force from the next tick; servers it adds are ready a boot delay later. */
  set(i: number, v: number) {
    const row = i * this.width;
    this.recent[row + this.at] = v;
    this.answer[i] = v;
    let ready = v;
    for (let k = row; k < row + this.width; k++)
      if ((this.recent[k] as number) < ready) ready = this.recent[k] as number;
    this.ready[i] = ready;
  }
  /** After every series' `set`: the next sync's slot, and the scores decayed by one bucket. */
  advance(decay: number) {
    this.at = (this.at + 1) % this.width;
    for (let i = 0; i < this.n; i++) {
      this.cost[i] = (this.cost[i] as number) * decay;
      this.misses[i] = (this.misses[i] as number) * decay;
    }
  }
}
