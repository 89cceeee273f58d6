import { describe, expect, it } from 'vitest';
import { gridWriter } from './utilisation.writer';

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

describe('grid writer', () => {
  it('prints series as JSON.stringify prints their rounded numbers', () => {
    const n = 53;
    let seed = 11;
    const random = () => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    // Quarter hours with float noise, zeros, negatives, values past the writer's small table, NaN and -0.
    const value = () => {
      const x = random();
      if (x < 0.05) return -random() * 3;
      if (x < 0.1) return random() * 2_000;
      if (x < 0.15) return 0;
      if (x < 0.17) return Number.NaN;
      if (x < 0.18) return -0;
      return Math.round(random() * 800) / 4 + random() / 1_000;
    };
    const series = () => Array.from({ length: n }, value);
    // Twice: the second grid reads the bytes the first one printed into the shared table.
    for (let grid = 0; grid < 2; grid++) {
      const w = gridWriter(n, 16);
      const expected: string[] = [];
      for (let r = 0; r < 300; r++) {
        const [assigned, tentative, capacity] = [series(), series(), r % 7 === 0 ? null : series()];
        w.text(r === 0 ? '[{' : ',{');
        w.series(assigned, tentative, capacity);
        w.text('}');
        expected.push(
          JSON.stringify({
            assigned: assigned.map((x) => round(x, 2)),
            tentative: tentative.map((x) => round(x, 2)),
            capacity: capacity ? capacity.map((x) => round(x, 2)) : null,
            utilisation:
              capacity && assigned.map((a, i) => (capacity[i]! > 0 ? round(a / capacity[i]!, 3) : null)),
          }),
        );
      }
      w.text(']');
      expect(w.done().toString()).toBe(`[${expected.join(',')}]`);
    }
  });
});
