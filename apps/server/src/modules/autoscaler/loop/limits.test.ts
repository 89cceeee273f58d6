import { describe, expect, it } from 'vitest';
import { limiter } from './limits';
import { tickConnections } from './loop.service';

describe("the tick's database budget", () => {
  it('leaves two pooled connections to requests, and runs half as many saves as it may hold connections', () => {
    expect(tickConnections(10)).toEqual({ connections: 8, saves: 4 });
    expect(tickConnections(25)).toEqual({ connections: 23, saves: 4 });
    expect(tickConnections(6)).toEqual({ connections: 4, saves: 2 });
    expect(tickConnections(3)).toEqual({ connections: 1, saves: 1 });
    expect(tickConnections(1)).toEqual({ connections: 1, saves: 1 });
  });

  it('never runs more than its limit at once, and runs every call in the order asked', async () => {
    const run = limiter(2);
    let active = 0;
    let most = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 5 }, () => {
      let resolve = () => {};
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      return { promise, resolve };
    });
    const calls = gates.map((gate, i) =>
      run(async () => {
        active++;
        most = Math.max(most, active);
        order.push(i);
        await gate.promise;
        active--;
        return i;
      }),
    );
    for (const gate of gates) {
      await new Promise((resolve) => setImmediate(resolve));
      gate.resolve();
    }
    expect(await Promise.all(calls)).toEqual([0, 1, 2, 3, 4]);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });
});
