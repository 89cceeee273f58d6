import { randomUUID } from 'node:crypto';
import type { TLiveServerMessage } from '@clockpilot/contracts';
import type { AppContext } from '../../../platform/context';

// The line format below is not the one the channel `autoscaler.live` carried; a new name keeps a
// replica of the old version from misreading it during a rolling deploy.
export const LIVE_CHANNEL = 'autoscaler.live.lines';
const BATCH = 1000;
/** The clusters some replica's WebSocket clients follow, kept current by those replicas. */
const FOLLOWED = 'autoscaler.followed';
/** The replicas that keep FOLLOWED: a subscriber to the channel beyond these may not, and gets every line. */
const REPLICAS = 'autoscaler.live.replicas';
export type LiveMessage = Extract<TLiveServerMessage, { clusterId: string }>;

/** A live message serialised once (as UTF-8), with what a replica routes it by beside its JSON. */
export type LiveLine = { clusterId: string; type: LiveMessage['type']; json: Buffer };

export const lineOf = (m: LiveMessage): LiveLine => ({
  clusterId: m.clusterId,
  type: m.type,
  json: Buffer.from(JSON.stringify(m)),
});

/**
 * `<clusterId> <type> <json>` per line (JSON never holds a raw newline): a replica finds a message's
 * followers without parsing it, and sends the JSON bytes as they came, so a tick's 20,000 messages
 * cost the replicas nothing for clusters that no one there follows. The lines are bytes end to end:
 * a message with one non-Latin-1 character no longer turns the whole publication into a two-byte
 * string to be encoded and decoded again.
 */
export function encodeLines(lines: LiveLine[]): Buffer {
  const parts: Buffer[] = [];
  for (const [i, l] of lines.entries())
    parts.push(Buffer.from(`${i > 0 ? '\n' : ''}${l.clusterId} ${l.type} `), l.json);
  return Buffer.concat(parts);
}

const NL = 0x0a;
const SP = 0x20;

/** The lines of a publication whose cluster is `wanted`; the others are skipped unread. */
export function decodeLines(
  raw: Buffer,
  wanted: (clusterId: string) => boolean,
  fn: (line: LiveLine) => void,
) {
  for (let start = 0; start < raw.length; ) {
    let end = raw.indexOf(NL, start);
    if (end < 0) end = raw.length;
    const a = raw.indexOf(SP, start);
    const b = a < 0 ? -1 : raw.indexOf(SP, a + 1);
    if (a > start && b > a && b < end) {
      const clusterId = raw.toString('latin1', start, a);
      if (wanted(clusterId))
        fn({
          clusterId,
          type: raw.toString('latin1', a + 1, b) as LiveLine['type'],
          json: raw.subarray(b + 1, end),
        });
    }
    start = end + 1;
  }
}

/**
 * Cluster updates for the WebSockets of every replica: Redis pub/sub when REDIS_URL is set (so a
 * client on one replica sees what another decided), in-process otherwise. Only the clusters that some
 * replica follows are published per tick: each replica adds the clusters its clients follow to a
 * shared set when they subscribe and again every ping period, and registers itself beside them. While
 * the channel has more subscribers than registered replicas (a replica of a release before this
 * set, during a rolling deploy or a rollback), every line is published.
 */
export function createLiveBus(ctx: AppContext) {
  const o = ctx.config.autoscaler;
  // Three ping periods, two ticks or a minute, whichever is longest: an event loop blocked for a
  // while (a long tick on the same replica) must not let a followed cluster expire.
  const keepSeconds = Math.max(3 * o.wsPingSeconds, 2 * o.syncSeconds, 60);
  const replicaId = randomUUID();
  /** Whether a subscriber that keeps no followed set may be listening; false without Redis. */
  async function unregistered() {
    const [subscribers, replicas] = await Promise.all([
      ctx.cache.subscribers(LIVE_CHANNEL),
      ctx.cache.members(REPLICAS),
    ]);
    return subscribers !== undefined && (replicas === undefined || subscribers > replicas.size);
  }
  return {
    /** Marks clusters as followed, so the loop publishes their lines; false when that failed. */
    follow: (clusterIds: string[]) => ctx.cache.keepMembers(FOLLOWED, clusterIds, keepSeconds),
    /** Registers this replica as one that keeps the followed set; false when that failed. */
    // Short: a stopped replica must soon stop hiding an older one's subscriber (a lapse only publishes all).
    register: () => ctx.cache.keepMembers(REPLICAS, [replicaId], 3 * o.wsPingSeconds),
    /** Leaves the registered replicas at once (on shutdown), not when the registration lapses. */
    unregister: () => ctx.cache.dropMembers(REPLICAS, [replicaId]),
    /** Calls `fn` when Redis takes commands again after an outage (the shared sets may have gone). */
    onReady: (fn: () => void) => ctx.cache.onReady(fn),
    /** Whether anyone follows a cluster now; every cluster when that cannot be known. */
    async followed(): Promise<(clusterId: string) => boolean> {
      const [set, everyone] = await Promise.all([ctx.cache.members(FOLLOWED), unregistered()]);
      return set && !everyone ? (id) => set.has(id) : () => true;
    },
    /** A tick's messages go out in a few publications of up to 1,000 each, not one per message. */
    async publish(lines: LiveLine[]) {
      for (let i = 0; i < lines.length; i += BATCH)
        await ctx.cache.publish(LIVE_CHANNEL, encodeLines(lines.slice(i, i + BATCH)));
    },
    /** The lines of the clusters `wanted` here, each with its JSON as the bytes published. */
    subscribe: (
      wanted: (clusterId: string) => boolean,
      fn: (line: LiveLine) => void,
      onLive?: (live: boolean) => void,
    ) => ctx.cache.subscribeBuffer(LIVE_CHANNEL, (raw) => decodeLines(raw, wanted, fn), onLive),
  };
}
export type LiveBus = ReturnType<typeof createLiveBus>;
