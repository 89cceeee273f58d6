import type { Logger } from 'pino';

/**
 * Periodic work that every replica does for what it alone holds (the WebSocket pinger pings this
 * process's sockets). Work that must run once across replicas is a job (`platform/jobs.ts`) instead.
 */
export type Timers = {
  /**
   * Runs `fn` every `ms` from start (or at once, once started): the next run is armed only when the
   * last has settled, so a slow run never overlaps the next; a throw is logged with the timer's name.
   * Answers a function that stops this timer alone.
   */
  every(name: string, ms: number, fn: () => void | Promise<void>): () => void;
  /** Arms every timer; the server calls it once the app has started. */
  start(): void;
  /** Stops every timer and waits for the runs in progress; safe to call more than once. */
  stop(): Promise<void>;
};

type Entry = {
  name: string;
  ms: number;
  fn: () => void | Promise<void>;
  handle?: NodeJS.Timeout;
  running?: Promise<void>;
  stopped: boolean;
};

export function createTimers(log: Logger): Timers {
  const entries = new Set<Entry>();
  let state: 'idle' | 'started' | 'stopped' = 'idle';

  function arm(e: Entry) {
    if (e.stopped || state !== 'started') return;
    // unref'd: a timer never keeps the process alive on its own.
    e.handle = setTimeout(() => {
      e.handle = undefined;
      e.running = run(e).finally(() => {
        e.running = undefined;
        arm(e);
      });
    }, e.ms).unref();
  }

  async function run(e: Entry) {
    try {
      await e.fn();
    } catch (err) {
      log.error({ err, timer: e.name }, 'timer run failed');
    }
  }

  function halt(e: Entry) {
    e.stopped = true;
    clearTimeout(e.handle);
    entries.delete(e);
  }

  return {
    every(name, ms, fn) {
      if (!(ms > 0)) throw new Error(`timer "${name}" needs a positive period, not ${ms} ms`);
      const e: Entry = { name, ms, fn, stopped: state === 'stopped' };
      if (e.stopped) return () => {};
      entries.add(e);
      arm(e);
      return () => halt(e);
    },
    start() {
      if (state !== 'idle') return;
      state = 'started';
      for (const e of entries) arm(e);
    },
    async stop() {
      state = 'stopped';
      const running = [...entries].map((e) => e.running);
      for (const e of [...entries]) halt(e);
      await Promise.all(running);
    },
  };
}
