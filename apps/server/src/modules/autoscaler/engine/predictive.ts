/**
 * The predictive mode's forecaster: the request rate forecast, and the margin learnt from the
 * forecast's own misses that provisioning one boot delay ahead adds to it (predictive-decision.ts
 * turns them into servers, never fewer than the reactive floor's).
 *
 * Forecast of the mean rate `h` buckets ahead (a bucket is one sync period):
 *   level now (exponential smoothing of the observed rates)
 *   + with a day of history: the change the same hours brought a day ago (and a week ago, averaged,
 *     once a week is known) — seasonal naive applied to the change, so today's level is kept;
 *   + without it: the recent trend (Holt's, damped so that it does not run away).
 * Margin: each tick's arrivals are compared with the forecast made for its bucket one boot delay
 * earlier, in units of the Poisson deviation √(forecast / tick) (arrivals of independent users
 * vary like that, so one margin fits low and high rates); streaming estimates of the quantiles `z`
 * of that miss at several coverages give forecast + z·√(forecast / tick) for each. Unless a
 * `coverage` is set, the one kept is the one worth its capacity: the most covered ticks less
 * `coverageWorth` × log(capacity), i.e. 1 % more capacity is spent while it covers at least
 * `coverageWorth` % more of the ticks. Light-tailed noise (Poisson arrivals around a drifting rate)
 * makes the last misses cheap to cover and a heavy tail makes them dear, so each cluster gets the
 * margin its own noise makes worth paying for. The rate provisioned for is the larger of that and
 * the forecast at the target utilization (the headroom the HPA would keep).
 * A bucket far outside the usual misses moves the level to it at once (a rise at once, a fall once
 * it has lasted the HPA's scale-down window), so a flash crowd is followed within one sync.
 * Everything here is arithmetic: no clock, no I/O.
 */
import { COUNT_COVERAGES, defaultRules, Ensemble, type ForecastRule } from './ensemble';
import { Levels } from './levels';

export type PredictiveSettings = {
  bucketSeconds: number;
  bootSeconds: number;
  /** Requests per second one server serves within the SLO. */
  serverRps: number;
  /** Level smoothing (0..1]. */
  alpha: number;
  /** Trend smoothing (0..1]. */
  beta: number;
  /** Trend damping per bucket (0..1]. */
  phi: number;
  /** The share of ticks the provisioned capacity should cover (0..1); null: the one worth its capacity. */
  coverage: number | null;
  /** Share of ticks one unit of log-capacity must cover: 0.22 = 0.22 % of the ticks per 1 % more servers. */
  coverageWorth: number;
  /** Misses a coverage's estimate must have been expected to see before it is chosen (its tail is known). */
  evidenceMisses: number;
  /** Step of the quantile estimates, in deviations per tick. */
  marginStep: number;
  /** Buckets a scale down waits for (its own highest recent answer wins), as a multiple of the boot delay. */
  holdBoots: number;
  /** The utilization the forecast is provisioned at (0..1]: the headroom asked of the HPA. */
  targetUtilization: number;
  /** A bucket further from its forecast than this many mean absolute misses moves the level to it. */
  shiftMisses: number;
  /** How long a fall must last before the level follows it at once (the HPA's scale-down window). */
  fallSeconds: number;
  /** Whether to choose among the provisioning rules (ensemble.ts); false: only the one set here. */
  rules: boolean;
  /** Half-life of the rules' scores. */
  scoreHalfLifeSeconds: number;
  /** Seconds of scores before a rule other than the one set here is followed. */
  evidenceSeconds: number;
  /** How many fewer seconds (a share of its misses) a rule must have missed to replace the one followed. */
  switchMargin: number;
  /** How many times what its servers saved against the HPA a rule followed may cost over the HPA. */
  spendSaved: number;
};

export const DEFAULT_PREDICTIVE: Omit<PredictiveSettings, 'bucketSeconds' | 'bootSeconds' | 'serverRps'> = {
  alpha: 0.02,
  beta: 0.01,
  phi: 0.98,
  coverage: null,
  coverageWorth: 0.22,
  evidenceMisses: 50,
  marginStep: 0.03,
  holdBoots: 1,
  targetUtilization: 0.7,
  shiftMisses: 4,
  fallSeconds: 300,
  rules: true,
  scoreHalfLifeSeconds: 604_800,
  evidenceSeconds: 3600,
  switchMargin: 0.05,
  spendSaved: 3,
};

export type Forecast = {
  rate: number;
  level: number;
  trend: number;
  daily: number | null;
  weekly: number | null;
};

