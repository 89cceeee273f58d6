/**
 * The provisioning rules the predictive mode chooses among, each scored as if it had been followed.
 *
 * No one headroom suits every workload: smooth seasonal traffic is served best by a lean forecast,
 * bursty traffic of few requests by servers held longer or by what its recent ticks needed. So the
 * mode keeps several rules — the forecast at a utilization, a worth of covered ticks and a hold,
 * or a quantile of the servers the recent ticks needed — and scores each on the demand actually
 * observed: the servers it would have kept (its cost) and the seconds its ready servers would have
 * been short (its misses; a server asked for is ready one boot delay later, so the ready count is
 * the fewest it asked for over the last boot delay). A shadow of the HPA (hpa-shadow.ts) is scored
 * the same way, and so are the servers the mode actually asked for (the rule followed, or the
 * floor above it). The rule followed is, of those that would have cost no more than the HPA plus
 * what the mode's own servers have saved against it (three times the saving, so that it is spent
 * soon), the one that would have missed least; scores decay with a half-life (a week), the first
 * rule is followed until an hour of evidence, another rule takes over only when it would have
 * missed 5 % fewer seconds (or the one followed became dearer than that budget), and not within
 * five minutes of the last change. Everything here is arithmetic: no clock, no I/O.
 */
import { HpaShadow } from './hpa-shadow';
import { RecentQuantiles, WindowMax } from './windows';

/** The forecast made servers: at a utilization, a worth of covered ticks (`Forecaster.cover`), held. */
export type ForecastRule = {
  kind: 'forecast';
  utilization: number;
  coverageWorth: number;
  /** Buckets a scale-down waits for: the highest answer of that many buckets wins. */
  holdBuckets: number;
};
/** The `q` quantile of the servers each tick of the last `windowBuckets` buckets needed. */
export type RecentRule = { kind: 'recent'; q: number; windowBuckets: number };
export type Rule = ForecastRule | RecentRule;

export type EnsembleSettings = {
  bootBuckets: number;
  bucketSeconds: number;
  serverRps: number;
  /** The HPA's CPU target (0..1] for its shadow. */
  hpaTarget: number;
  halfLifeSeconds: number;
  /** Seconds of scores before a rule other than the first is followed. */
  evidenceSeconds: number;
  /** How many fewer seconds (a share of the followed rule's misses) another rule must have missed to take over. */
  switchMargin: number;
  /** How many times what the servers asked for saved against the HPA a rule may cost over it. */
  spendSaved: number;
};

/**
 * What following each of `n` series of answers would have given: ready servers, server-seconds and
 * short seconds, one row per series (the rules, the HPA shadow, the servers asked for).
 */
class Tracks {
  readonly ready: Float64Array;
  readonly answer: Float64Array;
  readonly cost: Float64Array;
  readonly misses: Float64Array;
  /** Each series' answers of the last boot delay and the current one: rings advanced together. */
  private readonly recent: Float64Array;
  private at = 0;
  constructor(
    readonly n: number,
    private readonly width: number,
  ) {
    this.ready = new Float64Array(n).fill(1);
    this.answer = new Float64Array(n).fill(1);
    this.cost = new Float64Array(n);
    this.misses = new Float64Array(n);
    this.recent = new Float64Array(n * width).fill(1);
  }
  start(v: number) {
    this.ready.fill(v);
    this.answer.fill(v);
    this.recent.fill(v);
  }
  tick(demand: number, seconds: number) {
    const { cost, misses, answer, ready } = this;
    for (let i = 0; i < this.n; i++) {
      cost[i] = (cost[i] as number) + (answer[i] as number) * seconds;
      if (demand > (ready[i] as number)) misses[i] = (misses[i] as number) + seconds;
    }
  }
  /** Series `i`'s answer of this sync, in force from the next tick; servers it adds are ready a boot delay later. */
  set(i: number, v: number) {
    const row = i * this.width;
    this.recent[row + this.at] = v;
    this.answer[i] = v;
    let ready = v;
    for (let k = row; k < row + this.width; k++)
      if ((this.recent[k] as number) < ready) ready = this.recent[k] as number;
    this.ready[i] = ready;
  }
  /** After every series' `set`: the next sync's slot, and the scores decayed by one bucket. */
  advance(decay: number) {
    this.at = (this.at + 1) % this.width;
    for (let i = 0; i < this.n; i++) {
      this.cost[i] = (this.cost[i] as number) * decay;
      this.misses[i] = (this.misses[i] as number) * decay;
    }
  }
}

