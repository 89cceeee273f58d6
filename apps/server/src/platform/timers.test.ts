import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestRuntime } from '../../test/helpers';
import { createTimers } from './timers';

/** A logger whose lines the test reads. */
function recordingLog() {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe('per-replica timers', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('run only once started, and never again once stopped', async () => {
    const timers = createTimers(recordingLog().log);
    let runs = 0;
    timers.every('test.count', 1000, () => {
      runs++;
    });
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(0);
    timers.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(runs).toBe(3);
    await timers.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('log a throwing run with the timer name and run the next one all the same', async () => {
    const { log, lines } = recordingLog();
    const timers = createTimers(log);
    let runs = 0;
    timers.start();
    timers.every('test.flaky', 1000, async () => {
      runs++;
      if (runs === 1) throw new Error('first run breaks');
    });
    await vi.advanceTimersByTimeAsync(2000);
    expect(runs).toBe(2);
    const failed = lines.filter((l) => l.msg === 'timer run failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ timer: 'test.flaky', err: { message: 'first run breaks' } });
    await timers.stop();
  });

  it('do not start a run while the last one is still going, and stop waits for it', async () => {
    const timers = createTimers(recordingLog().log);
    let running = 0;
    let most = 0;
    let release = () => {};
    timers.start();
    timers.every('test.slow', 1000, async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      running--;
    });
    // The first run takes ten periods; no second run starts beside it.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(running).toBe(1);
    let stopped = false;
    const stopping = timers.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(most).toBe(1);
    expect(running).toBe(0);
  });

  it('stop one timer alone with the function every() answers', async () => {
    const timers = createTimers(recordingLog().log);
    const runs = { kept: 0, dropped: 0 };
    timers.start();
    timers.every('test.kept', 1000, () => {
      runs.kept++;
    });
    const drop = timers.every('test.dropped', 1000, () => {
      runs.dropped++;
    });
    await vi.advanceTimersByTimeAsync(1000);
    drop();
    await vi.advanceTimersByTimeAsync(2000);
    expect(runs).toEqual({ kept: 3, dropped: 1 });
    await timers.stop();
  });
});

describe('timers in the runtime', { timeout: 300_000 }, () => {
  it('start with the server and stop when it closes', async () => {
    const runtime = await createTestRuntime({ env: { MODULES: 'identity' }, jobs: true });
    let runs = 0;
    let firstRun = () => {};
    const ran = new Promise<void>((resolve) => {
      firstRun = resolve;
    });
    runtime.ctx.timers.every('test.tick', 1, () => {
      runs++;
      firstRun();
    });
    await ran;
    await runtime.close();
    const atClose = runs;
    // A timer still armed would run again within a few of its 1 ms periods.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runs).toBe(atClose);
  });
});
