import { describe, expect, it } from 'vitest';
import { countQuantile, normalUpperQuantile } from './counts';

/** P(X > c) by summing the probabilities in log space, term by term from 0 (slow, plain). */
function tailAbove(c: number, mean: number, variance: number) {
  const logGamma = (x: number): number => {
    // Stirling's series, shifted up for small x.
    if (x < 7) return logGamma(x + 1) - Math.log(x);
    return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3);
  };
  let below = 0;
  for (let k = 0; k <= c; k++) {
    if (variance <= mean) below += Math.exp(k * Math.log(mean) - mean - logGamma(k + 1));
    else {
      const q = mean / variance;
      const r = (mean * q) / (1 - q);
      below += Math.exp(
        logGamma(k + r) - logGamma(r) - logGamma(k + 1) + r * Math.log(q) + k * Math.log(1 - q),
      );
    }
  }
  return 1 - below;
}

/** The smallest c with P(X > c) ≤ p, by the plain sum. */
function plainQuantile(mean: number, variance: number, p: number) {
  let c = 0;
  while (tailAbove(c, mean, variance) > p) c++;
  return c;
}

describe('count tails', () => {
  it('knows the normal quantiles it starts from', () => {
    expect(normalUpperQuantile(0.05)).toBeCloseTo(1.645, 2);
    expect(normalUpperQuantile(0.01)).toBeCloseTo(2.326, 2);
    expect(normalUpperQuantile(0.001)).toBeCloseTo(3.09, 2);
    expect(normalUpperQuantile(0.5)).toBeCloseTo(0, 3);
    expect(normalUpperQuantile(0.95)).toBeCloseTo(-1.645, 2);
  });

  it('is the exact Poisson quantile for a steady rate, the negative binomial one for bursts', () => {
    for (const mean of [0.3, 2, 5.5, 17, 60, 150])
      for (const p of [0.05, 0.02, 0.01, 0.001]) {
        expect(countQuantile(mean, mean, p)).toBe(plainQuantile(mean, mean, p));
        // Less spread than Poisson is still counted as Poisson: requests arrive independently.
        expect(countQuantile(mean, mean / 2, p)).toBe(plainQuantile(mean, mean, p));
        expect(countQuantile(mean, mean * 4, p)).toBe(plainQuantile(mean, mean * 4, p));
      }
    // Five requests a second: 10 exceeded in 1.4 % of the seconds, 9 in 3.2 %.
    expect(countQuantile(5, 5, 0.03)).toBe(10);
    expect(countQuantile(5, 5, 0.05)).toBe(9);
    // The same mean with four times the variance (requests in groups) needs far more.
    expect(countQuantile(5, 20, 0.03)).toBe(16);
  });

  it('approximates large counts within a request of the exact tail', () => {
    for (const [mean, variance] of [
      [250, 250],
      [800, 800],
      [250, 2500],
      [2000, 9000],
    ] as const)
      for (const p of [0.05, 0.01]) {
        const exact = plainQuantile(mean, variance, p);
        expect(Math.abs(countQuantile(mean, variance, p) - exact)).toBeLessThanOrEqual(1);
      }
    // Beyond what any sum could reach, still a number near mean + z·σ.
    const huge = countQuantile(1e9, 1e9, 0.01);
    expect(huge).toBeGreaterThan(1e9 + 2.3 * Math.sqrt(1e9));
    expect(huge).toBeLessThan(1e9 + 2.4 * Math.sqrt(1e9));
  });

  it('answers no requests for no traffic, and nothing odd for odd input', () => {
    expect(countQuantile(0, 0, 0.01)).toBe(0);
    expect(countQuantile(Number.NaN, 1, 0.01)).toBe(0);
    expect(countQuantile(-3, 1, 0.01)).toBe(0);
    expect(countQuantile(1e-12, 0, 0.5)).toBe(0);
  });
});
