import {
  SIM_CLUSTER_DEFAULTS,
  type TSimClusterUpdate,
  type TSimFaults,
  type TSimLoadPattern,
} from '@clockpilot/contracts/simulator';
import { ClusterModel } from '../model/cluster';
import { TraceError } from '../model/trace';
import { notFound, SimError } from './problems';

type Options = { speed: number; stepSeconds: number; maxClusters: number };

/** Most steps one clock tick or one `advance` call takes per cluster. */
const MAX_STEPS = 10_000;

/**
 * The process's clusters and the clock that moves them: every tick advances each cluster by the real time
 * elapsed times the speed, in equal steps. With speed 0 time moves only through `advance`, which makes
 * runs over HTTP reproducible.
 */
export class Simulation {
  private readonly clusters = new Map<string, ClusterModel>();
  private timer: NodeJS.Timeout | undefined;
  private last = 0;
  /** Simulated seconds elapsed but not yet stepped. */
  private owed = 0;

  /** Told how many steps a tick dropped because the clock fell behind. */
  onBehind?: (droppedSteps: number) => void;

  constructor(private readonly options: Options) {}

  get size(): number {
    return this.clusters.size;
  }

  get speed(): number {
    return this.options.speed;
  }

  ids(): string[] {
    return [...this.clusters.keys()];
  }

  get(id: string): ClusterModel {
    const cluster = this.clusters.get(id);
    if (!cluster) throw notFound(id);
    return cluster;
  }

  /** Creates the cluster or changes the fields named; `created` tells which. */
  put(id: string, changes: TSimClusterUpdate): { cluster: ClusterModel; created: boolean } {
    const existing = this.clusters.get(id);
    const merged = { ...SIM_CLUSTER_DEFAULTS, ...existing?.config, ...changes };
    if (merged.cpuIdleMillis > merged.cpuRequestMillis)
      throw new SimError(422, 'unprocessable', 'cpuIdleMillis must not exceed cpuRequestMillis', [
        { path: 'body.cpuIdleMillis', message: 'must not exceed cpuRequestMillis' },
      ]);
    if (!existing && this.clusters.size >= this.options.maxClusters)
      throw new SimError(409, 'conflict', `The simulator holds at most ${this.options.maxClusters} clusters`);
    return withTrace('body.load.csv', () => {
      if (existing) {
        existing.update(changes);
        return { cluster: existing, created: false };
      }
      const cluster = new ClusterModel(merged);
      this.clusters.set(id, cluster);
      return { cluster, created: true };
    });
  }

  delete(id: string): void {
    if (!this.clusters.delete(id)) throw notFound(id);
  }

  setLoad(id: string, pattern: TSimLoadPattern): ClusterModel {
    const cluster = this.get(id);
    withTrace('body.csv', () => cluster.setLoad(pattern));
    return cluster;
  }

  injectFaults(id: string, faults: TSimFaults): ClusterModel {
    const cluster = this.get(id);
    cluster.injectFaults(faults);
    return cluster;
  }

  advance(id: string, seconds: number): ClusterModel {
    const cluster = this.get(id);
    // At most MAX_STEPS steps per call, so a week of time on a large cluster stays a short request.
    cluster.advance(seconds, Math.max(this.options.stepSeconds, seconds / MAX_STEPS));
    return cluster;
  }

  start(tickMs: number): void {
    if (this.options.speed <= 0 || this.timer) return;
    this.last = performance.now();
    this.timer = setInterval(() => this.tick(), tickMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Moves every cluster on in whole steps of `stepSeconds`; the rest of the elapsed time waits for the next
   * tick. When more than MAX_STEPS are owed (too high a speed for the load of clusters), the excess is
   * dropped: simulated time runs slower than asked but the API stays responsive.
   */
  private tick(): void {
    const now = performance.now();
    this.owed += ((now - this.last) / 1000) * this.options.speed;
    this.last = now;
    const { stepSeconds } = this.options;
    const owedSteps = Math.floor(this.owed / stepSeconds);
    const steps = Math.min(owedSteps, MAX_STEPS);
    if (steps === 0) return;
    this.owed = owedSteps > MAX_STEPS ? 0 : this.owed - steps * stepSeconds;
    if (owedSteps > MAX_STEPS) this.onBehind?.(owedSteps - MAX_STEPS);
    for (const cluster of this.clusters.values()) for (let i = 0; i < steps; i++) cluster.step(stepSeconds);
  }
}

/** Runs `fn`, turning a trace that does not parse into a 422 on `path`. */
function withTrace<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof TraceError)) throw err;
    throw new SimError(422, 'unprocessable', `The trace cannot be read: ${err.message}`, [
      { path, message: err.message },
    ]);
  }
}
