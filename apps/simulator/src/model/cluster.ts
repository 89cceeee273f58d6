import type {
  TSimClusterMetrics,
  TSimClusterSpec,
  TSimFaults,
  TSimLoadPattern,
  TSimServerMetrics,
} from '@clockpilot/contracts/simulator';
import { createLoad, type LoadSource } from './patterns';

type Server = {
  /** Creation order; the youngest has the highest. */
  seq: number;
  name: string;
  createdAt: number;
  readyAt: number;
  /** When it was told to go; it drains until `deletingAt + drainSeconds`. */
  deletingAt: number | null;
  /** Averages over about the metrics window (exponential), as a metrics pipeline reports them. */
  cpuMillis: number;
  requestsPerSecond: number;
};

/** What happened in one step: the per-step series the autoscaler's evaluation is computed from. */
export type StepResult = {
  /** Simulated time at the end of the step. */
  time: number;
  dt: number;
  arrivals: number;
  /** Requests served successfully. */
  served: number;
  /** Requests served but failed by an injected error rate. */
  failed: number;
  /** Requests refused: they would have waited longer than the timeout, or nothing could serve them. */
  dropped: number;
  queued: number;
  p95Ms: number;
  /** Servers able to serve, averaged over the step (booting, draining and down servers excluded). */
  servingServers: number;
  /** Servers that existed during the step (ready + booting + draining): the cost basis. */
  billedServers: number;
  readyServers: number;
  bootingServers: number;
  drainingServers: number;
  desiredReplicas: number;
};

type WindowEntry = { end: number; dt: number; arrivals: number; bad: number; p95Ms: number };

/** An M/M/1 queue waits longer than t with probability ρ·e^{−μ(1−ρ)t}, so its p95 wait is ln(20ρ) / (μ(1−ρ)). */
function mm1WaitP95Seconds(rho: number, capacityRps: number): number {
  const r = Math.min(rho, 0.99);
  return r <= 0.05 ? 0 : Math.log(20 * r) / (capacityRps * (1 - r));
}

/**
 * One simulated cluster, pure and deterministic: no clock, no I/O, no randomness but the seeded kind.
 * Time only moves through `step`. Arrivals are a fluid flow from the load pattern; a shared queue holds
 * what the ready servers cannot serve; each server is an M/M/1 queue for the latency of what it serves.
 */
export class ClusterModel {
  private spec: TSimClusterSpec;
  private servers: Server[] = [];
  private nextServer = 1;
  private desired: number;
  private load!: LoadSource;
  private loadStart = 0;
  private time = 0;
  private queue = 0;
  private unserved = 0;
  private window: WindowEntry[] = [];
  private faults = { latencyMs: 0, errorRate: 0, outageUntil: 0, apiDelayMs: 0 };

  constructor(spec: TSimClusterSpec) {
    this.spec = spec;
    this.setLoad(spec.load);
    for (let i = 0; i < spec.servers; i++) this.addServer(0);
    this.desired = spec.servers;
  }

  /** Simulated seconds since the cluster was created. */
  get now(): number {
    return this.time;
  }

  get config(): TSimClusterSpec {
    return this.spec;
  }

  get desiredReplicas(): number {
    return this.desired;
  }

  get activeFaults(): { latencyMs: number; errorRate: number; outageSeconds: number; apiDelayMs: number } {
    const { latencyMs, errorRate, outageUntil, apiDelayMs } = this.faults;
    return { latencyMs, errorRate, outageSeconds: Math.max(0, outageUntil - this.time), apiDelayMs };
  }

  get outage(): boolean {
    return this.time < this.faults.outageUntil;
  }

  /** Changes parameters; servers, queue and time stay. A new load pattern starts at the current time. */
  update(changes: Partial<TSimClusterSpec>): void {
    const { servers, load, ...rest } = changes;
    // The load first: a trace that does not parse leaves the cluster as it was.
    if (load) this.setLoad(load);
    this.spec = { ...this.spec, ...rest };
    if (servers !== undefined) this.scaleTo(servers);
  }

