import type { THpaMetric, THpaPod } from '@clockpilot/contracts';
import {
  type TReconcileInputs,
  ZBehavior,
  ZControllerSettings,
  ZReconcileInputs,
} from '@clockpilot/contracts';
import type { ControllerMemory } from '../autoscaler.tables';
import { fallbackReplicas, reconcileKeda } from '../engine/keda';
import { type ReconcileResult, reconcile } from '../engine/reconcile';
import { type ClusterMetrics, SERVER, serverCount } from '../simulator-client';
import type { TickRow } from './events.repo';

const CONTROLLER = ZControllerSettings.parse({});

/** Why the applied count is what it is, for the event and the dashboard. */
export type LimitedBy =
  | 'metric'
  | 'stabilization'
  | 'rateLimit'
  | 'bounds'
  | 'forecast'
  | 'breakerOpen'
  | 'simulatorError';

/** The servers as the HPA sees its pods, and the cluster's target as its one metric. */
export function hpaView(row: TickRow, m: ClusterMetrics): { pods: THpaPod[]; metric: THpaMetric } {
  const cpu = row.target.type === 'cpu';
  const pods: THpaPod[] = [];
  const podValuesMilli: (number | null)[] = [];
  // One pass over the servers: a server without a sample (booting) is "missing" to the HPA, as a pod
  // without metrics is.
  const s = m.servers;
  for (let i = 0; i < s.length; i += SERVER.width) {
    const running = s[i + SERVER.running] === 1;
    pods.push({
      phase: running ? 'Running' : 'Pending',
      ready: s[i + SERVER.ready] === 1,
      deleting: s[i + SERVER.deleting] === 1,
      hotCpu: false,
      requestMilli: s[i + SERVER.requestMillis] as number,
    });
    const sampled = running && !m.cluster.outage;
    podValuesMilli.push(
      !sampled
        ? null
        : cpu
          ? (s[i + SERVER.cpuMillis] as number)
          : Math.round((s[i + SERVER.requestsPerSecond] as number) * 1000),
    );
  }
  const metric: THpaMetric =
    row.target.type === 'cpu'
      ? {
          type: 'Resource',
          resource: 'cpu',
          target: { type: 'Utilization', averageUtilization: row.target.utilizationPercent },
          podValuesMilli,
        }
      : {
          type: 'Pods',
          target: { type: 'AverageValue', averageValueMilli: row.target.requestsPerSecond * 1000 },
          podValuesMilli,
        };
  return { pods, metric };
}

/** The memory of the last sync, its ages moved on by the seconds since. */
function aged(mem: ControllerMemory, seconds: number) {
  const age = <T extends { ageSeconds: number }>(xs: T[] | null | undefined) =>
    xs?.map((x) => ({ ...x, ageSeconds: x.ageSeconds + seconds }));
  return {
    recommendations: age(mem.recommendations) ?? null,
    scaleUpEvents: age(mem.scaleUpEvents) ?? [],
    scaleDownEvents: age(mem.scaleDownEvents) ?? [],
  };
}

/** The memory a sync leaves for the next one. */
const memoryOf = (r: ReconcileResult, failedReads: number): ControllerMemory => ({
  recommendations: r.recommendations,
  scaleUpEvents: r.scaleUpEvents,
  scaleDownEvents: r.scaleDownEvents,
  failedReads,
});

/** The engine's inputs for one sync of the cluster, its memory aged by the seconds since the last. */
const inputsOf = (
  row: TickRow,
  elapsedSeconds: number,
  read: { statusReplicas: number; pods: THpaPod[]; metrics: THpaMetric[] },
  keda?: unknown,
) =>
  ZReconcileInputs.parse({
    specReplicas: row.desiredServers,
    minReplicas: row.minServers,
    maxReplicas: row.maxServers,
    behavior: row.behavior,
    ...read,
    ...aged(row.controller, elapsedSeconds),
    controller: CONTROLLER,
    keda,
  });

/**
 * One HPA sync of the cluster, exactly as the engine decides it (KEDA off). Its inputs are built
 * whole rather than parsed: each part was checked where it came from (the metrics by the simulator
 * client's check of each line, the rules when the cluster was saved, the memory by the engine that wrote it), and a parse
 * per cluster and tick was the loop's largest cost after serialisation.
 */
