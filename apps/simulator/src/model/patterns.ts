import type { TSimLoadPattern } from '@clockpilot/contracts/simulator';
import { normal, seededRandom } from './random';
import { parseTrace, type Trace } from './trace';

/** Demand over time, `t` in seconds since the pattern was set. */
export type LoadSource = {
  /** Arrival rate (requests per second) at `t`. */
  rateAt(t: number): number;
  /** Requests arriving in [t0, t1): the exact integral of the rate. */
  requests(t0: number, t1: number): number;
};

/**
 * A rate that is constant between change points: `nextChange(t)` is the first time after `t` where it may
 * change. Integrating from change point to change point makes any step length exact.
 */
function piecewise(rateAt: (t: number) => number, nextChange: (t: number) => number): LoadSource {
  return {
    rateAt,
    requests(t0, t1) {
      let sum = 0;
      for (let t = t0; t < t1; ) {
        const end = Math.min(t1, Math.max(nextChange(t), t + 1e-9));
        sum += rateAt(t) * (end - t);
        t = end;
      }
      return sum;
    },
  };
}

const constant = (rps: number) =>
  piecewise(
    () => rps,
    () => Number.POSITIVE_INFINITY,
  );

function diurnal(p: Extract<TSimLoadPattern, { type: 'diurnal' }>): LoadSource {
  const w = (2 * Math.PI) / p.periodSeconds;
  const rateAt = (t: number) => Math.max(0, p.baseRps + p.amplitudeRps * Math.cos(w * (t - p.peakAtSeconds)));
  // Never negative, so the cosine's integral is exact.
  const integral = (t: number) => p.baseRps * t + (p.amplitudeRps / w) * Math.sin(w * (t - p.peakAtSeconds));
  // Clipped at 0 it is not; then integrate numerically in slices of 1/2000 of the period.
  const slice = p.periodSeconds / 2000;
  return {
    rateAt,
    requests(t0, t1) {
      if (p.amplitudeRps <= p.baseRps) return Math.max(0, integral(t1) - integral(t0));
      let sum = 0;
      for (let t = t0; t < t1; t += slice) {
        const end = Math.min(t1, t + slice);
        sum += rateAt((t + end) / 2) * (end - t);
      }
      return sum;
    },
  };
}

function step(p: Extract<TSimLoadPattern, { type: 'step' }>): LoadSource {
  const { steps } = p;
  const indexAt = (t: number) => {
    let i = -1;
    while (i + 1 < steps.length && steps[i + 1]!.atSeconds <= t) i++;
    return i;
  };
  return piecewise(
    (t) => (indexAt(t) < 0 ? p.baseRps : steps[indexAt(t)]!.rps),
    (t) => steps[indexAt(t) + 1]?.atSeconds ?? Number.POSITIVE_INFINITY,
  );
}

function spike(p: Extract<TSimLoadPattern, { type: 'spike' }>): LoadSource {
  const every = p.everySeconds ?? Number.POSITIVE_INFINITY;
  // Position within the current repetition; before the first spike, negative.
  const phase = (t: number) =>
    t < p.atSeconds || every === Number.POSITIVE_INFINITY ? t - p.atSeconds : (t - p.atSeconds) % every;
  return piecewise(
    (t) => {
      const x = phase(t);
      return x >= 0 && x < p.durationSeconds ? p.spikeRps : p.baseRps;
    },
    (t) => {
      const x = phase(t);
      if (x < 0) return p.atSeconds;
      return x < p.durationSeconds ? t - x + p.durationSeconds : t - x + every;
    },
  );
}

function randomWalk(p: Extract<TSimLoadPattern, { type: 'randomWalk' }>, seed: number): LoadSource {
  const random = seededRandom(p.seed ?? seed);
  // Generated in order and kept, so the rate at any time is the same however the walk is read.
  const values = [p.startRps];
  const valueAt = (k: number) => {
    while (values.length <= k) {
      const next = values[values.length - 1]! + normal(random) * p.volatilityRps;
      values.push(Math.min(p.maxRps, Math.max(p.minRps, next)));
    }
    return values[k]!;
  };
  const index = (t: number) => Math.max(0, Math.floor(t / p.stepSeconds + 1e-9));
  return piecewise(
    (t) => valueAt(index(t)),
    (t) => (index(t) + 1) * p.stepSeconds,
  );
}

/** Replays a trace: a step's count spread evenly over the step; 0 after the end unless it loops. */
export function traceLoad(trace: Trace, options: { scale?: number; loop?: boolean } = {}): LoadSource {
  const { stepSeconds, counts } = trace;
  const scale = options.scale ?? 1;
  const index = (t: number) => Math.floor(t / stepSeconds + 1e-9);
  return piecewise(
    (t) => {
      let k = index(t);
      if (k < 0) return 0;
      if (options.loop) k %= counts.length;
      return ((counts[k] ?? 0) * scale) / stepSeconds;
    },
    (t) => (index(t) + 1) * stepSeconds,
  );
}

/** The load source of a pattern; `seed` is the cluster's, used where the pattern names none. */
export function createLoad(pattern: TSimLoadPattern, seed: number): LoadSource {
  switch (pattern.type) {
    case 'constant':
      return constant(pattern.rps);
    case 'diurnal':
      return diurnal(pattern);
    case 'step':
      return step(pattern);
    case 'spike':
      return spike(pattern);
    case 'randomWalk':
      return randomWalk(pattern, seed);
    case 'trace':
      return traceLoad(parseTrace(pattern.csv, pattern.gapFill), pattern);
  }
}
