import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpu, pods, run } from '../../../../test/factories/autoscaler';

// Invariants that hold for any input, whatever the arithmetic of a particular case.
const policy = fc.record({
  type: fc.constantFrom('Pods', 'Percent'),
  value: fc.integer({ min: 1, max: 200 }),
  periodSeconds: fc.integer({ min: 1, max: 600 }),
});
const rulesArb = fc.option(
  fc.record({
    stabilizationWindowSeconds: fc.integer({ min: 0, max: 600 }),
    selectPolicy: fc.constantFrom('Max', 'Min', 'Disabled'),
    policies: fc.array(policy, { minLength: 1, maxLength: 3 }),
  }),
);
const recs = fc.array(
  fc.record({ replicas: fc.integer({ min: 0, max: 300 }), ageSeconds: fc.integer({ min: 0, max: 900 }) }),
  { maxLength: 10 },
);
const events = fc.array(
  fc.record({ change: fc.integer({ min: 1, max: 50 }), ageSeconds: fc.integer({ min: 0, max: 900 }) }),
  { maxLength: 5 },
);

describe('HPA engine properties', () => {
  it('a sync never leaves [min, max] when it starts inside it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.integer({ min: 0, max: 4000 }), { minLength: 1, maxLength: 60 }),
        fc.option(fc.record({ scaleUp: rulesArb, scaleDown: rulesArb })),
        recs,
        events,
        events,
        (min, span, target, usage, behavior, recommendations, scaleUpEvents, scaleDownEvents) => {
          const max = min + span;
          const C = Math.max(min, Math.min(max, usage.length));
          const out = run('reconcile', {
            specReplicas: C,
            minReplicas: min,
            maxReplicas: max,
            pods: pods(C),
            metrics: [cpu(target, usage.slice(0, C))],
            behavior,
            recommendations,
            scaleUpEvents,
            scaleDownEvents,
          });
          if (C === 0 && min !== 0) return expect(out.desiredReplicas).toBe(0);
          expect(out.desiredReplicas).toBeGreaterThanOrEqual(min);
          expect(out.desiredReplicas).toBeLessThanOrEqual(max);
        },
      ),
    );
  });

  it('a usage ratio inside the tolerance band proposes no change', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 10, max: 200 }),
        fc.nat(),
        (n, target, k) => {
          // Every server at the same utilization, so the integer percent is exactly `util`.
          const lo = Math.round(target * 0.9);
          const util = lo + (k % (Math.round(target * 1.1) - lo + 1));
          fc.pre(util / target >= 0.9 && util / target <= 1.1);
          const out = run('replicaCalc', {
            currentReplicas: n,
            pods: pods(n),
            metric: cpu(target, Array(n).fill(util * 10)),
          });
          expect(out).toMatchObject({ replicas: n, usage: util });
        },
      ),
    );
  });

  it('rate limits land between the current and the desired count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.array(policy, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('Max', 'Min', 'Disabled'),
        events,
        events,
        (min, span, c, d, policies, selectPolicy, scaleUpEvents, scaleDownEvents) => {
          const max = min + span;
          const current = min + (c % (span + 1));
          const desired = min + (d % (span + 1));
          const r = { stabilizationWindowSeconds: 0, selectPolicy, policies };
          const out = run('behaviorRate', {
            currentReplicas: current,
            desiredReplicas: desired,
            minReplicas: min,
            maxReplicas: max,
            scaleUp: r,
            scaleDown: r,
            scaleUpEvents,
            scaleDownEvents,
          });
          const replicas = out.replicas as number;
          expect(replicas).toBeGreaterThanOrEqual(Math.min(current, desired));
          expect(replicas).toBeLessThanOrEqual(Math.max(current, desired));
          if (selectPolicy === 'Disabled') expect(replicas).toBe(current);
        },
      ),
    );
  });

  it('scale-down stabilization gives the highest recommendation inside the window, never less than the desire', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        recs,
        fc.integer({ min: 0, max: 600 }),
        (desired, recommendations, windowSeconds) => {
          const out = run('stabilize', {
            prenormalizedDesiredReplicas: desired,
            recommendations,
            windowSeconds,
          });
          const inside = recommendations.filter((r) => r.ageSeconds < windowSeconds).map((r) => r.replicas);
          expect(out.stabilizedReplicas).toBe(Math.max(desired, ...inside));
          // Old entries are reused, so the log grows by at most one.
          expect(out.recommendationsLengthAfter).toBeLessThanOrEqual(recommendations.length + 1);
        },
      ),
    );
  });
});
