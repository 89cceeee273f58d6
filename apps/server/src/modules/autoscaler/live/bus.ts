import type { TLiveServerMessage } from '@clockpilot/contracts';
import type { AppContext } from '../../../platform/context';

const CHANNEL = 'autoscaler.live';
const BATCH = 1000;
export type LiveMessage = Extract<TLiveServerMessage, { clusterId: string }>;

/**
 * Cluster updates for the WebSockets of every replica: Redis pub/sub when REDIS_URL is set (so a
 * client on one replica sees what another decided), in-process otherwise.
 */
export function createLiveBus(ctx: AppContext) {
  return {
    /** A tick's messages go out in a few publications of up to 1,000 each, not one per message. */
    async publish(messages: LiveMessage[]) {
      for (let i = 0; i < messages.length; i += BATCH)
        await ctx.cache.publish(CHANNEL, JSON.stringify(messages.slice(i, i + BATCH)));
    },
    subscribe: (fn: (message: LiveMessage) => void) =>
      ctx.cache.subscribe(CHANNEL, (raw) => {
        for (const m of JSON.parse(raw) as LiveMessage[]) fn(m);
      }),
  };
}
export type LiveBus = ReturnType<typeof createLiveBus>;
