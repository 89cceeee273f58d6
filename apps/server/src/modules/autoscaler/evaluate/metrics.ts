/**
 * The figures of EVALUATION-METRICS.md from per-step series. Demand is the integer variant
 * `d = ceil(λ / μ)`; the ε of the relative accuracies is one server, so that steps without any
 * request do not divide by (nearly) zero.
 */
export type StepSeries = {
  stepSeconds: number;
  /** Requests one server serves per step. */
  perServer: number;
  arrivals: ArrayLike<number>;
  demand: ArrayLike<number>;
  /** Servers ready and serving. */
  supply: ArrayLike<number>;
  /** Servers that exist (ready, booting, draining). */
  billed: ArrayLike<number>;
  served: ArrayLike<number>;
  /** The size of the change of the desired count decided in the step (0 = none). */
  change: ArrayLike<number>;
};

export type Metrics = ReturnType<typeof computeMetrics>;

const pct = (x: number) => Number((x * 100).toFixed(4));
const round = (x: number, d = 4) => Number(x.toFixed(d));

function quantile(sorted: number[], q: number) {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

export function computeMetrics(x: StepSeries) {
  const n = x.demand.length;
  const dt = x.stepSeconds;
  const hours = (n * dt) / 3600;
  let under = 0;
  let over = 0;
  let underSteps = 0;
  let overSteps = 0;
  let missing = 0;
  let surplus = 0;
  let kUp = 0;
  let kDown = 0;
  let supplyChanges = 0;
  let demandChanges = 0;
  let actions = 0;
  let moved = 0;
  let billed = 0;
  let oracle = 0;
  let arrivals = 0;
  let served = 0;
  let overloadSteps = 0;
  let overloadEpisodes = 0;
  const recoveries: number[] = [];
  let episode = -1;
  const stepsPerDay = Math.max(1, Math.round(86_400 / dt));
  const days: { footprint: number; slack: number }[] = [];

  for (let t = 0; t < n; t++) {
    const d = x.demand[t] as number;
    const s = x.supply[t] as number;
    const b = x.billed[t] as number;
    const lambda = x.arrivals[t] as number;
    const sv = x.served[t] as number;
    const denom = Math.max(d, 1);
    if (d > s) {
      under += (d - s) / denom;
      missing += d - s;
      underSteps++;
      if (episode < 0) episode = t;
    } else {
      if (episode >= 0) recoveries.push((t - episode) * dt);
      episode = -1;
    }
    if (s > d) {
      over += (s - d) / denom;
      surplus += s - d;
      overSteps++;
    }
    if (t > 0) {
      const ds = Math.sign(s - (x.supply[t - 1] as number));
      const dd = Math.sign(d - (x.demand[t - 1] as number));
      kUp += Math.min(1, Math.max(0, ds - dd));
      kDown += Math.min(1, Math.max(0, dd - ds));
      if (ds !== 0) supplyChanges++;
      if (dd !== 0) demandChanges++;
    }
    const c = x.change[t] as number;
    if (c !== 0) actions++;
    moved += Math.abs(c);
    billed += b;
    oracle += d;
    arrivals += lambda;
    served += sv;
    if (lambda > s * x.perServer + 1e-9) {
      overloadSteps++;
      if (t === 0 || (x.arrivals[t - 1] as number) <= (x.supply[t - 1] as number) * x.perServer + 1e-9)
        overloadEpisodes++;
    }
    const day = Math.floor(t / stepsPerDay);
    days[day] ??= { footprint: 0, slack: 0 };
    (days[day] as { footprint: number }).footprint += b * x.perServer;
    (days[day] as { slack: number }).slack += b * x.perServer - sv;
  }
  if (episode >= 0) recoveries.push((n - episode) * dt);

  const thetaU = under / n;
  const thetaO = over / n;
  const tauU = underSteps / n;
  const tauO = overSteps / n;
  const kU = n > 1 ? kUp / (n - 1) : 0;
  const kD = n > 1 ? kDown / (n - 1) : 0;
  const footprint = billed * x.perServer;
  const daySlack = days.map((d) => (d.footprint > 0 ? d.slack / d.footprint : 0)).sort((a, b) => a - b);
  const meanBilled = n > 0 ? billed / n : 0;
  const simDays = (n * dt) / 86_400;
  return {
    steps: n,
    stepSeconds: dt,
    hours: round(hours),
    sloViolationMinutes: round((underSteps * dt) / 60),
    unservedRequests: round(arrivals - served),
    unservedDemandRatio: pct(arrivals > 0 ? (arrivals - served) / arrivals : 0),
    serverMinutes: round((billed * dt) / 60),
    oracleServerMinutes: round((oracle * dt) / 60),
    serverMinutesVsOracle: round(oracle > 0 ? billed / oracle : 0),
    underProvisioningAccuracy: pct(thetaU),
    overProvisioningAccuracy: pct(thetaO),
    underProvisioningTimeshare: pct(tauU),
    overProvisioningTimeshare: pct(tauO),
    averageMissingServers: round(missing / n),
    averageSurplusServers: round(surplus / n),
    instabilityUp: pct(kU),
    instabilityDown: pct(kD),
    instability: pct(kU + kD),
    jitterPerHour: round(hours > 0 ? (supplyChanges - demandChanges) / hours : 0),
    scalingActions: actions,
    scalingActionsPerHour: round(hours > 0 ? actions / hours : 0),
    serversMovedPerHour: round(hours > 0 ? moved / hours : 0),
    deviation: round(Math.hypot(pct(thetaU), pct(thetaO), pct(tauU), pct(tauO), pct(kU + kD))),
    footprintRequests: round(footprint),
    relativeSlack: pct(footprint > 0 ? (footprint - served) / footprint : 0),
    relativeSlackMedianPerDay: pct(quantile(daySlack, 0.5)),
    relativeSlackP95PerDay: pct(quantile(daySlack, 0.95)),
    overloadSteps,
    overloadEpisodes,
    overloadEpisodesPerServerDay: round(
      meanBilled > 0 && simDays > 0 ? overloadEpisodes / (meanBilled * simDays) : 0,
    ),
    timeToRecoverMeanSeconds: round(
      recoveries.length ? recoveries.reduce((a, b) => a + b, 0) / recoveries.length : 0,
    ),
    timeToRecoverMaxSeconds: recoveries.reduce((a, b) => Math.max(a, b), 0),
  };
}
