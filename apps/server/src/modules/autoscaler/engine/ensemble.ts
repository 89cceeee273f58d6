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
 * the same way. The rule followed is, of those that would have cost no more than the HPA, the one
 * that would have missed least; scores decay with a half-life (a day), the first rule is followed
 * until an hour of evidence, and another rule takes over only when it would have missed 5 % fewer
 * seconds (or the one followed became dearer than the HPA). Everything here is arithmetic: no
 * clock, no I/O.
 */
import { HpaShadow } from './hpa-shadow';

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
};

/** The largest of the last `n` values pushed, in constant time per push (a monotonic queue). */
export class WindowMax {
  private readonly values: number[] = [];
  private readonly stamps: number[] = [];
  private head = 0;
  private count = 0;
  constructor(private readonly n: number) {}
  push(v: number) {
    while (this.values.length > this.head && (this.values[this.values.length - 1] as number) <= v) {
      this.values.pop();
      this.stamps.pop();
    }
    this.values.push(v);
    this.stamps.push(this.count++);
    while ((this.stamps[this.head] as number) <= this.count - 1 - this.n) this.head++;
    if (this.head > 64 && this.head * 2 > this.values.length) {
      this.values.splice(0, this.head);
      this.stamps.splice(0, this.head);
      this.head = 0;
    }
    return this.values[this.head] as number;
  }
}

/** Quantiles of the last `size` whole numbers pushed, from their counts. */
export class RecentQuantiles {
  private readonly ring: Int32Array;
  private next = 0;
  private filled = 0;
  private counts = new Int32Array(64);
  /** The largest value in the window (0 when empty). */
  private top = 0;
  constructor(size: number) {
    this.ring = new Int32Array(Math.max(1, size));
  }
  push(v: number) {
    if (this.filled === this.ring.length) (this.counts[this.ring[this.next] as number] as number)--;
    else this.filled++;
    if (v >= this.counts.length) {
      const grown = new Int32Array(Math.max(v + 1, this.counts.length * 2));
      grown.set(this.counts);
      this.counts = grown;
    }
    this.ring[this.next] = v;
    this.counts[v] = (this.counts[v] as number) + 1;
    this.next = (this.next + 1) % this.ring.length;
    if (v > this.top) this.top = v;
    while (this.top > 0 && this.counts[this.top] === 0) this.top--;
  }
  /** The smallest value that at least a share `q` of the window does not exceed. */
  quantile(q: number) {
    let above = Math.floor((1 - q) * this.filled + 1e-9);
    for (let v = this.top; v > 0; v--) {
      above -= this.counts[v] as number;
      if (above < 0) return v;
    }
    return 0;
  }
}