/**
 * The rules: the one given first (followed until there is evidence), the forecast at leaner
 * utilizations, dearer and cheaper worths of covered ticks and holds of one to eight boot delays,
 * then the recent ticks' quantiles over 5, 20 and 60 minutes.
 */
export function defaultRules(first: ForecastRule, bootBuckets: number, bucketSeconds: number): Rule[] {
  const rules: Rule[] = [first];
  const u = first.utilization;
  for (const utilization of [u, Math.min(1, u + 0.1), Math.min(1, u + 0.2), 1])
    for (const coverageWorth of [0.22, 0.1, 0.4])
      for (const boots of [1, 2, 3, 5, 8]) {
        const holdBuckets = boots * bootBuckets;
        const same = utilization === first.utilization && coverageWorth === first.coverageWorth;
        if (!same || holdBuckets !== first.holdBuckets)
          rules.push({ kind: 'forecast', utilization, coverageWorth, holdBuckets });
      }
  for (const minutes of [5, 20, 60])
    for (const q of [0.9, 0.95, 0.98, 0.99])
      rules.push({
        kind: 'recent',
        q,
        windowBuckets: Math.max(1, Math.round((minutes * 60) / bucketSeconds)),
      });
  return rules;
}

export function describeRule(rule: Rule, bucketSeconds: number) {
  const minutes = (buckets: number) => `${Number(((buckets * bucketSeconds) / 60).toFixed(2))} min`;
  return rule.kind === 'forecast'
    ? `forecast at ${Math.round(rule.utilization * 100)} %, worth ${rule.coverageWorth}, held ${minutes(rule.holdBuckets)}`
    : `${rule.q * 100}th percentile of the last ${minutes(rule.windowBuckets)}'s ticks`;
}

/**
 * What the rules' scores have learnt, as a replica keeps it between restarts: the syncs scored, the
 * rule followed, and each series' cost and misses (the rules', then the HPA shadow's and the servers
 * asked for). The windows are not kept: they refill within an hour.
 */
export type Evidence = { buckets: number; following: number; cost: number[]; misses: number[] };

/**
 * The rule followed, with its scores and the servers asked for so far as multiples of the HPA
 * shadow's (null before any evidence).
 */
export type Choice = {
  index: number;
  rule: Rule;
  missesVsHpa: number | null;
  costVsHpa: number | null;
  spentVsHpa: number | null;
};

export class Ensemble {
  /** Row i: rule i; then the HPA shadow and the servers asked for. */
  private readonly tracks: Tracks;
  private readonly shadowRow: number;
  private readonly askedRow: number;
  /** The rules' answers at the last sync, by index. */
  private readonly servers: Float64Array;
  /** Forecast rules of one utilization and worth share their wanted servers and one hold window. */
  private readonly group: Int32Array;
  private readonly groupFirst: ForecastRule[] = [];
  private readonly holds: WindowMax[] = [];
  /** The recent ticks' demand: one window per length the rules use, and each quantile rule's window. */
  private readonly windowBuckets: number[] = [];
  private readonly windows: RecentQuantiles[] = [];
  private readonly window: Int32Array;
  private readonly hpa: HpaShadow;
  private readonly decay: number;
  private readonly warmupBuckets: number;
  private buckets = 0;
  /** Ticks of syncs before this one only start the rules (a warm-up, again after a restore). */
  private scoredFrom: number;
  private started = false;
  /** The most any rule may ask for: the last sync's maximum (before any, a bound for the first ticks). */
  private cap = 10_000;
  private following = 0;
  /** The bucket the rule followed took over in, and how long it is kept at least. */
  private followedSince = 0;
  private readonly dwellBuckets: number;

