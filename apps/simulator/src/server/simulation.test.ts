import { afterEach, describe, expect, it, vi } from 'vitest';
import { Simulation } from './simulation';

afterEach(() => vi.useRealTimers());

describe('the simulation clock', () => {
  it('moves every cluster on by real time × speed, in equal steps', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const sim = new Simulation({ speed: 30, stepSeconds: 1, maxClusters: 10 });
    sim.put('a', { load: { type: 'constant', rps: 3 } });
    sim.put('b', {});
    sim.start(100);
    vi.advanceTimersByTime(1050);
    // 1.0 s of real time ticked (10 ticks of 100 ms) = 30 simulated seconds, in 1-second steps.
    expect([sim.get('a').now, sim.get('b').now]).toEqual([30, 30]);
    expect(sim.get('a').metrics().cluster.requestRate).toBe(3);
    sim.stop();
    vi.advanceTimersByTime(1000);
    expect(sim.get('a').now).toBe(30);
  });

  it('keeps still at speed 0, where only advance moves a cluster', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const sim = new Simulation({ speed: 0, stepSeconds: 1, maxClusters: 10 });
    sim.put('a', {});
    sim.start(100);
    vi.advanceTimersByTime(5000);
    expect(sim.get('a').now).toBe(0);
    expect(sim.advance('a', 7.5).now).toBe(7.5);
  });

  it('drops what it cannot step and says so, rather than falling ever further behind', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const sim = new Simulation({ speed: 100_000, stepSeconds: 1, maxClusters: 10 });
    const dropped: number[] = [];
    sim.onBehind = (steps) => dropped.push(steps);
    sim.put('a', {});
    sim.start(1000);
    vi.advanceTimersByTime(1000);
    expect(sim.get('a').now).toBe(10_000);
    expect(dropped).toEqual([90_000]);
    sim.stop();
  });

  it('holds at most the configured number of clusters', () => {
    const sim = new Simulation({ speed: 0, stepSeconds: 1, maxClusters: 1 });
    sim.put('a', {});
    expect(() => sim.put('b', {})).toThrow('at most 1');
    expect(sim.put('a', { capacityRps: 5 }).created).toBe(false);
  });
});
