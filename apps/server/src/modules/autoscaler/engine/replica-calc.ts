import type { THpaMetric, THpaPod } from '@clockpilot/contracts';

/**
 * The proposal of one metric, as Kubernetes' replica calculator makes it
 * (pkg/controller/podautoscaler/replica_calculator.go): pod classes, integer utilization, the
 * tolerance band and the assumptions about missing and unready pods.
 */

export const MAX_INT32 = 2 ** 31 - 1;

export type Tolerances = { scaleUp: number; scaleDown: number };
export type CalcSettings = {
  currentReplicas: number;
  statusReplicas: number;
  tolerance: Tolerances;
  cpuInitializationPeriodSeconds: number;
  delayOfInitialReadinessStatusSeconds: number;
};
export type Proposal = { replicas: number; usage: number; reason: string } | { error: string };

export const tolerancesOf = (t: number | Tolerances): Tolerances =>
  typeof t === 'number' ? { scaleUp: t, scaleDown: t } : t;

/** Inclusive band [1 − down, 1 + up]; NaN is never within. */
export const within = (ratio: number, t: Tolerances) => 1 - t.scaleDown <= ratio && ratio <= 1 + t.scaleUp;

const capInt32 = (n: number) => Math.min(n, MAX_INT32);
const NO_PODS = 'no pods returned by selector while calculating replica count';
const NO_KNOWN_PODS = 'no metrics returned matched known pods';

type PodClass = 'ignored' | 'unready' | 'missing' | 'ready';

/** Section 2.1: each pod lands in exactly one class, checked in this order. */
function classify(pod: THpaPod, hasSample: boolean, cpu: boolean, s: CalcSettings): PodClass {
  if (pod.deleting || pod.phase === 'Failed') return 'ignored';
  if (pod.phase === 'Pending') return 'unready';
  if (!hasSample) return 'missing';
  if (cpu && cpuUnready(pod, s)) return 'unready';
  return 'ready';
}

function cpuUnready(pod: THpaPod, s: CalcSettings): boolean {
  const t = pod.timing;
  if (!t) return !pod.ready || pod.hotCpu;
  if (t.startedAgeSeconds >= s.cpuInitializationPeriodSeconds) {
    // Initialized: a pod that was ready once and is not now still counts as ready for CPU.
    const neverReady =
      t.startedAgeSeconds - s.delayOfInitialReadinessStatusSeconds < t.readyTransitionAgeSeconds;
    return !pod.ready && neverReady;
  }
  // Initializing: needs a sample taken a full window after it became ready.
  return !pod.ready || t.readyTransitionAgeSeconds - t.sampleAgeSeconds < t.sampleWindowSeconds;
}

type Sample = { pod: number; value: number };

/** Section 2.2, Utilization: integer percent of summed usage over summed requests. */
function utilizationOf(set: Sample[], pods: THpaPod[]): number | undefined {
  let usage = 0;
  let requests = 0;
  for (const s of set) {
    const pod = pods[s.pod];
    if (!pod) continue; // a sample of a server not in the list has no request
    usage += s.value;
    requests += pod.requestMilli ?? 0;
  }
  if (requests === 0) return undefined;
  return Math.floor((usage * 100) / requests);
}

const averageOf = (set: Sample[]) => Math.floor(set.reduce((a, s) => a + s.value, 0) / set.length);

