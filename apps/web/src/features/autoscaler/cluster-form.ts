import {
  CLUSTER_NAME_PATTERN,
  type TAutoscalerMode,
  type TCluster,
  type TClusterCreate,
  type TClusterLoad,
  ZClusterCreate,
} from '@clockpilot/contracts/autoscaler';
import { bodyResolver } from '../../app/validate';

export const LOAD_TYPES = ['constant', 'step', 'spike', 'diurnal', 'randomWalk'] as const;
export type LoadType = (typeof LOAD_TYPES)[number];
export const LOAD_LABELS: Record<LoadType, string> = {
  constant: 'Constant',
  step: 'Step',
  spike: 'Spike',
  diurnal: 'Daily wave',
  randomWalk: 'Random walk',
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
  /** Empty: the controller's default window (none for scale-up, 300 s for scale-down). */
  scaleUpWindowSeconds: number | '';
  scaleDownWindowSeconds: number | '';
  load: LoadValues;
  capacityRps: number;
  bootSeconds: number;
};

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
    scaleUpWindowSeconds: c?.behavior?.scaleUp?.stabilizationWindowSeconds ?? '',
    scaleDownWindowSeconds: c?.behavior?.scaleDown?.stabilizationWindowSeconds ?? '',
    load: loadValues(c?.simulation.load),
    capacityRps: c?.simulation.capacityRps ?? 10,
    bootSeconds: c?.simulation.bootSeconds ?? 30,
  };
}

const windowRules = (w: number | '') => (w === '' ? null : { stabilizationWindowSeconds: Number(w) });

/** The request body; the same shape creates and (all fields sent) changes a cluster. */
export function toBody(v: ClusterFormValues): TClusterCreate {
  const up = windowRules(v.scaleUpWindowSeconds);
  const down = windowRules(v.scaleDownWindowSeconds);
  return {
    name: v.name.trim(),
    minServers: v.minServers,
    maxServers: v.maxServers,
    target:
      v.targetType === 'cpu'
        ? { type: 'cpu', utilizationPercent: v.targetValue }
        : { type: 'requestsPerServer', requestsPerSecond: v.targetValue },
    mode: v.mode,
    behavior: up || down ? { scaleUp: up, scaleDown: down } : null,
    simulation: { load: loadBody(v.load), capacityRps: v.capacityRps, bootSeconds: v.bootSeconds },
  };
}

const contractCheck = bodyResolver<ClusterFormValues>(ZClusterCreate, toBody);

/** What the server would refuse, shown before sending: the contract plus the name and bound rules. */
export function validateCluster(v: ClusterFormValues): Record<string, string> {
  const errors = contractCheck(v);
  if (!CLUSTER_NAME_PATTERN.test(v.name.trim())) errors.name = '3 to 50 letters, digits, "-" or "_"';
  if (!errors.minServers && v.minServers < 1) errors.minServers = 'At least 1';
  if (!errors.maxServers && v.maxServers < v.minServers) errors.maxServers = 'At least the minimum';
  if (
    v.targetType === 'cpu' &&
    !errors['target.utilizationPercent'] &&
    (v.targetValue < 1 || v.targetValue > 100)
  )
    errors['target.utilizationPercent'] = 'Between 1 and 100 %';
  return toFormErrors(errors);
}

const RENAMED: Record<string, string> = {
  'target.utilizationPercent': 'targetValue',
  'target.requestsPerSecond': 'targetValue',
  'simulation.capacityRps': 'capacityRps',
  'simulation.bootSeconds': 'bootSeconds',
  'behavior.scaleUp.stabilizationWindowSeconds': 'scaleUpWindowSeconds',
  'behavior.scaleDown.stabilizationWindowSeconds': 'scaleDownWindowSeconds',
};

/** Errors on the body's paths (the contract's or the server's) moved onto the form's fields. */
export function toFormErrors(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors)) {
    const field = RENAMED[path] ?? (path.startsWith('simulation.load') ? 'load.baseRps' : path);
    out[field] ??= message;
  }
  return out;
}
