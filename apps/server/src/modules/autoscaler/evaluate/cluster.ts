/**
 * The cluster the evaluation replays a trace against, in simulated time. `ClusterModel` is the
 * interface the replay needs; `FluidCluster` implements it with the fluid model of
 * EVALUATION-METRICS.md (served = min(arrivals, ready × capacity), the rest unserved), a boot delay
 * and a drain time.
 */
export type TickResult = { ready: number; billed: number; served: number; unserved: number };

export interface ClusterModel {
  readonly tickSeconds: number;
  /** Servers wanted (the spec count): new ones boot; a decrease cancels booting servers first. */
  setDesired(n: number): void;
  /** One tick with `arrivals` requests. */
  tick(arrivals: number): TickResult;
  readonly ready: number;
  readonly booting: number;
  /** Ready servers that became ready less than `seconds` ago (their CPU sample is not clean yet). */
  recentlyReady(seconds: number): number;
}

export type FluidOptions = {
  tickSeconds: number;
  /** Requests one server serves per second within the SLO. */
  serverRps: number;
  bootSeconds: number;
  drainSeconds: number;
  initialServers: number;
};

/** A FIFO of tick numbers in a growable ring, so a long replay allocates nothing per tick. */
class TickQueue {
  private buf = new Float64Array(64);
  private head = 0;
  length = 0;
  push(v: number) {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      for (let i = 0; i < this.length; i++) next[i] = this.at(i);
      this.buf = next;
      this.head = 0;
    }
    this.buf[(this.head + this.length++) % this.buf.length] = v;
  }
  at(i: number) {
    return this.buf[(this.head + i) % this.buf.length] as number;
  }
  shift() {
    const v = this.at(0);
    this.head = (this.head + 1) % this.buf.length;
    this.length--;
    return v;
  }
  pop() {
    return this.at(--this.length);
  }
}

export class FluidCluster implements ClusterModel {
  readonly tickSeconds: number;
  private readonly perTick: number;
  private readonly bootTicks: number;
  private readonly drainTicks: number;
  private now = 0;
  private readyCount: number;
  /** Tick at which each booting server becomes ready, in order. */
  private readonly bootingUntil = new TickQueue();
  /** Tick at which each draining server is gone. */
  private readonly drainingUntil = new TickQueue();
  /** Tick at which the most recently readied servers became ready (newest last). */
  private readonly readiedAt = new TickQueue();

  constructor(o: FluidOptions) {
    this.tickSeconds = o.tickSeconds;
    this.perTick = o.serverRps * o.tickSeconds;
    this.bootTicks = Math.max(0, Math.round(o.bootSeconds / o.tickSeconds));
    this.drainTicks = Math.max(0, Math.round(o.drainSeconds / o.tickSeconds));
    this.readyCount = o.initialServers;
  }

  get ready() {
    return this.readyCount;
  }
  get booting() {
    return this.bootingUntil.length;
  }

  setDesired(n: number) {
    let have = this.readyCount + this.bootingUntil.length;
    for (; have < n; have++) this.bootingUntil.push(this.now + this.bootTicks);
    // Not-ready servers go first, the newest of them first, as Kubernetes ranks pods to delete.
    for (; have > n && this.bootingUntil.length > 0; have--) this.bootingUntil.pop();
    for (; have > n; have--) {
      this.readyCount--;
      if (this.readiedAt.length > 0) this.readiedAt.pop();
      if (this.drainTicks > 0) this.drainingUntil.push(this.now + this.drainTicks);
    }
  }

  recentlyReady(seconds: number) {
    const since = this.now - seconds / this.tickSeconds;
    let n = 0;
    for (let i = this.readiedAt.length - 1; i >= 0 && this.readiedAt.at(i) > since; i--) n++;
    return n;
  }

  tick(arrivals: number): TickResult {
    while (this.bootingUntil.length > 0 && this.bootingUntil.at(0) <= this.now) {
      this.readiedAt.push(this.bootingUntil.shift());
      this.readyCount++;
    }
    while (this.drainingUntil.length > 0 && this.drainingUntil.at(0) <= this.now) this.drainingUntil.shift();
    // Only the recent past matters for `recentlyReady`; keep the list short.
    while (this.readiedAt.length > 256) this.readiedAt.shift();
    const served = Math.min(arrivals, this.readyCount * this.perTick);
    this.now++;
    return {
      ready: this.readyCount,
      billed: this.readyCount + this.bootingUntil.length + this.drainingUntil.length,
      served,
      unserved: arrivals - served,
    };
  }
}
