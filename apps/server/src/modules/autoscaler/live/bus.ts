import type { TLiveServerMessage } from '@clockpilot/contracts';
import type { AppContext } from '../../../platform/context';

const CHANNEL = 'autoscaler.live';
export type LiveMessage = Extract<TLiveServerMessage, { clusterId: string }>;

/**
 * Cluster updates for the WebSockets of every replica: Redis pub/sub when REDIS_URL is set (so a
 * client on one replica sees what another decided), in-process otherwise.
 */
export function createLiveBus(ctx: AppContext) {
  return {
    publish: (messages: LiveMessage[]) =>
      Promise.all(messages.map((m) => ctx.cache.publish(CHANNEL, JSON.stringify(m)))).then(() => undefined),
    subscribe: (fn: (message: LiveMessage) => void) =>
      ctx.cache.subscribe(CHANNEL, (raw) => fn(JSON.parse(raw) as LiveMessage)),
  };
}
export type LiveBus = ReturnType<typeof createLiveBus>;
