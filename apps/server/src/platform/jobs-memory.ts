import { randomUUID } from 'node:crypto';
import cronParser from 'cron-parser';
import type { Claimed, DeadLetter, Engine, Queue, Wake } from './jobs';

/** Dead letters kept per queue; the oldest go first. */
const DEAD_LETTER_CAP = 100;
/** setTimeout's longest delay (about 24.8 days); a later cron run re-arms on the way. */
const MAX_TIMER_MS = 2 ** 31 - 1;

type Waiting = Claimed & { runAt: number };

/** pg-boss's backoff: retry n waits base·2^(n-1), plus up to as much again of jitter. */
function retryDelayMs(baseSeconds: number, attempt: number): number {
  return baseSeconds * 2 ** (Math.min(16, attempt) - 1) * (1 + Math.random()) * 1000;
}

/**
 * Jobs in memory for a single node on embedded PGlite, with pg-boss's semantics: singleton slots,
 * retries with backoff, dead letters, expiry and cron in UTC. Jobs do not survive a restart.
 */
export function inProcessEngine(wake: Wake): Engine {
  const settings = new Map<string, Queue>();
  const waiting = new Map<string, Waiting[]>();
  const dead = new Map<string, DeadLetter[]>();
  /** Taken singleton slots and when each frees up. */
  const slots = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();

  const queueOf = (name: string) => {
    const list = waiting.get(name);
    if (!list) throw new Error(`unknown job queue "${name}"`);
    return list;
  };

  function insert(name: string, data: unknown, runAt: number): string {
    const queue = settings.get(name)!;
    const id = randomUUID();
    // A JSON copy, as the jsonb column stores it on PostgreSQL: dates become strings, nothing is shared.
    const copy = JSON.parse(JSON.stringify(data));
    queueOf(name).push({
      id,
      data: copy,
      attempt: 1,
      retryLimit: queue.retryLimit,
      expireInSeconds: queue.expireInSeconds,
      runAt,
    });
    if (runAt <= Date.now()) wake(name);
    return id;
  }

  /** Claims the slot of `now`, or answers false when it is taken. */
  function takeSlot(name: string, seconds: number, key: string, now: number): boolean {
    for (const [slot, freeAt] of slots) if (freeAt <= now) slots.delete(slot);
    const size = seconds * 1000;
    const start = Math.floor(now / size) * size;
    const slot = `${name}\n${key}\n${start}`;
    if (slots.has(slot)) return false;
    slots.set(slot, start + size);
    return true;
  }

  function armCron(queue: Queue & { cron: string }) {
    const next = cronParser
      .parseExpression(queue.cron, { tz: 'UTC', currentDate: new Date() })
      .next()
      .getTime();
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        // A timer may fire a little early, or be a long wait cut short: only a due run is sent.
        if (Date.now() >= next) insert(queue.name, null, Date.now());
        armCron(queue);
      },
      Math.min(next - Date.now(), MAX_TIMER_MS),
    ).unref();
    timers.add(timer);
  }

  return {
    async start(queues) {
      for (const queue of queues) {
        settings.set(queue.name, queue);
        waiting.set(queue.name, []);
        dead.set(queue.name, []);
        if (queue.cron) armCron({ ...queue, cron: queue.cron });
      }
    },

    async send(name, data, opts) {
      const now = Date.now();
      if (opts.singletonSeconds && !takeSlot(name, opts.singletonSeconds, opts.singletonKey ?? '', now))
        return null;
      return insert(name, data, now + (opts.startAfterSeconds ?? 0) * 1000);
    },

    async claim(name) {
      const list = queueOf(name);
      const now = Date.now();
      const index = list.findIndex((job) => job.runAt <= now);
      if (index < 0) return null;
      const [job] = list.splice(index, 1);
      return job!;
    },

    async complete() {},

    async fail(name, job, error) {
      if (job.attempt <= job.retryLimit) {
        const delay = retryDelayMs(settings.get(name)!.retryDelaySeconds, job.attempt);
        queueOf(name).push({ ...job, attempt: job.attempt + 1, runAt: Date.now() + delay });
        return;
      }
      const letters = dead.get(name)!;
      letters.unshift({ id: job.id, data: job.data, error: error.message, failedAt: new Date() });
      letters.length = Math.min(letters.length, DEAD_LETTER_CAP);
    },

    async deadLetters(name, limit) {
      return (dead.get(name) ?? []).slice(0, limit);
    },

    async stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
