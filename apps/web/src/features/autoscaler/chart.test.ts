import { describe, expect, it } from 'vitest';
import { niceMax, plot } from './chart';

describe('chart', () => {
  it('rounds the axis top up to 1, 2 or 5 times a power of ten', () => {
    expect([niceMax(0), niceMax(0.3), niceMax(7), niceMax(12), niceMax(180), niceMax(500)]).toEqual([
      1, 0.5, 10, 20, 200, 500,
    ]);
  });

  it('draws values across the width on one scale and breaks the line at a gap', () => {
    const { paths, max } = plot(
      [
        { label: 'a', color: 'red', values: [0, 10, null, 20] },
        { label: 'b', color: 'blue', values: [5] },
      ],
      300,
      100,
    );
    expect(max).toBe(20);
    expect(paths[0]!.d).toBe('M0.0 100.0 L100.0 50.0 M300.0 0.0');
    expect(paths[1]!.d).toBe('M0.0 75.0');
  });
});
