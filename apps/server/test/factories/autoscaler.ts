import { randomBytes } from 'node:crypto';
import {
  type TCluster,
  type TClusterCreate,
  type TDecideCase,
  ZClusterCreate,
  ZDecideCase,
} from '@clockpilot/contracts';
import { decide } from '../../src/modules/autoscaler/engine/decide';
import { moduleServices, type WithServices } from '../helpers';
import type { TestUser } from './identity';

/** Builders for the table tests: servers and metrics as DECIDE-INPUT.md spells them. */
type PodOpts = {
  phase?: 'Running' | 'Pending' | 'Failed';
  ready?: boolean;
  deleting?: boolean;
  hotCpu?: boolean;
};
export const pod = (o: PodOpts = {}, requestMilli: number | null = 1000) => ({
  phase: o.phase ?? 'Running',
  ready: o.ready ?? true,
  deleting: o.deleting ?? false,
  hotCpu: o.hotCpu ?? false,
  requestMilli,
});
export const pods = (n: number, o: PodOpts = {}) => Array.from({ length: n }, () => pod(o));
/** Servers in the states upstream's controller tests list them in. */
export const readyPod = pod();
export const notReadyPod = pod({ ready: false });
export const hotPod = pod({ hotCpu: true });
export const hotNotReadyPod = pod({ ready: false, hotCpu: true });
export const failedPod = pod({ phase: 'Failed', ready: false });
export const pendingPod = pod({ phase: 'Pending', ready: false });
// Being deleted while still Running and never ready, as upstream lists such pods.
export const deletingPod = pod({ ready: false, deleting: true });
/** Upstream's per-server levels of its scale-down and scale-up cases. */
export const UPSTREAM_LEVELS = [100, 300, 500, 250, 250];
export const UPSTREAM_RISE = [300, 500, 700];
/** The inputs of a `replicaCalc` case, with any further field (tolerance, …). */
export const replicaCalcInputs = (
  currentReplicas: number,
  podList: unknown[],
  metric: unknown,
  extra: Record<string, unknown> = {},
) => ({ currentReplicas, pods: podList, metric, ...extra });
export const cpu = (utilization: number, values: (number | null)[]) => ({
  type: 'Resource',
  resource: 'cpu',
  target: { type: 'Utilization', averageUtilization: utilization },
  podValuesMilli: values,
});
/** Upstream's ContainerResource metric: one container's usage against that container's request. */
export const containerCpu = (utilization: number, values: (number | null)[]) => ({
  ...cpu(utilization, values),
  type: 'ContainerResource',
});
export const podsMetric = (averageValueMilli: number, values: (number | null)[]) => ({
  type: 'Pods',
  target: { type: 'AverageValue', averageValueMilli },
  podValuesMilli: values,
});
export const external = (
  target: { type: 'Value'; valueMilli: number } | { type: 'AverageValue'; averageValueMilli: number },
  valuesMilli: number[],
) => ({
  type: 'External',
  target,
  valuesMilli,
});
export const objectMetric = (valueMilli: number, target: Record<string, unknown>) => ({
  type: 'Object',
  target,
  valueMilli,
});
export const value = (valueMilli: number) => ({ type: 'Value', valueMilli });
export const average = (averageValueMilli: number) => ({ type: 'AverageValue', averageValueMilli });
export const externalValue = (target: number, values: number[]) =>
  external({ type: 'Value', valueMilli: target }, values);
export const externalAverage = (target: number, values: number[]) =>
  external({ type: 'AverageValue', averageValueMilli: target }, values);
export const withRequests = (...requests: number[]) => requests.map((r) => pod({}, r));

/** The controller of Kubernetes' horizontal_test.go: its unit tests set the scale-up factor to 8. */
const UPSTREAM_CONTROLLER = {
  tolerance: 0.1,
  downscaleStabilizationWindowSeconds: 300,
  scaleUpLimitFactor: 8,
  scaleUpLimitMinimum: 4,
};
/**
 * A sync as horizontal_test.go sets one up: min 2, max 6, no behavior, and a `null` history
 * (upstream's unset `recommendations`, a fresh HPA); upstream's empty list is `recommendations: []`.
 */
export const upstreamSync = (
  specReplicas: number,
  podList: unknown[],
  metrics: unknown[],
  extra: Record<string, unknown> = {},
) => ({
  specReplicas,
  statusReplicas: specReplicas,
  minReplicas: 2,
  maxReplicas: 6,
  pods: podList,
  metrics,
  behavior: null,
  recommendations: null,
  controller: UPSTREAM_CONTROLLER,
  ...extra,
});
export const rules = (
  policies: { type: 'Pods' | 'Percent'; value: number; periodSeconds: number }[],
  selectPolicy = 'Max',
) => ({
  stabilizationWindowSeconds: 0,
  selectPolicy,
  policies,
});
/** Upstream's generateScalingRules: a Pods and/or a Percent policy (0 = left out), selectPolicy Max. */
export const scalingRules = (
  pods: number,
  podsPeriod: number,
  percent: number,
  percentPeriod: number,
  window = 0,
) => ({
  ...rules([
    ...(pods ? [{ type: 'Pods' as const, value: pods, periodSeconds: podsPeriod }] : []),
    ...(percent ? [{ type: 'Percent' as const, value: percent, periodSeconds: percentPeriod }] : []),
  ]),
  stabilizationWindowSeconds: window,
});
export const DEFAULT_UP = rules([
  { type: 'Pods', value: 4, periodSeconds: 15 },
  { type: 'Percent', value: 100, periodSeconds: 15 },
]);
export const DEFAULT_DOWN = {
  ...rules([{ type: 'Percent', value: 100, periodSeconds: 15 }]),
  stabilizationWindowSeconds: 300,
};
export const ev = (change: number, ageSeconds: number, outdated = false) => ({
  change,
  ageSeconds,
  outdated,
});
export const rec = (replicas: number, ageSeconds: number) => ({ replicas, ageSeconds });

/** Parses a case through the contract, as the CLI does, and decides it. */
export const run = (kind: string, inputs: Record<string, unknown>) =>
  decide(ZDecideCase.parse({ kind, inputs }) as TDecideCase) as Record<string, unknown>;

export type Row = {
  name: string;
  kind: string;
  inputs: Record<string, unknown>;
  expected: Record<string, unknown>;
};

/** A cluster of `owner`'s through the service (its model is created in the app's simulator). */
export async function createCluster(
  t: WithServices,
  owner: TestUser,
  overrides: Partial<TClusterCreate> = {},
): Promise<TCluster> {
  const input = ZClusterCreate.parse({
    name: `c_${randomBytes(4).toString('hex')}`,
    minServers: 1,
    maxServers: 10,
    target: { type: 'cpu', utilizationPercent: 70 },
    ...overrides,
  });
  return moduleServices(t, 'autoscaler').clusters.create(
    { userId: owner.id, role: owner.role, scopes: ['read', 'write'] },
    input,
    { userId: owner.id },
  );
}