  /** A new load pattern, whose time 0 is now. */
  setLoad(pattern: TSimLoadPattern): void {
    this.load = createLoad(pattern, this.spec.seed);
    this.spec = { ...this.spec, load: pattern };
    this.loadStart = this.time;
  }

  injectFaults(faults: TSimFaults): void {
    const f = this.faults;
    if (faults.latencyMs !== undefined) f.latencyMs = faults.latencyMs;
    if (faults.errorRate !== undefined) f.errorRate = faults.errorRate;
    if (faults.apiDelayMs !== undefined) f.apiDelayMs = faults.apiDelayMs;
    if (faults.outageSeconds !== undefined) f.outageUntil = this.time + faults.outageSeconds;
  }

  clearFaults(): void {
    this.faults = { latencyMs: 0, errorRate: 0, outageUntil: 0, apiDelayMs: 0 };
  }

  /**
   * Sets the server count. New servers boot for `bootSeconds`; removed ones are chosen as a ReplicaSet
   * does (not yet ready first, then the youngest): a booting one goes at once, a ready one drains.
   */
  scaleTo(replicas: number): void {
    if (!Number.isInteger(replicas) || replicas < 0) throw new RangeError('replicas must be an integer >= 0');
    this.desired = replicas;
    const active = this.servers.filter((s) => s.deletingAt === null);
    for (let i = active.length; i < replicas; i++) this.addServer(this.time + this.spec.bootSeconds);
    const victims = active
      .sort((a, b) => Number(a.readyAt <= this.time) - Number(b.readyAt <= this.time) || b.seq - a.seq)
      .slice(0, Math.max(0, active.length - replicas));
    for (const victim of victims) victim.deletingAt = this.time;
    this.servers = this.servers.filter(
      (s) => s.deletingAt === null || (s.readyAt <= s.deletingAt && this.spec.drainSeconds > 0),
    );
  }

  /** Advances simulated time by `dt` seconds. */
  step(dt: number): StepResult {
    if (!(dt > 0) || !Number.isFinite(dt)) throw new RangeError('dt must be a finite number > 0');
    const { capacityRps, timeoutSeconds, serviceMs, cpuIdleMillis, cpuRequestMillis } = this.spec;
    const t0 = this.time;
    const t1 = t0 + dt;
    const downUntil = this.faults.outageUntil;
    // Seconds of this step in which each server could serve: ready, not told to go, cluster not down.
    const serving = this.servers.map((s) => {
      if (s.deletingAt !== null) return 0;
      const from = Math.max(t0, s.readyAt, Math.min(downUntil, t1));
      return Math.max(0, t1 - from);
    });
    const servingSeconds = serving.reduce((a, b) => a + b, 0);
    const billedServers = this.servers.length;

    const arrivals = this.load.requests(t0 - this.loadStart, t1 - this.loadStart);
    const capacity = servingSeconds * capacityRps;
    const served = Math.min(this.queue + arrivals, capacity);
    let queued = this.queue + arrivals - served;
    const readyAtEnd = t1 < downUntil ? 0 : serving.filter((s) => s > 0).length;
    const drainRate = readyAtEnd * capacityRps;
    const dropped = Math.max(0, queued - drainRate * timeoutSeconds);
    queued -= dropped;
    this.queue = queued;
    const failed = served * this.faults.errorRate;
    this.unserved += dropped + failed;

    const rho = capacity > 0 ? served / capacity : 0;
    const backlogWait = drainRate > 0 ? queued / drainRate : 0;
    const waitSeconds = Math.min(timeoutSeconds, mm1WaitP95Seconds(rho, capacityRps) + backlogWait);
    const p95Ms =
      served > 0
        ? serviceMs + waitSeconds * 1000 + this.faults.latencyMs
        : arrivals > 0
          ? timeoutSeconds * 1000
          : 0;

    // Each server serves its share of the step in proportion to the seconds it could serve.
    const smoothing = 1 - Math.exp(-dt / (this.spec.windowSeconds / 3));
    this.servers.forEach((s, i) => {
      const share = servingSeconds > 0 ? (served * serving[i]!) / servingSeconds : 0;
      const utilisation = Math.min(1, share / (capacityRps * dt));
      const cpu = cpuIdleMillis + (cpuRequestMillis - cpuIdleMillis) * utilisation;
      s.cpuMillis += (cpu - s.cpuMillis) * smoothing;
      s.requestsPerSecond += (share / dt - s.requestsPerSecond) * smoothing;
    });

    this.time = t1;
    this.servers = this.servers.filter(
      (s) => s.deletingAt === null || s.deletingAt + this.spec.drainSeconds > t1,
    );
    this.record({ end: t1, dt, arrivals, bad: dropped + failed, p95Ms });
    const counts = this.counts();
    return {
      time: t1,
      dt,
      arrivals,
      served: served - failed,
      failed,
      dropped,
      queued,
      p95Ms,
      servingServers: servingSeconds / dt,
      billedServers,
      ...counts,
      desiredReplicas: this.desired,
    };
  }

