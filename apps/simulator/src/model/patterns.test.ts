import { readFileSync } from 'node:fs';
import { ZSimLoadPattern } from '@clockpilot/contracts/simulator';
import { describe, expect, it } from 'vitest';
import { createLoad } from './patterns';
import { parseTrace } from './trace';

const load = (pattern: unknown, seed = 1) => createLoad(ZSimLoadPattern.parse(pattern), seed);
/** Requests per 1-second step from 0 to `seconds`. */
const perSecond = (source: ReturnType<typeof load>, seconds: number) =>
  Array.from({ length: seconds }, (_, t) => source.requests(t, t + 1));

describe('load patterns', () => {
  it('constant: the rate times the duration, for any step length', () => {
    const c = load({ type: 'constant', rps: 12.5 });
    expect(c.requests(0, 10)).toBe(125);
    expect(c.requests(3.25, 3.5)).toBeCloseTo(3.125);
  });

  it('diurnal: peaks at the peak time, bottoms half a period later, integrates to the mean', () => {
    const d = load({
      type: 'diurnal',
      baseRps: 100,
      amplitudeRps: 50,
      periodSeconds: 86400,
      peakAtSeconds: 3600,
    });
    expect(d.rateAt(3600)).toBeCloseTo(150);
    expect(d.rateAt(3600 + 43200)).toBeCloseTo(50);
    expect(d.requests(0, 86400)).toBeCloseTo(100 * 86400, 3);
    // Clipped at zero when the amplitude exceeds the base: never negative, and less than the unclipped mean.
    const clipped = load({
      type: 'diurnal',
      baseRps: 10,
      amplitudeRps: 30,
      periodSeconds: 100,
      peakAtSeconds: 0,
    });
    expect(clipped.rateAt(50)).toBe(0);
    expect(perSecond(clipped, 100).every((n) => n >= 0)).toBe(true);
    expect(clipped.requests(0, 100)).toBeGreaterThan(10 * 100);
  });

  it('step: the base rate, then each step from its time on, exact across a step boundary', () => {
    const s = load({
      type: 'step',
      baseRps: 5,
      steps: [
        { atSeconds: 10, rps: 20 },
        { atSeconds: 15, rps: 0 },
      ],
    });
    expect([s.rateAt(9.99), s.rateAt(10), s.rateAt(14), s.rateAt(100)]).toEqual([5, 20, 20, 0]);
    expect(s.requests(8, 16)).toBe(2 * 5 + 5 * 20);
  });

  it('spike: the spike rate for its duration, repeated every period when asked', () => {
    const once = load({ type: 'spike', baseRps: 1, spikeRps: 100, atSeconds: 5, durationSeconds: 2 });
    expect(perSecond(once, 10)).toEqual([1, 1, 1, 1, 1, 100, 100, 1, 1, 1]);
    const again = load({
      type: 'spike',
      baseRps: 0,
      spikeRps: 10,
      atSeconds: 2,
      durationSeconds: 1,
      everySeconds: 4,
    });
    expect(perSecond(again, 12)).toEqual([0, 0, 10, 0, 0, 0, 10, 0, 0, 0, 10, 0]);
    expect(again.requests(0, 12)).toBe(30);
  });

  it('random walk: deterministic for a seed, within bounds, constant within a step', () => {
    const walk = {
      type: 'randomWalk',
      startRps: 50,
      minRps: 10,
      maxRps: 80,
      volatilityRps: 20,
      stepSeconds: 5,
    };
    const a = perSecond(load({ ...walk, seed: 42 }), 600);
    expect(perSecond(load({ ...walk, seed: 42 }), 600)).toEqual(a);
    expect(perSecond(load({ ...walk, seed: 43 }), 600)).not.toEqual(a);
    // Without a seed of its own the walk takes the cluster's.
    expect(perSecond(load(walk, 42), 600)).toEqual(a);
    expect(a.every((r) => r >= 10 && r <= 80)).toBe(true);
    expect(a.slice(0, 5)).toEqual([50, 50, 50, 50, 50]);
    expect(new Set(a).size).toBeGreaterThan(20);
    // Reading it out of order gives the same values.
    const late = load({ ...walk, seed: 42 });
    expect(late.requests(599, 600)).toBe(a[599]);
  });
});

describe('trace replay', () => {
  const csv = [
    'timestamp,requests',
    '2023-11-16T18:00:00,6',
    '2023-11-16T18:01:00,0',
    '2023-11-16T18:03:00,12',
    '',
  ].join('\n');

  it('finds the step, keeps zeros, fills gaps with zero or the previous count', () => {
    const zero = parseTrace(csv);
    expect(zero).toMatchObject({ stepSeconds: 60, gaps: 1, startSeconds: Date.UTC(2023, 10, 16, 18) / 1000 });
    expect([...zero.counts]).toEqual([6, 0, 0, 12]);
    expect([...parseTrace('t,n\n0,5\n60,\n120,7', 'previous').counts]).toEqual([5, 5, 7]);
    expect([...parseTrace(csv, 'previous').counts]).toEqual([6, 0, 0, 12]);
  });

  it('replays a step count spread over the step, scaled, and 0 after the end unless it loops', () => {
    const t = load({ type: 'trace', csv, scale: 2 });
    expect(t.rateAt(30)).toBeCloseTo(12 / 60);
    expect(t.requests(0, 240)).toBe(36);
    expect(t.requests(180, 210)).toBe(12);
    expect(t.requests(240, 1000)).toBe(0);
    const looped = load({ type: 'trace', csv, loop: true });
    expect(looped.requests(240, 480)).toBe(18);
  });

  it('takes Unix seconds, milliseconds, columns in any order and rows out of order', () => {
    expect([...parseTrace('10,1\n11,2\n12,3').counts]).toEqual([1, 2, 3]);
    expect([
      ...parseTrace('requests,timestamp\n3,1700000003000\n1,1700000000000\n2,1700000001000').counts,
    ]).toEqual([1, 2, 0, 3]);
    expect(parseTrace('timestamp,requests\n"2023-11-16 18:00:00+01:00",4').startSeconds).toBe(
      Date.UTC(2023, 10, 16, 17) / 1000,
    );
    // Other locales' exports: semicolons or tabs, CR line ends.
    expect([...parseTrace('timestamp;requests\r1;5\r2;6').counts]).toEqual([5, 6]);
    expect([...parseTrace('timestamp\trequests\n1\t5\n2\t6').counts]).toEqual([5, 6]);
  });

  it('refuses what it cannot read, naming the line', () => {
    expect(() => parseTrace('')).toThrow('no rows');
    expect(() => parseTrace('timestamp,requests\nyesterday,1')).toThrow('line 2');
    expect(() => parseTrace('timestamp,requests\n0,1\n1,many')).toThrow('line 3');
    expect(() => parseTrace('0,-1')).toThrow('>= 0');
    expect(() => parseTrace('0,1\n1')).toThrow('line 2');
    expect(() => parseTrace('0,1\n1,1\n99999999999,1')).toThrow('at most');
  });

  it('reads the real Azure LLM inference trace with its zeros', () => {
    const text = readFileSync(
      new URL('../../../../traces/azure-llm-inference-2023-conv-per-second.csv', import.meta.url),
      'utf8',
    );
    const trace = parseTrace(text);
    expect(trace.stepSeconds).toBe(1);
    expect(trace.counts.reduce((a, b) => a + b, 0)).toBe(19366);
    expect(load({ type: 'trace', csv: text }).requests(0, trace.counts.length)).toBe(19366);
  });
});
