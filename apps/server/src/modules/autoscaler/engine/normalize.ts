import type { TScalingPolicy, TScalingRules } from '@clockpilot/contracts';
import { MAX_INT32 } from './replica-calc';

/**
 * What the HPA controller does with a metric proposal (horizontal.go): stabilization over the
 * recommendation history, the rate limits of `behavior`, min/max, and the scale-event history.
 * Every list here is a new array; inputs are never changed.
 */

export type Recommendation = { replicas: number; ageSeconds: number };
export type ScaleEvent = { change: number; ageSeconds: number; outdated: boolean };
export type Rules = {
  stabilizationWindowSeconds: number | null;
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  policies: TScalingPolicy[];
  tolerance?: number;
};
export type Condition =
  | 'DesiredWithinRange'
  | 'TooFewReplicas'
  | 'TooManyReplicas'
  | 'ScaleUpLimit'
  | 'ScaleDownLimit';
export type Limited = { replicas: number; condition: Condition };

/** Records `replicas` now: overwrites the last entry that `isOld` says is out of every window, else appends. */
function record(recs: Recommendation[], replicas: number, isOld: (r: Recommendation) => boolean) {
  const out = [...recs];
  let last = -1;
  out.forEach((r, i) => {
    if (isOld(r)) last = i;
  });
  const fresh = { replicas, ageSeconds: 0 };
  if (last >= 0) out[last] = fresh;
  else out.push(fresh);
  return out;
}

/** Section 4.1: scale-down stabilization without behavior (the highest recent recommendation wins). */
export function stabilize(desired: number, recs: Recommendation[], windowSeconds: number) {
  let stabilized = desired;
  for (const r of recs) if (r.ageSeconds < windowSeconds && r.replicas > stabilized) stabilized = r.replicas;
  return { stabilized, recommendations: record(recs, desired, (r) => r.ageSeconds >= windowSeconds) };
}

/** Section 5.2: up only to the lowest recent recommendation, down only to the highest. */
export function stabilizeWithBehavior(
  current: number,
  desired: number,
  recs: Recommendation[],
  upWindow: number,
  downWindow: number,
) {
  let up = desired;
  let down = desired;
  for (const r of recs) {
    if (r.ageSeconds < upWindow) up = Math.min(up, r.replicas);
    if (r.ageSeconds < downWindow) down = Math.max(down, r.replicas);
  }
  let stabilized = current;
  if (stabilized < up) stabilized = up;
  if (stabilized > down) stabilized = down;
  const recommendations = record(
    recs,
    desired,
    (r) => r.ageSeconds >= upWindow && r.ageSeconds >= downWindow,
  );
  return { stabilized, recommendations, direction: desired >= current ? ('up' as const) : ('down' as const) };
}

/** Section 4.2: min/max and the `max(F·C, M)` scale-up cap of an HPA without behavior. */
export function clampNoBehavior(
  current: number,
  desired: number,
  min: number,
  max: number,
  factor: number,
  minimum: number,
): Limited {
  const limit = Math.min(Math.trunc(Math.max(factor * current, minimum)), MAX_INT32);
  const upper = Math.min(max, limit);
  if (desired < min) return { replicas: min, condition: 'TooFewReplicas' };
  if (desired > upper)
    return { replicas: upper, condition: max > limit ? 'ScaleUpLimit' : 'TooManyReplicas' };
  return { replicas: desired, condition: 'DesiredWithinRange' };
}

const changeWithin = (events: ScaleEvent[], periodSeconds: number) =>
  events.reduce((sum, e) => (e.ageSeconds < periodSeconds ? sum + e.change : sum), 0);

/** The count at the start of a policy's period: both directions' recent changes undone. */
const periodStart = (current: number, p: TScalingPolicy, up: ScaleEvent[], down: ScaleEvent[]) =>
  current - changeWithin(up, p.periodSeconds) + changeWithin(down, p.periodSeconds);

/** Section 5.3: the highest count the scale-up policies allow now. */
export function scaleUpLimit(current: number, up: ScaleEvent[], down: ScaleEvent[], rules: Rules): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = periodStart(current, p, up, down);
    return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  if (proposals.length === 0) return rules.selectPolicy === 'Min' ? MAX_INT32 : -MAX_INT32 - 1;
  return rules.selectPolicy === 'Min' ? Math.min(...proposals) : Math.max(...proposals);
}

/** Section 5.3: the lowest count the scale-down policies allow now (Max = the largest change). */
export function scaleDownLimit(current: number, up: ScaleEvent[], down: ScaleEvent[], rules: Rules): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = periodStart(current, p, up, down);
    return p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
  });
  if (proposals.length === 0) return rules.selectPolicy === 'Min' ? -MAX_INT32 - 1 : MAX_INT32;
  return rules.selectPolicy === 'Min' ? Math.max(...proposals) : Math.min(...proposals);
}

/** Section 5.3: the stabilized count limited by the policies and min/max. */
export function behaviorRate(
  current: number,
  desired: number,
  min: number,
  max: number,
  upRules: Rules,
  downRules: Rules,
  up: ScaleEvent[],
  down: ScaleEvent[],
): Limited {
  if (desired > current) {
    const limit = Math.max(scaleUpLimit(current, up, down, upRules), current);
    const upper = Math.min(max, limit);
    if (desired > upper)
      return { replicas: upper, condition: max > limit ? 'ScaleUpLimit' : 'TooManyReplicas' };
  } else if (desired < current) {
    const limit = Math.min(scaleDownLimit(current, up, down, downRules), current);
    const lower = Math.max(min, limit);
    if (desired < lower)
      return { replicas: lower, condition: min < limit ? 'ScaleDownLimit' : 'TooFewReplicas' };
  }
  return { replicas: desired, condition: 'DesiredWithinRange' };
}

/** Section 6: appends a change, reusing the last slot that is older than the longest period. */
export function storeScaleEvent(events: ScaleEvent[], change: number, rules: Rules | null): ScaleEvent[] {
  if (!rules) return events;
  const longest = rules.policies.reduce((m, p) => Math.max(m, p.periodSeconds), 0);
  const out = events.map((e) => ({ ...e, outdated: e.outdated || e.ageSeconds >= longest }));
  let last = -1;
  out.forEach((e, i) => {
    if (e.outdated) last = i;
  });
  const fresh = { change, ageSeconds: 0, outdated: false };
  if (last >= 0) out[last] = fresh;
  else out.push(fresh);
  return out;
}

/** Section 5.1: a direction's rules with Kubernetes' defaults filled in field by field. */
export function resolveRules(
  given: TScalingRules | null,
  direction: 'up' | 'down',
  downscaleWindowSeconds: number,
): Rules {
  const defaults: Rules =
    direction === 'up'
      ? {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [
            { type: 'Pods', value: 4, periodSeconds: 15 },
            { type: 'Percent', value: 100, periodSeconds: 15 },
          ],
        }
      : {
          stabilizationWindowSeconds: downscaleWindowSeconds,
          selectPolicy: 'Max',
          policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
        };
  return {
    stabilizationWindowSeconds: given?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: given?.selectPolicy ?? defaults.selectPolicy,
    policies: given?.policies ?? defaults.policies,
    tolerance: given?.tolerance,
  };
}
