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
 * soon), the one that would have missed least; scores decay with a half-life (a week); another rule
 * takes over only when it would have missed 5 % fewer seconds (or the one followed became dearer
 * than that budget), and not within five minutes of the last change.
 *
 * Misses are rare, so an hour of them says little about the next; costs are known at once. Until
 * an hour of evidence the mode follows the tail of a count like the last five minutes' ticks
 * (counts.ts: their mean, and their spread when burstier than Poisson), paced by cost: five minutes
 * after five, one coverage down while the servers asked for have cost more than the HPA shadow's,
 * one up while less (and the next tail's own record is within it). Everything here is arithmetic:
 * no clock, no I/O.
 */
import { countQuantile } from './counts';
import { HpaShadow } from './hpa-shadow';
import { Tracks } from './tracks';
import { RecentMoments, RecentQuantiles, WindowMax } from './windows';

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
/**
 * Servers for the requests per tick that a count of the last `windowBuckets` buckets' mean and
 * variance per tick exceeds in at most `1 − coverage` of the ticks (`countQuantile`), and at least
 * their mean at the target utilization: the rules followed before the evidence, not chosen by it.
 */
export type CountRule = { kind: 'count'; coverage: number; windowBuckets: number };
export type Rule = ForecastRule | RecentRule | CountRule;

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
 * The rules: the one given first (followed until the scores start), the forecast at leaner
 * utilizations, dearer and cheaper worths of covered ticks and holds of one to eight boot delays,
 * the recent ticks' quantiles over 5, 20 and 60 minutes, then the five minutes' count tails.
 */
export function defaultRules(
  first: ForecastRule,
  bootBuckets: number,
  bucketSeconds: number,
  countCoverages: readonly number[] = COUNT_COVERAGES,
): Rule[] {
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
  const buckets = (minutes: number) => Math.max(1, Math.round((minutes * 60) / bucketSeconds));
  for (const minutes of [5, 20, 60])
    for (const q of [0.9, 0.95, 0.98, 0.99])
      rules.push({ kind: 'recent', q, windowBuckets: buckets(minutes) });
  for (const coverage of countCoverages) rules.push({ kind: 'count', coverage, windowBuckets: buckets(5) });
  return rules;
}

/** The count tails' coverages, cheapest first; the pacing starts at 0.97. */
export const COUNT_COVERAGES = [0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 0.998, 0.999];
const PACING_START = 2;

export function describeRule(rule: Rule, bucketSeconds: number) {
  const minutes = (buckets: number) => `${Number(((buckets * bucketSeconds) / 60).toFixed(2))} min`;
  const percent = (share: number) => Number((share * 100).toFixed(2));
  if (rule.kind === 'forecast')
    return `forecast at ${Math.round(rule.utilization * 100)} %, worth ${rule.coverageWorth}, held ${minutes(rule.holdBuckets)}`;
  if (rule.kind === 'recent')
    return `${percent(rule.q)}th percentile of the last ${minutes(rule.windowBuckets)}'s ticks`;
  return `${percent(rule.coverage)}th percentile of a count like the last ${minutes(rule.windowBuckets)}'s ticks`;
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
  /**
   * The recent ticks: one window per kind and length the rules use (of the servers each tick
   * needed for quantile rules, of its requests for count tails), and each windowed rule's window.
   */
  private readonly windowSpecs: { kind: 'recent' | 'count'; buckets: number }[] = [];
  private readonly windows: (RecentQuantiles | RecentMoments)[] = [];
  private readonly window: Int32Array;
  private tickSeconds = 1;
  /** The count tails, cheapest first: what is followed before the evidence. */
  private readonly pacing: number[];
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
        let w = this.windowSpecs.findIndex((x) => x.kind === r.kind && x.buckets === r.windowBuckets);
        if (w < 0) w = this.windowSpecs.push({ kind: r.kind, buckets: r.windowBuckets }) - 1;
        this.window[i] = w;
      }
    }
    for (const n of longest) this.holds.push(new WindowMax(Math.max(1, n)));
    this.pacing = [...rules.keys()]
      .filter((i) => rules[i]?.kind === 'count')
      .sort((a, b) => (rules[a] as CountRule).coverage - (rules[b] as CountRule).coverage);
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
      for (const { kind, buckets } of this.windowSpecs) {
        const ticks = Math.round((buckets * this.o.bucketSeconds) / seconds);
        this.windows.push(kind === 'count' ? new RecentMoments(ticks) : new RecentQuantiles(ticks));
      }
    }
    this.tickSeconds = seconds;
    const requests = Number.isFinite(rate) ? Math.max(0, rate * seconds) : 0;
    for (const w of this.windows) w.push(w instanceof RecentMoments ? requests : demand);
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
      const servers = Math.min(max, Math.max(min, this.wanted(i, rule)));
      t.set(i, servers);
      this.servers[i] = servers;
    }
  }

  /** Rule `i`'s servers before the bounds (0 while its window has seen no tick). */
  private wanted(i: number, rule: Rule) {
    if (rule.kind === 'forecast')
      return (this.holds[this.group[i] as number] as WindowMax).max(Math.max(1, rule.holdBuckets));
    const w = this.windows[this.window[i] as number];
    if (w instanceof RecentQuantiles) return w.quantile((rule as RecentRule).q);
    if (!w) return 0;
    // Requests arrive whole; the tail never runs the servers hotter than the target.
    const tail = countQuantile(w.mean, w.variance, 1 - (rule as CountRule).coverage);
    const requests = Math.max(tail, Math.floor(w.mean / this.o.hpaTarget + 1e-9));
    return Math.ceil(requests / (this.o.serverRps * this.tickSeconds) - 1e-9);
  }

  /**
   * The rule to follow: before any score, the one followed; before `evidenceSeconds` of scores,
   * the count tails paced by cost (`paced`); then the one the scores choose (`scored`). Any rule is
   * kept five minutes whatever: one on the budget's edge would otherwise be dropped and taken back
   * sync after sync, each time moving servers.
   */
  private choose(): Choice {
    const now = this.following;
    const { cost, misses } = this.tracks;
    const hpaCost = cost[this.shadowRow] as number;
    const spent = cost[this.askedRow] as number;
    const started = this.buckets > this.warmupBuckets;
    const evidence = this.buckets * this.o.bucketSeconds >= this.o.evidenceSeconds;
    const next = !started
      ? now
      : evidence
        ? this.scored(now, hpaCost, spent)
        : this.paced(now, hpaCost, spent);
    if (next !== now && this.buckets >= this.followedSince + this.dwellBuckets) {
      this.following = next;
      this.followedSince = this.buckets;
    }
    // A windowed rule answers from its window: until it is full (after a restore) the first rule stands in.
    const w = this.window[this.following] as number;
    const i = w < 0 || this.windows[w]?.full ? this.following : 0;
    if (!started)
      return { index: i, rule: this.rules[i] as Rule, missesVsHpa: null, costVsHpa: null, spentVsHpa: null };
    const eps = this.o.bucketSeconds;
    return {
      index: i,
      rule: this.rules[i] as Rule,
      missesVsHpa: ((misses[i] as number) + eps) / ((misses[this.shadowRow] as number) + eps),
      costVsHpa: (cost[i] as number) / Math.max(hpaCost, 1e-9),
      spentVsHpa: spent / Math.max(hpaCost, 1e-9),
    };
  }

  /**
   * Before the evidence: the count tails, one coverage down while the servers asked for cost more
   * than the HPA shadow's, one up while less and the next tail's own record is within it too.
   */
  private paced(now: number, hpaCost: number, spent: number) {
    const pacing = this.pacing;
    if (pacing.length === 0) return now;
    const at = pacing.indexOf(now);
    if (at < 0) return pacing[Math.min(PACING_START, pacing.length - 1)] as number;
    if (spent >= hpaCost) return pacing[Math.max(0, at - 1)] as number;
    // Up only to a tail whose own record fits too: the overall saving may be the first minutes'.
    const up = pacing[at + 1];
    return up !== undefined && (this.tracks.cost[up] as number) <= hpaCost ? up : now;
  }

  /**
   * With the evidence: of the rules other than the count tails that would have cost no more than
   * the budget (the HPA's cost plus `spendSaved` times what the servers asked for saved against it),
   * the one that would have missed least (on a tie, the cheaper); none: the cheapest. The one
   * followed keeps its place unless it is a count tail, costs more than the budget, or another would
   * have missed `switchMargin` fewer seconds (a bucket's worth at least).
   */
  private scored(now: number, hpaCost: number, spent: number) {
    const { cost, misses } = this.tracks;
    // Only a saving widens the budget: an overspend narrowing it below the HPA's cost gave up
    // WorldCup98's gain (bench/RESULTS.md), so an overspend is only not added to.
    const budget = hpaCost + this.o.spendSaved * Math.max(0, hpaCost - spent);
    let best = -1;
    let cheapest = 0;
    for (let i = 0; i < this.rules.length; i++) {
      if (this.rules[i]?.kind === 'count') continue;
      const c = cost[i] as number;
      const m = misses[i] as number;
      if (c < (cost[cheapest] as number)) cheapest = i;
      if (c > budget) continue;
      if (best < 0 || m < (misses[best] as number) || (m === misses[best] && c < (cost[best] as number)))
        best = i;
    }
    if (best < 0) return cheapest;
    const fewer = (misses[now] as number) * (1 - this.o.switchMargin) - this.o.bucketSeconds;
    const replace =
      this.rules[now]?.kind === 'count' || (cost[now] as number) > budget || (misses[best] as number) < fewer;
    return replace ? best : now;
  }
}