  constructor(
    readonly rules: readonly Rule[],
    private readonly o: EnsembleSettings,
  ) {
    this.tracks = new Tracks(rules.length + 2, o.bootBuckets + 1);
    this.shadowRow = rules.length;
    this.askedRow = rules.length + 1;
    this.servers = new Float64Array(rules.length);
    this.group = new Int32Array(rules.length).fill(-1);
    this.window = new Int32Array(rules.length).fill(-1);
    const groups = new Map<string, number>();
    const longest: number[] = [];
    for (const [i, r] of rules.entries()) {
      if (r.kind === 'forecast') {
        const key = `${r.utilization}/${r.coverageWorth}`;
        let g = groups.get(key);
        if (g === undefined) {
          g = this.groupFirst.push(r) - 1;
          groups.set(key, g);
          longest.push(0);
        }
        this.group[i] = g;
        longest[g] = Math.max(longest[g] as number, r.holdBuckets);
      } else {
        let w = this.windowBuckets.indexOf(r.windowBuckets);
        if (w < 0) w = this.windowBuckets.push(r.windowBuckets) - 1;
        this.window[i] = w;
      }
    }
    for (const n of longest) this.holds.push(new WindowMax(Math.max(1, n)));
    this.hpa = new HpaShadow({ syncSeconds: o.bucketSeconds, serverRps: o.serverRps, target: o.hpaTarget });
    this.decay = 0.5 ** (o.bucketSeconds / o.halfLifeSeconds);
    // The first five minutes only start the rules and the shadow (its scale-down window fills).
    this.warmupBuckets = Math.max(4 * o.bootBuckets, Math.round(300 / o.bucketSeconds));
    this.scoredFrom = this.warmupBuckets;
    this.dwellBuckets = Math.ceil(300 / o.bucketSeconds);
  }

  /** One tick at `rate` requests per second: scores every rule and the HPA on it. */
  tick(rate: number, seconds: number) {
    // Servers needed, no more than the most any rule may ask for: a window counts every value below it.
    const needed = Math.ceil(rate / this.o.serverRps - 1e-9);
    const demand = Number.isFinite(needed) ? Math.min(Math.max(0, needed), this.cap) : 0;
    if (!this.started) {
      // Everyone starts with the servers the first tick needed; the windows hold ticks of its length.
      this.started = true;
      this.tracks.start(Math.max(1, demand));
      this.hpa.start(Math.max(1, demand));
      for (const b of this.windowBuckets)
        this.windows.push(new RecentQuantiles(Math.round((b * this.o.bucketSeconds) / seconds)));
    }
    for (const w of this.windows) w.push(demand);
    this.tracks.tick(demand, this.buckets < this.scoredFrom ? 0 : seconds);
    this.hpa.tick(rate, this.tracks.ready[this.shadowRow] as number, seconds);
  }

  /**
   * One sync: every rule's servers scored (forecast rules from `forecastServers`, then held), the
   * rule to follow chosen, and the servers asked for — the rule's, at least `floor`, within the
   * bounds — scored as well. The followed rule's own answer is `ruleServers`.
   */
  decide(forecastServers: (rule: ForecastRule) => number, floor: number, min: number, max: number) {
    this.answer(forecastServers, min, max);
    const choice = this.choose();
    const ruleServers = this.servers[choice.index] as number;
    const replicas = Math.min(max, Math.max(min, ruleServers, floor));
    // A count that is not a number would make the budget one for good.
    this.tracks.set(this.askedRow, Number.isFinite(replicas) ? replicas : 0);
    this.tracks.advance(this.decay);
    return { choice, ruleServers, replicas };
  }

  /** What scores are of: these rules, scored with these settings (the first format of `Evidence`). */
  get signature() {
    return JSON.stringify({ evidence: 1, rules: this.rules, settings: this.o });
  }

  /** The scores so far (none before the first sync). */
  evidence(): Evidence | null {
    if (this.buckets === 0) return null;
    const { cost, misses } = this.tracks;
    return { buckets: this.buckets, following: this.following, cost: [...cost], misses: [...misses] };
  }

  /**
   * Goes on from scores saved `missedBuckets` syncs ago by an ensemble of the same rules: they decay
   * over the gap, the rule they followed is followed (kept at least the usual five minutes; a
   * quantile rule once its window has refilled, the first rule until then), and scoring resumes
   * after the warm-up. False, and nothing changed, for scores that are not of these rules (see
   * `signature`) or not numbers.
   */
  restore(e: Evidence, missedBuckets: number): boolean {
    const n = this.tracks.n;
    const valid = (xs: unknown) =>
      Array.isArray(xs) && xs.length === n && xs.every((x) => typeof x === 'number' && x >= 0 && x < 1e300);
    if (this.buckets > 0 || typeof e !== 'object' || e === null) return false;
    if (!valid(e.cost) || !valid(e.misses)) return false;
    if (!Number.isInteger(e.following) || e.following < 0 || e.following >= this.rules.length) return false;
    if (!Number.isInteger(e.buckets) || e.buckets < 1 || !(missedBuckets >= 0)) return false;
    const decay = this.decay ** missedBuckets;
    for (let i = 0; i < n; i++) {
      this.tracks.cost[i] = (e.cost[i] as number) * decay;
      this.tracks.misses[i] = (e.misses[i] as number) * decay;
    }
    this.buckets = e.buckets;
    this.following = e.following;
    this.followedSince = e.buckets;
    this.scoredFrom = e.buckets + this.warmupBuckets;
    return true;
  }

