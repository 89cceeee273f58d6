import { AsyncResource } from 'node:async_hooks';

/**
 * Reads shared by the requests of one event-loop turn: the first asker of a key queues its read, the
 * others of the same turn join it, and the reads start together at the turn's end (setImmediate), so
 * each starts after every request sharing it arrived and sees what a read of its own would have. A
 * burst of booking requests for one vehicle and range, which the rate limiter's batched call hands to
 * the route in the same turn, costs one statement instead of one each.
 */
export function readsPerTurn<T>() {
  const queued = new Map<
    string,
    { read: () => Promise<T>; answer: Promise<T>; settle: (v: Promise<T>) => void }
  >();
  // Bound to where the reads were made (outside any request): a shared read must not run in the
  // first asker's context, whose unit of work would otherwise carry everyone's read into its transaction.
  const start = AsyncResource.bind(() => {
    const reads = [...queued.values()];
    queued.clear();
    for (const r of reads) r.settle(Promise.resolve().then(r.read));
  });
  return (key: string, read: () => Promise<T>): Promise<T> => {
    let r = queued.get(key);
    if (!r) {
      if (queued.size === 0) setImmediate(start);
      let settle!: (v: Promise<T>) => void;
      const answer = new Promise<T>((resolve) => (settle = resolve));
      r = { read, answer, settle };
      queued.set(key, r);
    }
    return r.answer;
  };
}
