import { describe, expect, it } from 'vitest';
import { compare } from './evaluate';

const run = (sloViolationMinutes: number, serverMinutes: number) => ({ sloViolationMinutes, serverMinutes });

describe("the evaluation's goal", () => {
  it('is at most 0.7 × the HPA’s SLO-violation minutes on at most its server-minutes', () => {
    expect(compare(run(10, 1000), run(7, 1000))).toEqual({
      sloViolationMinutesRatio: 0.7,
      serverMinutesRatio: 1,
      goalMet: true,
    });
    expect(compare(run(10, 1000), run(7.01, 900)).goalMet).toBe(false);
    expect(compare(run(10, 1000), run(1, 1000.5)).goalMet).toBe(false);
    // A hair over 0.7 that four digits of the ratio would round down to it.
    expect(compare(run(10_000, 1000), run(7000.4, 1000))).toMatchObject({
      sloViolationMinutesRatio: 0.7,
      goalMet: false,
    });
  });

  it('is met on the cost alone when neither policy violates the SLO, and not when only the predictive does', () => {
    expect(compare(run(0, 1000), run(0, 800))).toEqual({
      sloViolationMinutesRatio: 1,
      serverMinutesRatio: 0.8,
      goalMet: true,
    });
    expect(compare(run(0, 1000), run(0, 1001)).goalMet).toBe(false);
    expect(compare(run(0, 1000), run(0.25, 800))).toMatchObject({
      sloViolationMinutesRatio: Number.POSITIVE_INFINITY,
      goalMet: false,
    });
  });
});
