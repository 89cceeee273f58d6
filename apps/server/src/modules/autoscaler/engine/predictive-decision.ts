import { type Choice, describeRule, type ForecastRule } from './ensemble';
import type { Forecast, Forecaster } from './predictive';

export type PredictiveDecision = {
  replicas: number;
  reason: string;
  figures: {
    peakForecastRps: number;
    horizonSeconds: number;
    /** The provisioning rule followed (ensemble.ts), and its scores as multiples of the HPA shadow's. */
    rule: string;
    ruleMissesVsHpa: number | null;
    ruleCostVsHpa: number | null;
    /** The servers the mode asked for, as a multiple of the HPA shadow's (its budget's use). */
    spentVsHpa: number | null;
    /** The forecast rule's noise margin, its coverage and the rate it covers (null for a quantile rule). */
    margin: number | null;
    coverage: number | null;
    coveredRps: number | null;
    levelShift: boolean;
    forecastReplicas: number;
    floorReplicas: number;
    level: number;
    trend: number;
    daily: number | null;
    weekly: number | null;
  };
};

/** Why the rule followed is the one: its scores against the HPA shadow, once they count. */
function scores(c: Choice) {
  if (c.missesVsHpa === null || c.costVsHpa === null || c.spentVsHpa === null) return '';
  const r = (n: number) => Number(n.toFixed(2));
  return ` (the rule that would have missed ${r(c.missesVsHpa)}× the HPA's seconds at ${r(c.costVsHpa)}× its servers; asked for ${r(c.spentVsHpa)}× so far)`;
}

/**
 * The servers to ask for now: enough for the peak forecast from now until a server asked for at
 * the next sync could be ready (a server released now cannot come back sooner), and at least the
 * reactive floor.
 */
export function predictiveDecision(
  f: Forecaster,
  floorReplicas: number,
  bounds: { min: number; max: number },
): PredictiveDecision {
  const horizon = f.lead + 1;
  let peak: Forecast = f.forecast(0);
  for (let h = 1; h <= horizon; h++) {
    const fc = f.forecast(h);
    if (fc.rate > peak.rate) peak = fc;
  }
  const coverOf = (rule: ForecastRule) => f.cover(peak.rate, rule.utilization, rule.coverageWorth);
  const decided = f.ensemble.decide(
    (rule) => {
      // Requests arrive whole: capacity for a fraction of one more request per tick covers no more ticks.
      const wholePerTick = Math.floor(coverOf(rule).rps * f.tick + 1e-9);
      return Math.ceil(wholePerTick / (f.s.serverRps * f.tick) - 1e-9);
    },
    floorReplicas,
    bounds.min,
    bounds.max,
  );
  const { choice, replicas, ruleServers: forecastReplicas } = decided;
  const rule = choice.rule;
  const cover = rule.kind === 'forecast' ? coverOf(rule) : undefined;
  const r = (n: number) => Number(n.toFixed(3));
  const season =
    peak.daily === null
      ? `trend ${r(peak.trend)}/bucket`
      : `daily ${r(peak.daily)}${peak.weekly === null ? '' : `, weekly ${r(peak.weekly)}`}`;
  const shift = f.shifted ? '; level moved to the last bucket' : '';
  const forecast = `peak forecast ${r(peak.rate)} req/s within ${horizon * f.s.bucketSeconds} s (level ${r(peak.level)}, ${season}${shift})`;
  const how =
    rule.kind !== 'forecast' || !cover
      ? `${describeRule(rule, f.s.bucketSeconds)} = ${forecastReplicas}`
      : `${
          cover.rps > peak.rate / rule.utilization
            ? `+ ${r(cover.margin)} noise deviations (covering ${r(cover.coverage * 100)} % of ticks)`
            : `at ${r(rule.utilization * 100)} % utilization`
        } = ${r(cover.rps)} req/s, / ${f.s.serverRps} req/s per server${
          rule.holdBuckets > f.lead ? `, held ${r((rule.holdBuckets * f.s.bucketSeconds) / 60)} min` : ''
        } = ${forecastReplicas}`;
  const why = `${forecast}; ${how}${scores(choice)}`;
  const limit =
    replicas === forecastReplicas
      ? ''
      : replicas === floorReplicas
        ? `; reactive floor ${floorReplicas}`
        : `; bounds [${bounds.min}, ${bounds.max}]`;
  return {
    replicas,
    reason: `${why}${limit} → ${replicas} servers`,
    figures: {
      peakForecastRps: peak.rate,
      horizonSeconds: horizon * f.s.bucketSeconds,
      rule: describeRule(rule, f.s.bucketSeconds),
      ruleMissesVsHpa: choice.missesVsHpa,
      ruleCostVsHpa: choice.costVsHpa,
      spentVsHpa: choice.spentVsHpa,
      margin: cover?.margin ?? null,
      coverage: cover?.coverage ?? null,
      coveredRps: cover?.rps ?? null,
      levelShift: f.shifted,
      forecastReplicas,
      floorReplicas,
      level: peak.level,
      trend: peak.trend,
      daily: peak.daily,
      weekly: peak.weekly,
    },
  };
}
