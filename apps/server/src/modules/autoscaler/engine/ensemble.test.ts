import { ZSimClusterSpec } from '@clockpilot/contracts/simulator';
import { ClusterModel } from '@clockpilot/simulator/model';
import { describe, expect, it } from 'vitest';
import { HpaLoop, type ReplayOptions } from '../evaluate/replay';
import { type Choice, Ensemble, type EnsembleSettings, type Rule } from './ensemble';
import { HpaShadow } from './hpa-shadow';
import { RecentMoments, RecentQuantiles, WindowMax } from './windows';

/** A seeded stream of numbers in [0, 1). */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

const SETTINGS: EnsembleSettings = {
  bootBuckets: 4,
  bucketSeconds: 15,
  serverRps: 1,
  hpaTarget: 0.7,
  halfLifeSeconds: 86_400,
  evidenceSeconds: 3600,
  switchMargin: 0.05,
  spendSaved: 3,
};

describe('the ensemble’s windows', () => {
  it('keeps the largest of the last n values', () => {
    const next = random(7);
    const w = new WindowMax(5);
    const seen: number[] = [];
    for (let i = 0; i < 500; i++) {
      const v = Math.floor(next() * 20);
      seen.push(v);
      expect(w.push(v)).toBe(Math.max(...seen.slice(-5)));
    }
  });

  it('answers quantiles of the last n values as a sort would', () => {
    const next = random(11);
    const q = new RecentQuantiles(40);
    const seen: number[] = [];
    for (let i = 0; i < 300; i++) {
      const v = Math.floor(next() ** 3 * 90);
      seen.push(v);
      q.push(v);
      const sorted = seen.slice(-40).sort((a, b) => a - b);
      for (const p of [0.5, 0.9, 0.99])
        expect(q.quantile(p)).toBe(sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]);
    }
  });

  it('keeps the mean and variance of the last n values', () => {
    const next = random(5);
    const m = new RecentMoments(30);
    const seen: number[] = [];
    for (let i = 0; i < 400; i++) {
      const v = 1e6 + next() * 50;
      seen.push(v);
      m.push(v);
      const last = seen.slice(-30);
      const mean = last.reduce((a, x) => a + x, 0) / last.length;
      const variance =
        last.length > 1 ? last.reduce((a, x) => a + (x - mean) ** 2, 0) / (last.length - 1) : 0;
      expect(m.mean).toBeCloseTo(mean, 6);
      expect(m.variance).toBeCloseTo(variance, 3);
      expect(m.full).toBe(i >= 29);
    }
  });
});

describe('the HPA shadow', () => {
  it("decides as the HPA engine does on the simulator's servers, seeing what they serve", () => {
    const o = { bootSeconds: 60, syncSeconds: 15, minServers: 1, maxServers: 200 } as ReplayOptions;
    const cluster = new ClusterModel(
      ZSimClusterSpec.parse({
        servers: 4,
        capacityRps: 1,
        bootSeconds: 60,
        drainSeconds: 0,
        cpuIdleMillis: 0,
        cpuRequestMillis: 1000,
        windowSeconds: 15,
      }),
    );
    const hpa = new HpaLoop(o, 70, { scaleUp: null, scaleDown: null });
    const shadow = new HpaShadow({ syncSeconds: 15, serverRps: 1, target: 0.7 });
    shadow.start(4);
    const load = (t: number) => (t < 300 ? 3 : t < 900 ? 20 : t < 1500 ? 45 : 8);
    let spec = 4;
    const pairs: [number, number][] = [];
    for (let t = 0; t < 2400; t++) {
      if (t === 0 || load(t) !== load(t - 1)) cluster.setLoad({ type: 'constant', rps: load(t) });
      const r = cluster.step(1);
      shadow.tick(r.arrivals, r.servingServers, 1);
      if ((t + 1) % 15 > 0) continue;
      const ready = cluster.metrics().servers.filter((s) => s.ready).length;
      const engine = hpa.decide(spec, cluster).desiredReplicas;
      pairs.push([engine, shadow.decide(spec, ready, 1, 200)]);
      cluster.scaleTo(engine);
      spec = engine;
    }
    // Up, held five minutes, down: the same answers, but for a rounding of the smoothed CPU.
    const differing = pairs.filter(([a, b]) => a !== b);
    expect(differing.length).toBeLessThanOrEqual(pairs.length * 0.05);
    for (const [a, b] of differing) expect(Math.abs(a - b)).toBeLessThanOrEqual(1);
    expect(Math.max(...pairs.map(([a]) => a))).toBeGreaterThanOrEqual(60);
  });
});

