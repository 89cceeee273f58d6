import type { THpaMetric, THpaPod } from '@clockpilot/contracts';
import { ZControllerSettings, ZReconcileInputs } from '@clockpilot/contracts';
import type { TSimClusterMetrics } from '@clockpilot/contracts/simulator';
import type { ClusterRow, ControllerMemory } from '../autoscaler.tables';
import { type ReconcileResult, reconcile } from '../engine/reconcile';

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
export function hpaView(row: ClusterRow, m: TSimClusterMetrics): { pods: THpaPod[]; metric: THpaMetric } {
  const pods: THpaPod[] = m.servers.map((s) => ({
    phase: s.phase,
    ready: s.ready,
    deleting: s.deleting,
    hotCpu: false,
    requestMilli: s.requestMillis,
  }));
  // A server without a sample (booting) is "missing" to the HPA, as a pod without metrics is.
  const sampled = (v: (s: TSimClusterMetrics['servers'][number]) => number) =>
    m.servers.map((s) => (s.phase === 'Running' && !m.cluster.outage ? v(s) : null));
  const metric: THpaMetric =
    row.target.type === 'cpu'
      ? {
          type: 'Resource',
          resource: 'cpu',
          target: { type: 'Utilization', averageUtilization: row.target.utilizationPercent },
          podValuesMilli: sampled((s) => s.cpuMillis),
        }
      : {
          type: 'Pods',
          target: { type: 'AverageValue', averageValueMilli: row.target.requestsPerSecond * 1000 },
          podValuesMilli: sampled((s) => Math.round(s.requestsPerSecond * 1000)),
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

/** One HPA sync of the cluster, exactly as the engine decides it (KEDA off). */
export function hpaSync(row: ClusterRow, m: TSimClusterMetrics, elapsedSeconds: number) {
  const { pods, metric } = hpaView(row, m);
  const input = ZReconcileInputs.parse({
    specReplicas: row.desiredServers,
    statusReplicas: m.servers.length,
    minReplicas: row.minServers,
    maxReplicas: row.maxServers,
    pods,
    metrics: [metric],
    behavior: row.behavior,
    ...aged(row.controller, elapsedSeconds),
    controller: CONTROLLER,
  });
  const result = reconcile(input);
  const memory: ControllerMemory = {
    recommendations: result.recommendations,
    scaleUpEvents: result.scaleUpEvents,
    scaleDownEvents: result.scaleDownEvents,
    failedReads: 0,
  };
  return { result, memory };
}

/** What limited the HPA's answer, from its conditions. */
export function limitOf(r: ReconcileResult): LimitedBy {
  const limited = r.conditions.ScalingLimited;
  if (limited.status)
    return limited.reason === 'ScaleUpLimit' || limited.reason === 'ScaleDownLimit' ? 'rateLimit' : 'bounds';
  return r.conditions.AbleToScale.reason.endsWith('Stabilized') ? 'stabilization' : 'metric';
}