  /** Advances by `seconds` in steps of at most `maxStep`; the last step's result. */
  advance(seconds: number, maxStep = 1): StepResult | undefined {
    let last: StepResult | undefined;
    for (let left = seconds; left > 1e-9; left -= maxStep) last = this.step(Math.min(maxStep, left));
    return last;
  }

  /** What a metrics pipeline reports now: per server, and for the cluster over the last window. */
  metrics(): TSimClusterMetrics {
    const down = this.outage;
    const servers: TSimServerMetrics[] = this.servers.map((s) => {
      const booted = this.time >= s.readyAt;
      return {
        name: s.name,
        phase: booted ? 'Running' : 'Pending',
        ready: booted && s.deletingAt === null && !down,
        deleting: s.deletingAt !== null,
        cpuMillis: Math.round(booted ? s.cpuMillis : this.spec.cpuIdleMillis),
        requestMillis: this.spec.cpuRequestMillis,
        requestsPerSecond: round3(s.requestsPerSecond),
        ageSeconds: round3(this.time - s.createdAt),
      };
    });
    let arrivals = 0;
    let bad = 0;
    let span = 0;
    for (const w of this.window) {
      arrivals += w.arrivals;
      bad += w.bad;
      span += w.dt;
    }
    return {
      time: this.time,
      windowSeconds: this.spec.windowSeconds,
      servers,
      cluster: {
        requestRate: span > 0 ? round3(arrivals / span) : 0,
        p95Ms: round3(this.windowP95()),
        errorRate: arrivals > 0 ? round3(Math.min(1, bad / arrivals)) : 0,
        unservedRequests: round3(this.unserved),
        queuedRequests: round3(this.queue),
        desiredReplicas: this.desired,
        outage: down,
      },
    };
  }

  private addServer(readyAt: number): void {
    const seq = this.nextServer++;
    const idle = this.spec.cpuIdleMillis;
    this.servers.push({
      seq,
      name: `server-${seq}`,
      createdAt: this.time,
      readyAt,
      deletingAt: null,
      cpuMillis: idle,
      requestsPerSecond: 0,
    });
  }

  private counts() {
    let ready = 0;
    let booting = 0;
    let draining = 0;
    for (const s of this.servers) {
      if (s.deletingAt !== null) draining++;
      else if (this.time < s.readyAt) booting++;
      else if (!this.outage) ready++;
    }
    return { readyServers: ready, bootingServers: booting, drainingServers: draining };
  }

  private record(entry: WindowEntry): void {
    this.window.push(entry);
    const from = entry.end - this.spec.windowSeconds;
    let drop = 0;
    while (drop < this.window.length - 1 && this.window[drop]!.end <= from) drop++;
    if (drop > 0) this.window.splice(0, drop);
  }

  /** The window's p95: the step latency below which 95 % of the window's requests fall. */
  private windowP95(): number {
    const steps = this.window.filter((w) => w.arrivals > 0).sort((a, b) => a.p95Ms - b.p95Ms);
    const total = steps.reduce((a, w) => a + w.arrivals, 0);
    let seen = 0;
    for (const w of steps) {
      seen += w.arrivals;
      if (seen >= 0.95 * total) return w.p95Ms;
    }
    return 0;
  }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