/** What following a series of answers would have given: ready servers, server-seconds, short seconds. */
class Track {
  /** The answers of the last boot delay and the current one, a ring. */
  private readonly recent: Float64Array;
  private at = 0;
  ready = 1;
  answer = 1;
  cost = 0;
  misses = 0;
  constructor(bootBuckets: number) {
    this.recent = new Float64Array(bootBuckets + 1).fill(1);
  }
  start(n: number) {
    this.recent.fill(n);
    this.ready = this.answer = n;
  }
  tick(demand: number, seconds: number) {
    this.cost += this.answer * seconds;
    if (demand > this.ready) this.misses += seconds;
  }
  /** The answer of a sync, in force from the next tick; the servers it adds are ready a boot delay later. */
  decide(n: number, decay: number) {
    const recent = this.recent;
    recent[this.at] = n;
    this.at = (this.at + 1) % recent.length;
    let ready = n;
    for (let i = 0; i < recent.length; i++) if ((recent[i] as number) < ready) ready = recent[i] as number;
    this.ready = ready;
    this.answer = n;
    this.cost *= decay;
    this.misses *= decay;
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

/** The rule followed, with its scores as multiples of the HPA shadow's (null before any evidence). */
export type Choice = { index: number; rule: Rule; missesVsHpa: number | null; costVsHpa: number | null };

export class Ensemble {
  private readonly tracks: Track[];
  /** The rules' last answers, by index. */
  private readonly servers: Float64Array;
  private readonly holds: (WindowMax | null)[];
  /** The recent ticks' demand, one window per length the rules use. */
  private readonly windows = new Map<number, RecentQuantiles | null>();
  private readonly hpa: HpaShadow;
  private readonly hpaTrack: Track;
  private readonly decay: number;
  private readonly warmupBuckets: number;
  private buckets = 0;
  private started = false;
  private following = 0;

  constructor(
    readonly rules: readonly Rule[],
    private readonly o: EnsembleSettings,
  ) {
    this.tracks = rules.map(() => new Track(o.bootBuckets));
    this.servers = new Float64Array(rules.length);
    this.holds = rules.map((r) => (r.kind === 'forecast' ? new WindowMax(Math.max(1, r.holdBuckets)) : null));
    for (const r of rules) if (r.kind === 'recent') this.windows.set(r.windowBuckets, null);
    this.hpa = new HpaShadow({ syncSeconds: o.bucketSeconds, serverRps: o.serverRps, target: o.hpaTarget });
    this.hpaTrack = new Track(o.bootBuckets);
    this.decay = 0.5 ** (o.bucketSeconds / o.halfLifeSeconds);
    // The first five minutes only start the rules and the shadow (its scale-down window fills).
    this.warmupBuckets = Math.max(4 * o.bootBuckets, Math.round(300 / o.bucketSeconds));
  }

  /** One tick at `rate` requests per second: scores every rule and the HPA on it. */
  tick(rate: number, seconds: number) {
    const demand = Math.ceil(rate / this.o.serverRps - 1e-9);
    if (!this.started) {
      // Everyone starts with the servers the first tick needed.
      this.started = true;
      for (const t of this.tracks) t.start(Math.max(1, demand));
      this.hpaTrack.start(Math.max(1, demand));
      this.hpa.start(this.hpaTrack.ready);
    }
    for (const [buckets, window] of this.windows) {
      const w = window ?? new RecentQuantiles(Math.round((buckets * this.o.bucketSeconds) / seconds));
      if (!window) this.windows.set(buckets, w);
      w.push(demand);
    }
    const scored = this.buckets < this.warmupBuckets ? 0 : seconds;
    for (const t of this.tracks) t.tick(demand, scored);
    this.hpaTrack.tick(demand, scored);
    this.hpa.tick(rate, this.hpaTrack.ready, seconds);
  }

  /** Each rule's servers at this sync (forecast rules from `forecastServers`, then held), by index. */
  answer(forecastServers: (rule: ForecastRule) => number, min: number, max: number): ArrayLike<number> {
    this.buckets++;
    const h = this.hpaTrack;
    h.decide(this.hpa.decide(h.answer, h.ready, min, max), this.decay);
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i] as Rule;
      const wanted =
        rule.kind === 'forecast'
          ? (this.holds[i] as WindowMax).push(forecastServers(rule))
          : ((this.windows.get(rule.windowBuckets) as RecentQuantiles | null)?.quantile(rule.q) ?? 0);
      const servers = Math.min(max, Math.max(min, wanted));
      (this.tracks[i] as Track).decide(servers, this.decay);
      this.servers[i] = servers;
    }
    return this.servers;
  }

  /**
   * The rule to follow: of those that would have cost no more than the HPA, the one that would have
   * missed least (on a tie, the cheaper); none: the cheapest. The first rule until there is
   * evidence; the one followed keeps its place unless it costs more than the HPA or another would
   * have missed `switchMargin` fewer seconds (a bucket's worth at least).
   */
  choose(): Choice {
    const rule = () => this.rules[this.following] as Rule;
    if (this.buckets * this.o.bucketSeconds < this.o.evidenceSeconds)
      return { index: this.following, rule: rule(), missesVsHpa: null, costVsHpa: null };
    const hpa = this.hpaTrack;
    const eps = this.o.bucketSeconds;
    const cost = (t: Track) => t.cost / Math.max(hpa.cost, 1e-9);
    const tracks = this.tracks;
    let best = -1;
    let cheapest = 0;
    for (const [i, t] of tracks.entries()) {
      if (t.cost < (tracks[cheapest] as Track).cost) cheapest = i;
      if (t.cost > hpa.cost) continue;
      const b = tracks[best];
      if (!b || t.misses < b.misses || (t.misses === b.misses && t.cost < b.cost)) best = i;
    }
    const now = tracks[this.following] as Track;
    if (best < 0) this.following = cheapest;
    else if (
      now.cost > hpa.cost ||
      (tracks[best] as Track).misses < now.misses * (1 - this.o.switchMargin) - eps
    )
      this.following = best;
    const t = this.tracks[this.following] as Track;
    return {
      index: this.following,
      rule: rule(),
      missesVsHpa: (t.misses + eps) / (hpa.misses + eps),
      costVsHpa: cost(t),
    };
  }
}
