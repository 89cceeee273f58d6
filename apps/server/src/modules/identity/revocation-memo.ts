import type { AppContext } from '../../platform/context';

const CHANNEL = 'identity:revocations';
/** A remembered answer is read again after this long even without a message: a bound on surprises. */
const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 50_000;

/**
 * Revocation state (revoked sessions, users' authorisation versions) remembered in the process, so
 * checking an access token costs no round trip to the shared cache. Whoever changes a value publishes
 * its key, and every replica forgets it at once. While that channel is not live (Redis reconnecting,
 * messages possibly missed) nothing is remembered and every check reads the shared cache.
 */
export function createRevocationMemo(ctx: AppContext) {
  const entries = new Map<string, { value: string | undefined; at: number }>();
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
    async read(key: string): Promise<string | undefined> {
      const hit = entries.get(key);
      if (live && hit && performance.now() - hit.at < MAX_AGE_MS) return hit.value;
      const started = generation;
      const value = await ctx.cache.get(key);
      if (live && started === generation) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(key, { value, at: performance.now() });
      }
      return value;
    },
    /** Call after the shared value changed: this and every other replica forget it. */
    async changed(key: string): Promise<void> {
      forget(key);
      await ctx.cache.publish(CHANNEL, key);
    },
  };
}
