/**
 * Tails of request counts. Requests arriving independently at a steady rate make a Poisson count
 * per tick; real traffic is often burstier (requests come in groups: a page and its images, a
 * retry storm), its ticks' variance above their mean, which a negative binomial with the same mean
 * and variance describes (a Poisson count whose rate itself varies, gamma-distributed).
 */

/** z with P(Z > z) = p for a standard normal Z (Abramowitz & Stegun 26.2.23, error below 4.5e-4). */
export function normalUpperQuantile(p: number): number {
  if (p > 0.5) return -normalUpperQuantile(1 - p);
  const t = Math.sqrt(-2 * Math.log(Math.max(p, 1e-300)));
  return (
    t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308)))
  );
}

/** Terms summed exactly before the normal approximation (with its skew) takes over. */
const MAX_TERMS = 2000;

/**
 * The smallest whole count `c` with P(X > c) ≤ `p`, for a count X of this mean and variance:
 * Poisson when the variance is at most the mean, else negative binomial. Summed exactly for small
 * counts; for large ones (where the sum would be long and its first terms underflow) the normal
 * quantile with the Cornish–Fisher skew correction, within a count of the exact one there.
 */
export function countQuantile(mean: number, variance: number, p: number) {
  if (!(mean > 0)) return 0;
  const v = Math.max(variance, mean);
  if (mean < 200) {
    // Negative binomial with r successes of probability q: mean r(1−q)/q, variance mean/q.
    const q = mean / v;
    const r = q < 1 ? (mean * q) / (1 - q) : Number.POSITIVE_INFINITY;
    const log0 = q < 1 ? r * Math.log(q) : -mean;
    if (log0 > -700) {
      let pmf = Math.exp(log0);
      let cdf = pmf;
      for (let c = 0; c < MAX_TERMS; c++) {
        if (1 - cdf <= p) return c;
        pmf *= q < 1 ? ((c + r) / (c + 1)) * (1 - q) : mean / (c + 1);
        cdf += pmf;
      }
    }
  }
  const sd = Math.sqrt(v);
  const z = normalUpperQuantile(p);
  const skew = (2 * v - mean) / (mean * sd);
  return Math.max(0, Math.ceil(mean + sd * (z + ((z * z - 1) * skew) / 6) - 0.5));
}
