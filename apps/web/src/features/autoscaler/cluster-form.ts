import {
  CLUSTER_NAME_PATTERN,
  type TAutoscalerMode,
  type TCluster,
  type TClusterCreate,
  type TClusterLoad,
  ZClusterCreate,
} from '@clockpilot/contracts/autoscaler';
import {
  HPA_DEFAULT_RULES,
  type TBehavior,
  type TScalingPolicy,
  type TScalingRules,
} from '@clockpilot/contracts/autoscaler-decide';
import { type MessageKey, t } from '../../app/i18n';
import { bodyResolver } from '../../app/validate';

export const LOAD_TYPES = ['constant', 'step', 'spike', 'diurnal', 'randomWalk'] as const;
export type LoadType = (typeof LOAD_TYPES)[number];
export const LOAD_LABELS: Record<LoadType, MessageKey> = {
  constant: 'autoscaler.load.constant',
  step: 'autoscaler.load.step',
  spike: 'autoscaler.load.spike',
  diurnal: 'autoscaler.load.diurnal',
  randomWalk: 'autoscaler.load.randomWalk',
};

/**
 * The load pattern as a few plain fields: `baseRps` is the constant, base or starting rate, `peakRps`
 * the step's, spike's, wave's amplitude or the walk's ceiling; times are simulated seconds.
 */
export type LoadValues = {
  type: LoadType;
  baseRps: number;
  peakRps: number;
  atSeconds: number;
  durationSeconds: number;
  periodSeconds: number;
};

export type ClusterFormValues = {
  name: string;
  minServers: number;
  maxServers: number;
  targetType: 'cpu' | 'requestsPerServer';
  targetValue: number;
  mode: TAutoscalerMode;
  behavior: BehaviorValues;
  load: LoadValues;
  capacityRps: number;
  bootSeconds: number;
};

