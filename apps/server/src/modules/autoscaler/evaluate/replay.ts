import type { THpaPod, TReconcileInputs } from '@clockpilot/contracts';
import { SIM_MAX_SERVERS, ZSimClusterSpec } from '@clockpilot/contracts/simulator';
import { ClusterModel } from '@clockpilot/simulator/model';
import { cpuMetric, HpaMemory } from '../engine/hpa-shadow';
import { DEFAULT_PREDICTIVE, Forecaster, type PredictiveSettings } from '../engine/predictive';
import { predictiveDecision } from '../engine/predictive-decision';
import { computeMetrics, type Metrics } from './metrics';
import type { Trace } from './trace';

/**
 * Replays a trace through the simulator's cluster model in simulated time, with a policy deciding
 * every sync period from the model's metrics, and returns the per-tick series and their metrics. A
 * tick is the trace step, or the largest divisor of it not above the sync period (a step's requests
 * are then spread evenly).
 */
export type PolicyName = 'hpa' | 'predictive';

export type ReplayOptions = {
  serverRps: number;
  bootSeconds: number;
  drainSeconds: number;
  syncSeconds: number;
  warmupSeconds: number;
  /** The HPA's CPU target, in percent of a server's SLO capacity. */
  hpaTargetUtilization: number;
  /** The CPU target of the predictive mode's reactive floor. */
  floorTargetUtilization: number;
  minServers: number;
  maxServers: number;
  predictive: Partial<typeof DEFAULT_PREDICTIVE>;
};

export type ReplayResult = {
  policy: PolicyName;
  tickSeconds: number;
  metrics: Metrics;
  /** Per tick after the warm-up: demand (servers), ready servers, billed servers. */
  demand: Float64Array;
  supply: Float64Array;
  billed: Float64Array;
  /** A few decisions with their reasons, for the report. */
  sampleReasons: string[];
};

export function tickOf(step: number, sync: number) {
  if (step <= sync) return step;
  for (let d = Math.floor(sync); d >= 1; d--) if (Number.isInteger(step / d)) return d;
  return step;
}

/** One HPA on the model's servers as its metrics API reports them (exported for the shadow's test). */
export class HpaLoop {
  private readonly memory: HpaMemory;
  constructor(
    private readonly o: ReplayOptions,
    private readonly target: number,
    behavior: TReconcileInputs['behavior'],
  ) {
    this.memory = new HpaMemory(o.syncSeconds, behavior);
  }

  decide(spec: number, cluster: ClusterModel) {
    const servers = cluster.metrics().servers;
    const pods: THpaPod[] = new Array(servers.length);
    const values: (number | null)[] = new Array(servers.length);
    servers.forEach((s, i) => {
      // Ready for less than one sync period: its CPU average still covers its idle boot ("hot CPU").
      // The servers the replay starts with never booted: they are not hot.
      const readyFor = s.ageSeconds - this.o.bootSeconds;
      const hotCpu = s.ready && readyFor >= 0 && readyFor < this.o.syncSeconds;
      pods[i] = {
        phase: s.phase,
        ready: s.ready,
        deleting: s.deleting,
        hotCpu,
        requestMilli: s.requestMillis,
      };
      values[i] = s.ready ? s.cpuMillis : null;
    });
    return this.memory.sync({
      specReplicas: spec,
      statusReplicas: servers.length,
      minReplicas: this.o.minServers,
      maxReplicas: this.o.maxServers,
      pods,
      metrics: [cpuMetric(this.target, values)],
    });
  }
}

/** Called every few thousand ticks with the ticks replayed so far and the total. */
export type ReplayProgress = (done: number, total: number) => void;

