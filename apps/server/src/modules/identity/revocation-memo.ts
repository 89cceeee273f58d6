import type { AppContext } from '../../platform/context';

const CHANNEL = 'identity:revocations';
/** A remembered answer is read again after this long even without a message: a bound on surprises. */
const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 50_000;

/**
 * Revocation state (revoked sessions, users' authorisation versions) and account rows remembered in
 * the process, so checking an access token or answering `/auth/me` costs no round trip. Whoever changes
 * a value publishes its key once the change is committed, and every replica forgets it at once. While
 * that channel is not live (Redis reconnecting, messages possibly missed) nothing is remembered and
 * every read goes to its source.
 */
export function createRevocationMemo(ctx: AppContext) {
  const entries = new Map<string, { value: unknown; at: number }>();
  // Loads under way: a burst of first requests for one key (a token's first 500 calls after a start
  // or a flush) waits for one round trip instead of each making its own.
  const loading = new Map<string, { promise: Promise<unknown>; generation: number }>();
  let live = false;
  // Moves on with every message: a read that started before one must not store what it read.
  let generation = 0;
  const forget = (key?: string) => {
    generation++;
    if (key === undefined) entries.clear();
    else entries.delete(key);
  };
  ctx.cache.subscribe(
    CHANNEL,
    (key) => forget(key),
    (isLive) => {
      live = isLive;
      forget();
    },
  );

  return {
    /**
     * The value of `key`, from memory or else from `load` (by default the shared cache). `keep` says
     * which loaded values are remembered: not, for instance, a miss anyone can provoke at will.
     */
    async read<T = string | undefined>(
      key: string,
      load: () => Promise<T> = () => ctx.cache.get(key) as Promise<T>,
      keep: (value: T) => boolean = () => true,
    ): Promise<T> {
      const hit = entries.get(key);
      if (live && hit && performance.now() - hit.at < MAX_AGE_MS) return hit.value as T;
      const pending = loading.get(key);
      if (live && pending && pending.generation === generation) return pending.promise as Promise<T>;
      const started = generation;
      const promise = load();
      if (live) loading.set(key, { promise, generation: started });
      let value: T;
      try {
        value = await promise;
      } finally {
        if (loading.get(key)?.promise === promise) loading.delete(key);
      }
      if (live && started === generation && keep(value)) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(key, { value, at: performance.now() });
      }
      return value;
    },
    /** Call after the value changed (and its transaction committed): this and every other replica forget it. */
    async changed(key: string): Promise<void> {
      forget(key);
      await ctx.cache.publish(CHANNEL, key);
    },
  };
}