/** The coverages the margin is chosen from when none is set. */
export const COVERAGE_LEVELS = [0.8, 0.85, 0.9, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99, 0.995];

/** What the noise margin makes of a forecast rate: the coverage chosen, its deviations, the rate covered. */
export type Cover = { coverage: number; margin: number; rps: number };

export class Forecaster {
  private readonly levels: Levels;
  private level = 0;
  private trend = 0;
  /** Mean absolute miss of the one-bucket-ahead forecast (req/s), and how many buckets it has seen. */
  private miss = 0;
  private misses = 0;
  /** Buckets in a row that broke below the forecast. */
  private falling = 0;
  /** Whether the last bucket moved the level (for the reason). */
  shifted = false;
  /** Forecasts made one boot delay ahead, by the bucket they are for (a ring of `lead + 1`). */
  private readonly ahead: Float64Array;
  /** The forecast made for the bucket in progress, if one was. */
  private current: number | undefined;
  /** The coverages estimated, and the running estimate of each one's quantile of the standardized miss. */
  private readonly coverages: readonly number[];
  private readonly z: Float64Array;
  /** Ticks compared with their forecast so far. */
  private ticks = 0;
  /** `cover`'s last rate (NaN: none since the margins moved), each counted coverage's rate and its log. */
  private coverRate = Number.NaN;
  private counted = 1;
  private readonly covered: Float64Array;
  private readonly coveredLog: Float64Array;
  private tickSeconds = 1;
  get tick() {
    return this.tickSeconds;
  }
  /** The provisioning rules, scored on the demand observed. */
  readonly ensemble: Ensemble;
  readonly day: number;
  readonly week: number;
  readonly lead: number;

  constructor(readonly s: PredictiveSettings) {
    this.day = Math.round(86_400 / s.bucketSeconds);
    this.week = this.day * 7;
    this.lead = Math.max(1, Math.ceil(s.bootSeconds / s.bucketSeconds));
    // `forecast` reads back a week from the last level, and at most `lead + 1` buckets ahead of that.
    this.levels = new Levels(this.week + this.lead + 2);
    this.ahead = new Float64Array(this.lead + 1);
    this.coverages = s.coverage === null ? COVERAGE_LEVELS : [s.coverage];
    this.z = new Float64Array(this.coverages.length).fill(1);
    this.covered = new Float64Array(this.coverages.length);
    this.coveredLog = new Float64Array(this.coverages.length);
    const first: ForecastRule = {
      kind: 'forecast',
      utilization: s.targetUtilization,
      coverageWorth: s.coverageWorth,
      holdBuckets: Math.max(1, Math.round(this.lead * s.holdBoots)),
    };
    // A coverage set is the count tails' too: the first hour then keeps it.
    const counts = s.coverage === null ? COUNT_COVERAGES : [s.coverage];
    const rules = s.rules ? defaultRules(first, this.lead, s.bucketSeconds, counts) : [first];
    this.ensemble = new Ensemble(rules, {
      bootBuckets: this.lead,
      bucketSeconds: s.bucketSeconds,
      serverRps: s.serverRps,
      hpaTarget: s.targetUtilization,
      halfLifeSeconds: s.scoreHalfLifeSeconds,
      evidenceSeconds: s.evidenceSeconds,
      switchMargin: s.switchMargin,
      spendSaved: s.spendSaved,
    });
  }

  /** One tick of the bucket in progress, at `rate` requests per second: refines the margin. */
  observeTick(rate: number, tickSeconds: number) {
    this.ensemble.tick(rate, tickSeconds);
    if (this.current === undefined) return;
    this.coverRate = Number.NaN;
    this.tickSeconds = tickSeconds;
    const miss = (rate - this.current) / Math.sqrt((this.current + 1e-9) / tickSeconds);
    this.ticks++;
    // Stochastic approximation of a quantile: up by q·step when above it, down by (1−q)·step below.
    for (let i = 0; i < this.z.length; i++) {
      const q = this.coverages[i] as number;
      const z = this.z[i] as number;
      this.z[i] = z + this.s.marginStep * (miss > z ? q : q - 1);
    }
  }