export function replay(
  trace: Trace,
  policy: PolicyName,
  o: ReplayOptions,
  onProgress?: ReplayProgress,
): ReplayResult {
  const tick = tickOf(trace.stepSeconds, o.syncSeconds);
  const ticksPerStep = Math.round(trace.stepSeconds / tick);
  const syncEvery = Math.max(1, Math.round(o.syncSeconds / tick));
  const perTick = o.serverRps * tick;
  const totalTicks = trace.requests.length * ticksPerStep;
  const first = (trace.requests[0] as number) / ticksPerStep;
  // The model is made with at most SIM_MAX_SERVERS (a start above it is in the discarded warm-up).
  const initialServers = Math.min(
    SIM_MAX_SERVERS,
    o.maxServers,
    Math.max(o.minServers, Math.ceil(first / perTick)),
  );
  const cluster = new ClusterModel(
    ZSimClusterSpec.parse({
      servers: initialServers,
      capacityRps: o.serverRps,
      bootSeconds: o.bootSeconds,
      drainSeconds: o.drainSeconds,
      // CPU is the share of the SLO capacity in use, averaged over one sync period, as the HPA reads it.
      cpuIdleMillis: 0,
      cpuRequestMillis: 1000,
      windowSeconds: Math.max(1, Math.round(o.syncSeconds)),
    }),
  );

  // Kubernetes defaults: default behaviors (5 min scale-down window) for the HPA; the predictive
  // floor reacts without a window because the forecast horizon already covers re-booting.
  const hpa = new HpaLoop(o, o.hpaTargetUtilization, { scaleUp: null, scaleDown: null });
  const floor = new HpaLoop(o, o.floorTargetUtilization, {
    scaleUp: null,
    scaleDown: { stabilizationWindowSeconds: 0 },
  });
  const settings: PredictiveSettings = {
    ...DEFAULT_PREDICTIVE,
    ...o.predictive,
    targetUtilization: o.hpaTargetUtilization / 100,
    bucketSeconds: syncEvery * tick,
    bootSeconds: o.bootSeconds,
    serverRps: o.serverRps,
  };
  const forecaster = new Forecaster(settings);

  const warmup = Math.min(totalTicks - 1, Math.ceil(o.warmupSeconds / tick));
  const kept = totalTicks - warmup;
  const arrivals = new Float64Array(kept);
  const demand = new Float64Array(kept);
  const supply = new Float64Array(kept);
  const billed = new Float64Array(kept);
  const served = new Float64Array(kept);
  const change = new Float64Array(kept);
  const sampleReasons: string[] = [];
  const reasonEvery = Math.max(1, Math.floor(totalTicks / syncEvery / 8));

  let spec = initialServers;
  let windowArrivals = 0;
  let syncs = 0;
  for (let t = 0; t < totalTicks; t++) {
    if (onProgress && t % 4096 === 0) onProgress(t, totalTicks);
    // The trace is already on its grid: each step is a constant rate, as the simulator spreads a trace.
    if (t % ticksPerStep === 0)
      cluster.setLoad({
        type: 'constant',
        rps: (trace.requests[t / ticksPerStep] as number) / trace.stepSeconds,
      });
    const r = cluster.step(tick);
    const lambda = r.arrivals;
    windowArrivals += lambda;
    if (policy === 'predictive') forecaster.observeTick(lambda / tick, tick);
    let delta = 0;
    if ((t + 1) % syncEvery === 0) {
      let next: number;
      let reason: string;
      if (policy === 'hpa') {
        const out = hpa.decide(spec, cluster);
        next = out.desiredReplicas;
        reason = out.reason;
      } else {
        forecaster.observe(windowArrivals / (syncEvery * tick));
        const reactive = floor.decide(spec, cluster).desiredReplicas;
        const d = predictiveDecision(forecaster, reactive, { min: o.minServers, max: o.maxServers });
        next = d.replicas;
        reason = d.reason;
      }
      if (syncs++ % reasonEvery === 0 && sampleReasons.length < 8)
        sampleReasons.push(`t=${((t + 1) * tick).toFixed(0)} s: ${reason}`);
      delta = next - spec;
      if (delta !== 0) cluster.scaleTo(next);
      spec = next;
      windowArrivals = 0;
    }
    const k = t - warmup;
    if (k < 0) continue;
    arrivals[k] = lambda;
    demand[k] = Math.ceil(lambda / perTick - 1e-9);
    supply[k] = r.servingServers;
    billed[k] = r.billedServers;
    // Served now or from the queue later: only refused and failed requests go unserved.
    served[k] = lambda - r.dropped - r.failed;
    change[k] = delta;
  }
  onProgress?.(totalTicks, totalTicks);
  const metrics = computeMetrics({
    stepSeconds: tick,
    perServer: perTick,
    arrivals,
    demand,
    supply,
    billed,
    served,
    change,
  });
  return { policy, tickSeconds: tick, metrics, demand, supply, billed, sampleReasons };
}