describe('the ensemble', () => {
  /** A base of 2 req/s with bursts of 30 for `length` seconds every `period`, one tick per second. */
  const bursty = (period: number, length: number) => (t: number) => (t % period < length ? 30 : 2);
  const lean: Rule = { kind: 'forecast', utilization: 0.7, coverageWorth: 0.22, holdBuckets: 4 };
  /** Runs `seconds` of a load, asking for what the rule chosen at each sync answers; its choices. */
  function run(e: Ensemble, load: (t: number) => number, from: number, seconds: number) {
    let sum = 0;
    const choices: Choice[] = [];
    for (let t = from; t < from + seconds; t++) {
      e.tick(load(t), 1);
      sum += load(t);
      if ((t + 1) % 15 > 0) continue;
      const mean = sum / 15;
      sum = 0;
      choices.push(e.decide(() => Math.ceil(mean / 0.7), 0, 1, 100).choice);
    }
    return choices;
  }

  it('follows the first rule (without count tails) until an hour of evidence, then the one that would have missed least', () => {
    // 40 s bursts every four minutes, shorter than a boot: a rule that reacts to one misses most of
    // it, and the HPA, which scales for it at 70 %, holds those servers through its five-minute
    // window into the next. The bursts' own 90th percentile over 20 minutes keeps 30 servers all
    // along: no misses, and fewer servers than the HPA.
    const load = bursty(240, 40);
    const e = new Ensemble([lean, { kind: 'recent', q: 0.9, windowBuckets: 80 }], SETTINGS);
    const choices = run(e, load, 0, 3585);
    expect(choices.at(19)).toMatchObject({ index: 0, missesVsHpa: null, costVsHpa: null });
    // Scored from the sixth minute on, still the first rule.
    expect(choices.at(-1)).toMatchObject({ index: 0, missesVsHpa: expect.any(Number) });
    const later = run(e, load, 3585, 3600).at(-1) as Choice;
    expect(later.index).toBe(1);
    expect(later.costVsHpa).toBeLessThan(0.8);
    expect(later.missesVsHpa).toBeLessThanOrEqual(1);
  });

  it('goes on from saved scores with the rule they chose, decayed over the gap; others’ scores are refused', () => {
    const load = bursty(240, 40);
    const rules: Rule[] = [lean, { kind: 'recent', q: 0.9, windowBuckets: 80 }];
    const before = new Ensemble(rules, SETTINGS);
    expect(before.evidence()).toBeNull();
    run(before, load, 0, 7200);
    // As a row stores it, and 40 syncs later (a restart) in an ensemble of the same rules.
    const saved = JSON.parse(JSON.stringify(before.evidence()));
    expect(saved).toMatchObject({ buckets: 480, following: 1 });
    const restored = new Ensemble(rules, SETTINGS);
    expect(restored.restore(saved, 40)).toBe(true);
    // The quantile rule answers from 20 minutes of ticks: the first rule stands in until they are seen.
    const [after] = run(restored, load, 7800, 15) as [Choice];
    expect(after).toMatchObject({ index: 0, missesVsHpa: expect.any(Number) });
    // The gap and this sync decayed the scores; its ticks were a warm-up, not scored.
    const now = restored.evidence();
    const decay = 0.5 ** ((41 * 15) / SETTINGS.halfLifeSeconds);
    expect(now?.buckets).toBe(481);
    for (const [i, c] of saved.cost.entries()) expect(now?.cost[i]).toBeCloseTo(c * decay, 6);
    // Its window is full at the 80th sync after the restore (1,200 ticks).
    const refilled = run(restored, load, 7815, 1185);
    expect(refilled.at(-2)?.index).toBe(0);
    expect(refilled.at(-1)?.index).toBe(1);
    // Scored again after the warm-up: the HPA shadow's cost grew.
    expect(restored.evidence()?.cost[2]).toBeGreaterThan((now?.cost[2] as number) * 1.01);
    // Without them, the first rule and no scores for another hour.
    expect(run(new Ensemble(rules, SETTINGS), load, 7800, 15)).toEqual([
      expect.objectContaining({ index: 0, missesVsHpa: null }),
    ]);
    const refused = (e: Ensemble, x: unknown) => expect(e.restore(x as never, 0)).toBe(false);
    refused(new Ensemble([lean], SETTINGS), saved);
    refused(new Ensemble(rules, SETTINGS), { ...saved, following: 2 });
    refused(new Ensemble(rules, SETTINGS), { ...saved, cost: saved.cost.map(() => null) });
    refused(new Ensemble(rules, SETTINGS), { ...saved, buckets: 0 });
    refused(restored, saved);
    refused(new Ensemble(rules, SETTINGS), null);
  });

  it('spends what its servers saved against the HPA shadow on fewer misses, never more', () => {
    // Bursts every two minutes: 30 servers all along (the dear rule, 1.2× the HPA's servers) miss
    // none; the lean rule misses every burst at 0.67× the HPA's. The mode follows the dear rule for
    // as long as what the lean one saved pays for it, and no longer: the servers asked for stay
    // under the HPA's, and it does not flap between the two at every sync.
    const e = new Ensemble([lean, { kind: 'recent', q: 0.95, windowBuckets: 80 }], SETTINGS);
    const choices = run(e, bursty(120, 10), 0, 6 * 3600).slice(240);
    const dear = choices.filter((c) => c.index === 1).length;
    expect(dear / choices.length).toBeGreaterThan(0.2);
    expect(dear / choices.length).toBeLessThan(0.8);
    for (const c of choices) expect(c.spentVsHpa).toBeLessThanOrEqual(1);
    const switches = choices.filter((c, k) => k > 0 && c.index !== choices[k - 1]?.index).length;
    expect(switches).toBeLessThan(choices.length / 20);
  });

  it('paces the count tails by cost until an hour of evidence, then leaves them', () => {
    // Requests arriving at random, 5 a second on average, with the rate drifting between 3 and 7:
    // noise of few requests per tick, the count tails' ground. One step of coverage at a time, five
    // minutes apart, up while the servers asked for cost less than the HPA shadow's, down while more.
    const next = random(3);
    const poisson = (mean: number) => {
      let k = 0;
      for (let p = Math.exp(-mean), u = next(); u > p; k++) {
        u -= p;
        p *= mean / (k + 1);
      }
      return k;
    };
    const load = (t: number) => poisson(5 + 2 * Math.sin(t / 600));
    const tails: Rule[] = [0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 0.998, 0.999].map((coverage) => ({
      kind: 'count',
      coverage,
      windowBuckets: 20,
    }));
    const e = new Ensemble([lean, ...tails], SETTINGS);
    const choices = run(e, load, 0, 3600 + 600);
    const firstHour = choices.slice(0, 239);
    // The warm-up's 20 syncs: the first rule; then the tails, from 0.97.
    expect(firstHour.slice(0, 20).every((c) => c.index === 0)).toBe(true);
    expect(firstHour[20]?.rule).toMatchObject({ kind: 'count', coverage: 0.97 });
    for (let k = 21; k < firstHour.length; k++) {
      const [before, now] = [firstHour[k - 1] as Choice, firstHour[k] as Choice];
      if (now.index === before.index) continue;
      // One step, in the direction the cost so far says, at least five minutes after the last.
      expect(Math.abs(now.index - before.index)).toBe(1);
      expect(Math.sign(now.index - before.index)).toBe((now.spentVsHpa as number) < 1 ? 1 : -1);
      // Up only to a tail whose own record is within the shadow's cost.
      if (now.index > before.index) expect(now.costVsHpa).toBeLessThanOrEqual(1);
      const last = firstHour.findLastIndex((c, j) => j < k && c.index !== firstHour[j - 1]?.index);
      expect(k - last).toBeGreaterThanOrEqual(20);
    }
    expect(new Set(firstHour.slice(20).map((c) => c.index)).size).toBeGreaterThan(1);
    // Paced to the shadow's cost: within a few per cent of it after the hour.
    expect(firstHour.at(-1)?.spentVsHpa).toBeGreaterThan(0.95);
    expect(firstHour.at(-1)?.spentVsHpa).toBeLessThan(1.05);
    // With the evidence, the scores choose, among the other rules.
    expect(choices.slice(260).every((c) => c.rule.kind !== 'count')).toBe(true);
  });

  it('keeps its windows to the servers a rule may ask for, whatever the demand', () => {
    // 10^6 req/s on servers of 10^-6 req/s: 10^12 servers needed, a maximum of 50.
    const e = new Ensemble([lean, { kind: 'recent', q: 0.99, windowBuckets: 80 }], {
      ...SETTINGS,
      serverRps: 1e-6,
    });
    for (let t = 0; t < 120; t++) {
      e.tick(t === 7 ? Number.NaN : 1e6, 1);
      if ((t + 1) % 15 > 0) continue;
      expect(e.decide(() => 1e12, 0, 1, 50).replicas).toBe(50);
      expect(Array.from(e.answers)).toEqual([50, 50]);
    }
  });
});