/** Sections 2.1–2.4: Resource, ContainerResource and Pods metrics. */
function perPodProposal(metric: THpaMetric, pods: THpaPod[], s: CalcSettings): Proposal {
  const target = metric.target;
  if (target.type === 'Value') return { error: `a ${metric.type} metric takes no Value target` };
  const utilizationTarget = target.type === 'Utilization' ? target.averageUtilization : undefined;
  const isResource = metric.type === 'Resource' || metric.type === 'ContainerResource';
  if (utilizationTarget !== undefined && !isResource)
    return { error: 'Utilization targets need a Resource metric' };
  const cpu = isResource && (metric.resource ?? 'cpu') === 'cpu';
  const values = metric.podValuesMilli ?? [];
  // The errors in upstream's order and words: metrics, then pods, then their requests.
  if (values.every((v) => v === null || v === undefined))
    return { error: `no metrics returned from ${isResource ? 'resource' : 'custom'} metrics API` };
  if (pods.length === 0) return { error: NO_PODS };

  const set: Sample[] = [];
  const missing: number[] = [];
  const unready: number[] = [];
  let readyCount = 0;
  pods.forEach((pod, i) => {
    const v = values[i];
    const cls = classify(pod, v !== null && v !== undefined, cpu, s);
    if (cls === 'missing') missing.push(i);
    else if (cls === 'unready') unready.push(i);
    else if (cls === 'ready') {
      readyCount++;
      set.push({ pod: i, value: v as number });
    }
  });
  for (let i = pods.length; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) set.push({ pod: i, value: v });
  }
  if (set.length === 0) return { error: 'did not receive metrics for targeted pods (pods might be unready)' };
  if (utilizationTarget !== undefined && pods.some((p) => p.requestMilli === null))
    return { error: `missing request for ${metric.resource ?? 'the resource'}` };

  const ratioOf = (samples: Sample[]) => {
    if (utilizationTarget === undefined) {
      const avg = averageOf(samples);
      return { ratio: avg / (target as { averageValueMilli: number }).averageValueMilli, usage: avg };
    }
    const u = utilizationOf(samples, pods);
    return u === undefined ? undefined : { ratio: u / utilizationTarget, usage: u };
  };
  const first = ratioOf(set);
  if (!first) return { error: NO_KNOWN_PODS };
  const { ratio, usage } = first;
  const C = s.currentReplicas;

  const upWithUnready = unready.length > 0 && ratio > 1;
  if (!upWithUnready && missing.length === 0) {
    if (within(ratio, s.tolerance)) return { replicas: C, usage, reason: 'within tolerance' };
    return { replicas: capInt32(Math.ceil(ratio * readyCount)), usage, reason: `ratio ${fmt(ratio)}` };
  }

  // Section 2.4 step 3: assume the least favourable values for the pods we know nothing about.
  const filled = [...set];
  if (ratio < 1) {
    for (const i of missing) {
      const request = pods[i]?.requestMilli ?? 0;
      const assumed =
        utilizationTarget === undefined
          ? (target as { averageValueMilli: number }).averageValueMilli
          : Math.floor((request * Math.max(100, utilizationTarget)) / 100);
      filled.push({ pod: i, value: assumed });
    }
  } else if (ratio > 1) {
    for (const i of missing) filled.push({ pod: i, value: 0 });
  }
  if (upWithUnready) for (const i of unready) filled.push({ pod: i, value: 0 });
  const second = ratioOf(filled);
  if (!second) return { error: NO_KNOWN_PODS };
  const r2 = second.ratio;
  if (within(r2, s.tolerance) || (ratio < 1 && r2 > 1) || (ratio > 1 && r2 < 1))
    return { replicas: C, usage, reason: 'within tolerance once missing/unready pods are assumed' };
  const n = capInt32(Math.ceil(r2 * filled.length));
  if ((r2 < 1 && n > C) || (r2 > 1 && n < C))
    return { replicas: C, usage, reason: 'assumed pods reverse the direction' };
  return { replicas: n, usage, reason: `ratio ${fmt(r2)} with missing/unready pods assumed` };
}

/** Sections 2.5–2.6: one value for the whole cluster (Object) or the sum of a series (External). */
function wholeProposal(metric: THpaMetric, pods: THpaPod[], s: CalcSettings): Proposal {
  // An empty series is an answer without metrics: upstream's client errs rather than sum nothing.
  if (metric.type === 'External' && metric.valuesMilli?.length === 0)
    return { error: 'no metrics returned from external metrics API' };
  const usage =
    metric.type === 'Object'
      ? metric.valueMilli
      : (metric.valuesMilli ?? (metric.valueMilli === undefined ? undefined : [metric.valueMilli]))?.reduce(
          (a, b) => a + b,
          0,
        );
  if (usage === undefined) return { error: `no value returned for the ${metric.type} metric` };
  const target = metric.target;
  if (target.type === 'Utilization') return { error: `a ${metric.type} metric takes no Utilization target` };
  if (target.type === 'AverageValue') {
    const S = s.statusReplicas;
    const ratio = usage / (target.averageValueMilli * S);
    const replicas = within(ratio, s.tolerance) ? S : capInt32(Math.ceil(usage / target.averageValueMilli));
    return { replicas, usage: Math.ceil(usage / S), reason: `ratio ${fmt(ratio)} of ${S} servers` };
  }
  const ratio = usage / target.valueMilli;
  if (s.currentReplicas === 0)
    return { replicas: capInt32(Math.ceil(ratio)), usage, reason: `scale from zero, ratio ${fmt(ratio)}` };
  if (within(ratio, s.tolerance)) return { replicas: s.currentReplicas, usage, reason: 'within tolerance' };
  if (pods.length === 0) return { error: NO_PODS };
  const readyPods = pods.filter((p) => p.phase === 'Running' && p.ready).length;
  return { replicas: capInt32(Math.ceil(ratio * readyPods)), usage, reason: `ratio ${fmt(ratio)}` };
}

/** The proposal of one metric, or why it has none (section 2.7). */
export function proposeForMetric(metric: THpaMetric, pods: THpaPod[], s: CalcSettings): Proposal {
  if (metric.fetchError) return { error: `reading the ${metric.type} metric failed` };
  if (metric.type === 'Object' || metric.type === 'External') return wholeProposal(metric, pods, s);
  return perPodProposal(metric, pods, s);
}

export const fmt = (n: number) => (Number.isFinite(n) ? Number(n.toFixed(3)).toString() : String(n));