export const DIRECTIONS = ['scaleUp', 'scaleDown'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const SELECT_POLICIES = ['Max', 'Min', 'Disabled'] as const;

/** One rate-limit policy as typed; an emptied number stays '' until the check refuses it. */
export type PolicyValues = { type: TScalingPolicy['type']; value: number | ''; periodSeconds: number | '' };
/** A direction's rules, named as in the body so the server's field paths land on the inputs. */
export type RulesValues = {
  /** Empty: Kubernetes' default window (0 s up, the controller's 300 s down). */
  stabilizationWindowSeconds: number | '';
  selectPolicy: (typeof SELECT_POLICIES)[number];
  policies: PolicyValues[];
};
/** `enabled` off sends `behavior: null`: the controller's rules without a behavior section. */
export type BehaviorValues = { enabled: boolean } & Record<Direction, RulesValues>;

export const defaultPolicy = (d: Direction): PolicyValues => ({ ...HPA_DEFAULT_RULES[d].policies[0] });

/** A direction's rules as the form shows them: what is set, Kubernetes' default for the rest. */
function rulesValues(d: Direction, given: TScalingRules | null | undefined): RulesValues {
  const defaults = HPA_DEFAULT_RULES[d];
  return {
    stabilizationWindowSeconds:
      given?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds ?? '',
    selectPolicy: given?.selectPolicy ?? defaults.selectPolicy,
    policies: (given?.policies ?? defaults.policies).map((p) => ({ ...p })),
  };
}

export function behaviorValues(b: TBehavior | null | undefined): BehaviorValues {
  return {
    enabled: !!b,
    scaleUp: rulesValues('scaleUp', b?.scaleUp),
    scaleDown: rulesValues('scaleDown', b?.scaleDown),
  };
}

function rulesBody(r: RulesValues): TScalingRules {
  return {
    stabilizationWindowSeconds: r.stabilizationWindowSeconds === '' ? null : r.stabilizationWindowSeconds,
    selectPolicy: r.selectPolicy,
    // An emptied number is sent as NaN, which the contract refuses on that very field.
    policies: r.policies.map((p) => ({
      type: p.type,
      value: p.value === '' ? Number.NaN : p.value,
      periodSeconds: p.periodSeconds === '' ? Number.NaN : p.periodSeconds,
    })),
  };
}

export const behaviorBody = (b: BehaviorValues): TBehavior | null =>
  b.enabled ? { scaleUp: rulesBody(b.scaleUp), scaleDown: rulesBody(b.scaleDown) } : null;

export function loadBody(l: LoadValues): TClusterLoad {
  switch (l.type) {
    case 'constant':
      return { type: 'constant', rps: l.baseRps };
    case 'step':
      return { type: 'step', baseRps: l.baseRps, steps: [{ atSeconds: l.atSeconds, rps: l.peakRps }] };
    case 'spike':
      return {
        type: 'spike',
        baseRps: l.baseRps,
        spikeRps: l.peakRps,
        atSeconds: l.atSeconds,
        durationSeconds: l.durationSeconds,
      };
    case 'diurnal':
      return {
        type: 'diurnal',
        baseRps: l.baseRps,
        amplitudeRps: l.peakRps,
        periodSeconds: l.periodSeconds,
        peakAtSeconds: l.atSeconds,
      };
    case 'randomWalk':
      return {
        type: 'randomWalk',
        startRps: l.baseRps,
        minRps: 0,
        maxRps: l.peakRps,
        volatilityRps: Math.max(1, l.peakRps / 20),
        stepSeconds: 10,
      };
  }
}

export function loadValues(load: TClusterLoad | undefined): LoadValues {
  const v: LoadValues = {
    type: 'constant',
    baseRps: 0,
    peakRps: 100,
    atSeconds: 60,
    durationSeconds: 60,
    periodSeconds: 86400,
  };
  if (!load) return v;
  switch (load.type) {
    case 'constant':
      return { ...v, baseRps: load.rps };
    case 'step':
      return {
        ...v,
        type: 'step',
        baseRps: load.baseRps,
        peakRps: load.steps[0]?.rps ?? 0,
        atSeconds: load.steps[0]?.atSeconds ?? 0,
      };
    case 'spike':
      return {
        ...v,
        type: 'spike',
        baseRps: load.baseRps,
        peakRps: load.spikeRps,
        atSeconds: load.atSeconds,
        durationSeconds: load.durationSeconds,
      };
    case 'diurnal':
      return {
        ...v,
        type: 'diurnal',
        baseRps: load.baseRps,
        peakRps: load.amplitudeRps,
        periodSeconds: load.periodSeconds ?? 86400,
        atSeconds: load.peakAtSeconds ?? 0,
      };
    case 'randomWalk':
      return { ...v, type: 'randomWalk', baseRps: load.startRps, peakRps: load.maxRps };
  }
}

export function initialValues(c?: TCluster): ClusterFormValues {
  return {
    name: c?.name ?? '',
    minServers: c?.minServers ?? 1,
    maxServers: c?.maxServers ?? 10,
    targetType: c?.target.type ?? 'cpu',
    targetValue: !c ? 70 : c.target.type === 'cpu' ? c.target.utilizationPercent : c.target.requestsPerSecond,
    mode: c?.mode ?? 'hpa',
    behavior: behaviorValues(c?.behavior),
    load: loadValues(c?.simulation.load),
    capacityRps: c?.simulation.capacityRps ?? 10,
    bootSeconds: c?.simulation.bootSeconds ?? 30,
  };
}

/** The request body; the same shape creates and (all fields sent) changes a cluster. */
export function toBody(v: ClusterFormValues): TClusterCreate {
  return {
    name: v.name.trim(),
    minServers: v.minServers,
    maxServers: v.maxServers,
    target:
      v.targetType === 'cpu'
        ? { type: 'cpu', utilizationPercent: v.targetValue }
        : { type: 'requestsPerServer', requestsPerSecond: v.targetValue },
    mode: v.mode,
    behavior: behaviorBody(v.behavior),
    simulation: { load: loadBody(v.load), capacityRps: v.capacityRps, bootSeconds: v.bootSeconds },
  };
}

const contractCheck = bodyResolver<ClusterFormValues>(ZClusterCreate, toBody);

/** What the server would refuse, shown before sending: the contract plus the name and bound rules. */
export function validateCluster(v: ClusterFormValues): Record<string, string> {
  const errors = contractCheck(v);
  if (!CLUSTER_NAME_PATTERN.test(v.name.trim())) errors.name = t('autoscaler.nameRule');
  if (!errors.minServers && v.minServers < 1) errors.minServers = t('autoscaler.atLeastOne');
  if (!errors.maxServers && v.maxServers < v.minServers) errors.maxServers = t('autoscaler.atLeastMinimum');
  if (
    v.targetType === 'cpu' &&
    !errors['target.utilizationPercent'] &&
    (v.targetValue < 1 || v.targetValue > 100)
  )
    errors['target.utilizationPercent'] = t('autoscaler.cpuRange');
  // Kubernetes discards rules without a policy; the server refuses them too.
  if (v.behavior.enabled)
    for (const d of DIRECTIONS)
      if (v.behavior[d].policies.length === 0)
        errors[`behavior.${d}.policies`] = t('autoscaler.policyRequired');
  return toFormErrors(errors);
}

const RENAMED: Record<string, string> = {
  'target.utilizationPercent': 'targetValue',
  'target.requestsPerSecond': 'targetValue',
  'simulation.capacityRps': 'capacityRps',
  'simulation.bootSeconds': 'bootSeconds',
};

/**
 * Errors on the body's paths (the contract's or the server's) moved onto the form's fields; the
 * behavior's fields are named as in the body and keep their paths.
 */
export function toFormErrors(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors)) {
    const field = RENAMED[path] ?? (path.startsWith('simulation.load') ? 'load.baseRps' : path);
    out[field] ??= message;
  }
  return out;
}