export function hpaSync(row: TickRow, m: ClusterMetrics, elapsedSeconds: number) {
  const { pods, metric } = hpaView(row, m);
  const input: TReconcileInputs = {
    specReplicas: row.desiredServers,
    statusReplicas: serverCount(m),
    minReplicas: row.minServers,
    maxReplicas: row.maxServers,
    behavior: row.behavior ? ZBehavior.parse(row.behavior) : null,
    pods,
    metrics: [metric],
    ...aged(row.controller, elapsedSeconds),
    controller: CONTROLLER,
  };
  const result = reconcile(input);
  return { result, memory: memoryOf(result, 0), input };
}

/** The utilization the predictive mode's reactive floor holds servers to (the cluster's target if looser). */
export const FLOOR_UTILIZATION = 0.9;

/** A server's share of its capacity the cluster's target asks for: the headroom the forecast keeps. */
export function targetShare(row: TickRow) {
  const share =
    row.target.type === 'cpu'
      ? row.target.utilizationPercent / 100
      : row.target.requestsPerSecond / row.simulation.capacityRps;
  return Math.min(1, share);
}

/**
 * The predictive mode's reactive floor: the HPA engine on the same servers, at 90 % of their
 * capacity (or the cluster's target when that is looser), without a scale-down window and without
 * memory, so a surprise is answered as the HPA would while the forecast decides the rest. It is the
 * floor `clockpilot autoscaler evaluate` measures (`--floor-target`). It reads the servers as the
 * cluster's own sync read them (`hpaSync`'s input).
 */
export function floorSync(row: TickRow, hpaInput: TReconcileInputs) {
  const metric = hpaInput.metrics[0] as THpaMetric;
  const share = Math.max(FLOOR_UTILIZATION, targetShare(row));
  const target: THpaMetric['target'] =
    metric.type === 'Resource'
      ? { type: 'Utilization', averageUtilization: Math.round(share * 100) }
      : { type: 'AverageValue', averageValueMilli: Math.round(share * row.simulation.capacityRps * 1000) };
  return reconcile({
    ...hpaInput,
    behavior: { scaleUp: null, scaleDown: { stabilizationWindowSeconds: 0 } },
    metrics: [{ ...metric, target } as THpaMetric],
    recommendations: null,
    scaleUpEvents: [],
    scaleDownEvents: [],
  });
}

/**
 * KEDA's fallback while the metrics cannot be read: from the (threshold + 1)-th failed read in a row,
 * the metric reports `target × fallback count` as a synthetic AverageValue, so that the HPA's
 * stabilization, rate limits and min/max still apply. The breaker stands for KEDA's scaler here, so the
 * fallback covers CPU targets too (KEDA leaves CPU to metrics-server). Null while no fallback applies.
 */
export function fallbackSync(row: TickRow, failedReads: number, elapsedSeconds: number) {
  const fallback = row.fallback;
  if (!fallback || failedReads <= fallback.failureThreshold) return null;
  const unread: THpaMetric = {
    type: 'External',
    target: { type: 'AverageValue', averageValueMilli: 1000 },
    fetchError: true,
  };
  // Nothing was read: the servers last asked for stand for the status count.
  const input = inputsOf(
    row,
    elapsedSeconds,
    { statusReplicas: row.desiredServers, pods: [], metrics: [unread] },
    { minReplicaCount: row.minServers, failureCounts: [failedReads - 1], fallback },
  );
  const result = reconcileKeda(input);
  return {
    result,
    memory: memoryOf(result, failedReads),
    fallback,
    replicas: fallbackReplicas(row.desiredServers, fallback),
  };
}

/** What limited the HPA's answer, from its conditions. */
export function limitOf(r: ReconcileResult): LimitedBy {
  const limited = r.conditions.ScalingLimited;
  if (limited.status)
    return limited.reason === 'ScaleUpLimit' || limited.reason === 'ScaleDownLimit' ? 'rateLimit' : 'bounds';
  return r.conditions.AbleToScale.reason.endsWith('Stabilized') ? 'stabilization' : 'metric';
}