  /** Closes a bucket with its mean rate (requests per second). */
  observe(rate: number) {
    const t = this.levels.length;
    this.shifted = false;
    if (t === 0) this.level = rate;
    else {
      const error = rate - this.rateAt(1);
      // A break far outside the usual misses is a new level (a flash crowd, an outage's end), not
      // noise: follow it at once instead of smoothing it in over many buckets. Rises count at once;
      // a fall must last as long as the HPA's scale-down window: traffic that stops for a few minutes
      // (an upstream outage, a gap) usually comes back, and re-booting for it costs SLO.
      const limit = this.s.shiftMisses * this.miss;
      this.falling = error < -limit ? this.falling + 1 : 0;
      const fell = this.falling * this.s.bucketSeconds >= this.s.fallSeconds;
      if (this.misses >= this.lead * 4 && (error > limit || fell)) {
        this.level = rate;
        this.trend = 0;
        this.shifted = true;
      } else {
        const prev = this.level;
        this.level = this.s.alpha * rate + (1 - this.s.alpha) * (prev + this.s.phi * this.trend);
        this.trend = this.s.beta * (this.level - prev) + (1 - this.s.beta) * this.s.phi * this.trend;
      }
      // Breaks stay out of the usual misses, or a long one would widen the band until it hid itself.
      if (Math.abs(error) <= limit || this.misses < this.lead * 4)
        this.miss += (Math.abs(error) - this.miss) / Math.min(++this.misses, 100);
    }
    this.close(t);
  }

  /** A bucket with nothing observed (the loop did not run): the level carries on, nothing is learnt. */
  skip() {
    if (this.levels.length === 0) return;
    this.shifted = false;
    this.close(this.levels.length);
  }

  private close(t: number) {
    this.levels.push(this.level);
    const size = this.ahead.length;
    this.ahead[(t + this.lead) % size] = this.rateAt(this.lead);
    // Bucket t + 1 was forecast when bucket t + 1 − lead closed, if it has.
    this.current = t + 1 >= this.lead ? this.ahead[(t + 1) % size] : undefined;
  }

  /** The mean rate `h` buckets after the last observed one, with its terms. */
  forecast(h: number): Forecast {
    return {
      rate: this.rateAt(h),
      level: this.level,
      trend: this.trend,
      daily: this.change(this.day, h),
      weekly: this.change(this.week, h),
    };
  }

  /**
   * The forecast's rate alone: made for every bucket a history replays, so it makes no object
   * (a week of history took more time collecting them than computing).
   */
  private rateAt(h: number) {
    const daily = this.change(this.day, h);
    if (daily === null) {
      // Damped trend: φ + φ² + … + φ^h buckets of it.
      const phi = this.s.phi;
      const damped = phi === 1 ? h : (phi * (1 - phi ** h)) / (1 - phi);
      return Math.max(0, this.level + this.trend * damped);
    }
    const weekly = this.change(this.week, h);
    return Math.max(0, this.level + (weekly === null ? daily : (daily + weekly) / 2));
  }

  /** How the levels moved from `period` buckets before the last to `period` before `h` after it. */
  private change(period: number, h: number) {
    const t = this.levels.length - 1;
    return t - period >= 0 && t + h - period >= 0
      ? this.levels.at(t + h - period) - this.levels.at(t - period)
      : null;
  }

  /**
   * The rate to provision for when `rate` is forecast: at the target utilization, or with a noise
   * margin when the ticks' noise needs more headroom than that. Of the coverages whose estimate has
   * seen `evidenceMisses` misses (the lowest always counts), the one with the most covered ticks
   * less `coverageWorth` × log(rate covered); on a tie the higher one (the same servers cover more).
   */
  cover(rate: number, utilization = this.s.targetUtilization, worth = this.s.coverageWorth): Cover {
    // Once per rate (and after a tick moves the margins): a decision asks it for every rule group.
    if (rate !== this.coverRate) {
      const deviation = Math.sqrt(rate / this.tickSeconds);
      let n = 1;
      while (
        n < this.coverages.length &&
        this.ticks * (1 - (this.coverages[n] as number)) >= this.s.evidenceMisses
      )
        n++;
      for (let i = 0; i < n; i++) {
        const rps = rate + (this.z[i] as number) * deviation;
        this.covered[i] = rps;
        this.coveredLog[i] = Math.log(Math.max(rps, 1e-9));
      }
      this.counted = n;
      this.coverRate = rate;
    }
    const atTarget = rate / utilization;
    const logAtTarget = Math.log(Math.max(atTarget, 1e-9));
    let best = 0;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.counted; i++) {
      const covered = this.covered[i] as number;
      const value =
        (this.coverages[i] as number) -
        worth * (atTarget >= covered ? logAtTarget : (this.coveredLog[i] as number));
      // The lowest coverage is always a start: a rate that is not a number shows, not as no servers.
      if (i === 0 || value >= bestValue) {
        best = i;
        bestValue = value;
      }
    }
    return {
      coverage: this.coverages[best] as number,
      margin: this.z[best] as number,
      rps: Math.max(atTarget, this.covered[best] as number),
    };
  }
}
