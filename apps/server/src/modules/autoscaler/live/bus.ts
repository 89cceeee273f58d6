import type { TLiveServerMessage } from '@clockpilot/contracts';
import type { AppContext } from '../../../platform/context';

// The line format below is not the one the channel `autoscaler.live` carried; a new name keeps a
// replica of the old version from misreading it during a rolling deploy.
export const LIVE_CHANNEL = 'autoscaler.live.lines';
const BATCH = 1000;
export type LiveMessage = Extract<TLiveServerMessage, { clusterId: string }>;

/** A live message serialised once, with what a replica routes it by beside its JSON. */
export type LiveLine = { clusterId: string; type: LiveMessage['type']; json: string };

export const lineOf = (m: LiveMessage): LiveLine => ({
  clusterId: m.clusterId,
  type: m.type,
  json: JSON.stringify(m),
});

/**
 * `<clusterId> <type> <json>` per line (JSON never holds a raw newline): a replica finds a message's
 * followers without parsing it, and sends the JSON as it came, so a tick's 20,000 messages cost the
 * replicas nothing for clusters that no one there follows.
 */
export const encodeLines = (lines: LiveLine[]) =>
  lines.map((l) => `${l.clusterId} ${l.type} ${l.json}`).join('\n');

export function decodeLines(raw: string, fn: (line: LiveLine) => void) {
  for (let start = 0; start < raw.length; ) {
    let end = raw.indexOf('\n', start);
    if (end < 0) end = raw.length;
    const a = raw.indexOf(' ', start);
    const b = raw.indexOf(' ', a + 1);
    if (a > start && b > a && b < end)
      fn({
        clusterId: raw.slice(start, a),
        type: raw.slice(a + 1, b) as LiveLine['type'],
        json: raw.slice(b + 1, end),
      });
    start = end + 1;
  }
}

/**
 * Cluster updates for the WebSockets of every replica: Redis pub/sub when REDIS_URL is set (so a
 * client on one replica sees what another decided), in-process otherwise.
 */
export function createLiveBus(ctx: AppContext) {
  return {
    /** A tick's messages go out in a few publications of up to 1,000 each, not one per message. */
    async publish(lines: LiveLine[]) {
      for (let i = 0; i < lines.length; i += BATCH)
        await ctx.cache.publish(LIVE_CHANNEL, encodeLines(lines.slice(i, i + BATCH)));
    },
    subscribe: (fn: (line: LiveLine) => void) =>
      ctx.cache.subscribe(LIVE_CHANNEL, (raw) => decodeLines(raw, fn)),
  };
}
export type LiveBus = ReturnType<typeof createLiveBus>;