  /** The rules' answers at the last sync, by index. */
  get answers(): ArrayLike<number> {
    return this.servers;
  }

  /** Each rule's servers at this sync, by index. */
  private answer(forecastServers: (rule: ForecastRule) => number, min: number, max: number) {
    this.buckets++;
    this.cap = max;
    const t = this.tracks;
    const h = this.shadowRow;
    t.set(h, this.hpa.decide(t.answer[h] as number, t.ready[h] as number, min, max));
    for (const [g, rule] of this.groupFirst.entries())
      (this.holds[g] as WindowMax).push(forecastServers(rule));
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i] as Rule;
      const wanted =
        rule.kind === 'forecast'
          ? (this.holds[this.group[i] as number] as WindowMax).max(Math.max(1, rule.holdBuckets))
          : (this.windows[this.window[i] as number]?.quantile(rule.q) ?? 0);
      const servers = Math.min(max, Math.max(min, wanted));
      t.set(i, servers);
      this.servers[i] = servers;
    }
  }

  /**
   * The rule to follow: of those that would have cost no more than the budget (the HPA's cost plus
   * `spendSaved` times what the servers asked for saved against it), the one that would have
   * missed least (on a tie, the cheaper); none: the cheapest. The first rule until there is
   * evidence; the one followed keeps its place unless it costs more than the budget or another
   * would have missed `switchMargin` fewer seconds (a bucket's worth at least), and for five
   * minutes whatever.
   */
  private choose(): Choice {
    if (this.buckets * this.o.bucketSeconds < this.o.evidenceSeconds) {
      const rule = this.rules[this.following] as Rule;
      return { index: this.following, rule, missesVsHpa: null, costVsHpa: null, spentVsHpa: null };
    }
    const { cost, misses } = this.tracks;
    const hpaCost = cost[this.shadowRow] as number;
    const hpaMisses = misses[this.shadowRow] as number;
    const spent = cost[this.askedRow] as number;
    // Only a saving widens the budget: an overspend narrowing it below the HPA's cost gave up
    // WorldCup98's gain (bench/RESULTS.md), so an overspend is only not added to.
    const budget = hpaCost + this.o.spendSaved * Math.max(0, hpaCost - spent);
    const eps = this.o.bucketSeconds;
    let best = -1;
    let cheapest = 0;
    for (let i = 0; i < this.rules.length; i++) {
      const c = cost[i] as number;
      const m = misses[i] as number;
      if (c < (cost[cheapest] as number)) cheapest = i;
      if (c > budget) continue;
      if (best < 0 || m < (misses[best] as number) || (m === misses[best] && c < (cost[best] as number)))
        best = i;
    }
    const now = this.following;
    const next =
      best < 0
        ? cheapest
        : (cost[now] as number) > budget ||
            (misses[best] as number) < (misses[now] as number) * (1 - this.o.switchMargin) - eps
          ? best
          : now;
    // A rule followed is kept for a while: one on the budget's edge would otherwise be dropped and
    // taken back sync after sync, each time moving servers.
    if (next !== now && this.buckets >= this.followedSince + this.dwellBuckets) {
      this.following = next;
      this.followedSince = this.buckets;
    }
    // A quantile rule answers from its window: after a restore the first rule stands in until it is full.
    const w = this.window[this.following] as number;
    const i = w < 0 || this.windows[w]?.full ? this.following : 0;
    return {
      index: i,
      rule: this.rules[i] as Rule,
      missesVsHpa: ((misses[i] as number) + eps) / (hpaMisses + eps),
      costVsHpa: (cost[i] as number) / Math.max(hpaCost, 1e-9),
      spentVsHpa: spent / Math.max(hpaCost, 1e-9),
    };
  }
}
