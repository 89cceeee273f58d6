import {
  type THpaMetric,
  type THpaPod,
  type TReconcileInputs,
  ZControllerSettings,
} from '@clockpilot/contracts';
import type { Recommendation, ScaleEvent } from './normalize';
import { type ReconcileResult, reconcile } from './reconcile';

const CONTROLLER = ZControllerSettings.parse({});

type Sync = Omit<
  TReconcileInputs,
  'recommendations' | 'scaleUpEvents' | 'scaleDownEvents' | 'controller' | 'behavior'
>;

const READY: THpaPod = { phase: 'Running', ready: true, deleting: false, hotCpu: false, requestMilli: 1000 };
const HOT: THpaPod = { ...READY, hotCpu: true };
const PENDING: THpaPod = { ...READY, phase: 'Pending', ready: false };

/** A CPU utilization target (percent) with each pod's CPU in millicores (null: no sample). */
export function cpuMetric(percent: number, podValuesMilli: (number | null)[]): THpaMetric {
  return {
    type: 'Resource',
    resource: 'cpu',
    target: { type: 'Utilization', averageUtilization: percent },
    podValuesMilli,
  };
}

/** An HPA between its syncs: its recommendations and scale events, aged by one sync period per call. */
export class HpaMemory {
  private recs: Recommendation[] | null = null;
  private up: ScaleEvent[] = [];
  private down: ScaleEvent[] = [];
  constructor(
    private readonly syncSeconds: number,
    private readonly behavior: TReconcileInputs['behavior'],
  ) {}

  sync(input: Sync): ReconcileResult {
    // Aged in place: the entries are this memory's own (the engine's answers of the last sync, which
    // only this memory keeps).
    const dt = this.syncSeconds;
    for (const list of [this.recs ?? [], this.up, this.down]) for (const e of list) e.ageSeconds += dt;
    const out = reconcile({
      ...input,
      behavior: this.behavior,
      recommendations: this.recs,
      scaleUpEvents: this.up,
      scaleDownEvents: this.down,
      controller: CONTROLLER,
    });
    this.recs = out.recommendations;
    this.up = out.scaleUpEvents;
    this.down = out.scaleDownEvents;
    return out;
  }
}

/**
 * The HPA with Kubernetes' defaults (CPU target, five-minute scale-down window) on servers that exist
 * only in arithmetic, fed the requests a cluster received: what the HPA would have asked for had it
 * run this cluster. The caller says how many of its servers are ready (ensemble.ts); CPU is the
 * share of their capacity in use, smoothed over a third of a sync period as the simulator's servers
 * report it; what they cannot serve waits up to `timeoutSeconds`, as in the simulator's queue.
 */
export class HpaShadow {
  private readonly memory: HpaMemory;
  private cpu = 0;
  private queue = 0;
  private readyBefore = 0;
  constructor(
    private readonly o: {
      syncSeconds: number;
      serverRps: number;
      /** CPU target, 0..1. */
      target: number;
      /** How long a request waits before it is dropped (the simulator's default). */
      timeoutSeconds?: number;
    },
  ) {
    this.memory = new HpaMemory(o.syncSeconds, { scaleUp: null, scaleDown: null });
  }

  /** Servers that exist from the start are not hot: they never booted. */
  start(ready: number) {
    this.readyBefore = ready;
  }

  /** One tick of `seconds` at `rate` requests per second on `ready` servers. */
  tick(rate: number, ready: number, seconds: number) {
    const capacity = ready * this.o.serverRps * seconds;
    const work = this.queue + rate * seconds;
    const served = Math.min(work, capacity);
    this.queue = Math.min(work - served, ready * this.o.serverRps * (this.o.timeoutSeconds ?? 30));
    const utilization = capacity > 0 ? served / capacity : 0;
    this.cpu += (utilization - this.cpu) * (1 - Math.exp(-seconds / (this.o.syncSeconds / 3)));
  }

  /** The sync: the HPA's desired count for `servers` of which `ready` are ready. */
  decide(servers: number, ready: number, min: number, max: number): number {
    const cpuMilli = Math.round(this.cpu * 1000);
    // Servers ready since the last sync report a CPU that still covers their idle boot ("hot CPU").
    const hot = Math.max(0, ready - this.readyBefore);
    // Pods of three kinds, shared (the engine reads them only): hot, ready, booting.
    const pods: THpaPod[] = new Array(servers);
    const values: (number | null)[] = new Array(servers);
    for (let i = 0; i < servers; i++) {
      pods[i] = i < hot ? HOT : i < ready ? READY : PENDING;
      values[i] = i < ready ? cpuMilli : null;
    }
    this.readyBefore = ready;
    return this.memory.sync({
      specReplicas: servers,
      statusReplicas: servers,
      minReplicas: min,
      maxReplicas: max,
      pods,
      metrics: [cpuMetric(Math.round(this.o.target * 100), values)],
    }).desiredReplicas;
  }
}
