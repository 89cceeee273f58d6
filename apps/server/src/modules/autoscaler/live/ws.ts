import { type TAutoscalerEvent, type TLiveServerMessage, ZLiveClientMessage } from '@clockpilot/contracts';
import type { WebSocket } from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../../platform/auth';
import type { AppContext } from '../../../platform/context';
import { moduleApi } from '../../../platform/context';
import { clustersRepo } from '../clusters/clusters.repo';
import type { LiveBus } from './bus';
import { liveCookieToken } from './cookie';

/** A client must authenticate within this time. */
const AUTH_TIMEOUT_MS = 10_000;
/** Past this many unsent bytes a client is reading too slowly: it loses samples (events still go). */
const SLOW_READER_BYTES = 256 * 1024;
const CLOSE = { policy: 1008, tryAgainLater: 1013 } as const;
/** Adds to the followed set tried on subscribe before the client is told to poll instead. */
const SUBSCRIBE_TRIES = 3;
/** Re-adds after an outage wait this long after a failure, doubling up to the ping period. */
const RETRY_MS = 250;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

type Client = { socket: WebSocket; principal?: Principal; clusters: Set<string>; alive: boolean };

/**
 * `GET /api/v1/autoscaler/ws`: live samples, events and breaker changes of the caller's own clusters.
 * The handshake's cookie (set by the original's `/auth/login`) or the first message (`{type: "auth",
 * token}`) authenticates, so no token ever sits in a URL or a log.
 * The loop publishes only the clusters in the bus's followed set: a subscribe adds its cluster there,
 * then reads the latest stored event for its answer. A tick whose followed set was read before the add
 * had committed its event before that read, so the answer holds it; a later one publishes the line.
 */
export async function liveRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  bus: LiveBus,
  latest: (clusterId: string) => Promise<TAutoscalerEvent | null>,
) {
  const o = ctx.config.autoscaler;
  const clients = new Set<Client>();
  // Who follows each cluster, so a message costs its own subscribers, not a pass over every client.
  const followers = new Map<string, Set<Client>>();
  const follow = (c: Client, clusterId: string) => {
    c.clusters.add(clusterId);
    const set = followers.get(clusterId) ?? new Set<Client>();
    followers.set(clusterId, set);
    set.add(c);
  };
  const unfollow = (c: Client, clusterId: string) => {
    c.clusters.delete(clusterId);
    const set = followers.get(clusterId);
    set?.delete(c);
    if (set?.size === 0) followers.delete(clusterId);
  };
  const send = (c: Client, m: TLiveServerMessage) => c.socket.send(JSON.stringify(m));
  const notFound = (clusterId: string): TLiveServerMessage => ({
    type: 'error',
    code: 'not_found',
    message: 'Cluster not found',
    clusterId,
  });

  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  /**
   * Registers this replica and adds its clients' clusters to the followed set (dropping followers of
   * clusters deleted meanwhile); after a failure (Redis away) tried again, waiting longer each time,
   * until it is done or the app closes: until then the loop may skip this replica's clusters.
   */
  async function followAll(wait = RETRY_MS): Promise<void> {
    clearTimeout(retry);
    if (closed) return;
    try {
      const ids = [...followers.keys()];
      const kept = await clustersRepo.existing(ctx.db, ids);
      for (const id of ids) if (!kept.has(id)) dropCluster(id);
      const [registered, followed] = await Promise.all([
        bus.register(),
        kept.size > 0 ? bus.follow([...kept]) : true,
      ]);
      if (registered && followed) return;
    } catch {
      // The database is away: tried again below.
    }
    if (!closed)
      retry = setTimeout(() => void followAll(Math.min(wait * 2, o.wsPingSeconds * 1000)), wait).unref();
  }
  function dropCluster(clusterId: string) {
    for (const c of followers.get(clusterId) ?? []) {
      unfollow(c, clusterId);
      send(c, notFound(clusterId));
    }
  }
  const unsubscribe = bus.subscribe(
    (clusterId) => followers.has(clusterId),
    (line) => {
      const set = followers.get(line.clusterId);
      if (!set) return;
      // Copied out of the whole publication once per followed line: a slice would keep that message
      // (a chunk's lines, ~1 MB) alive in every slow socket's queue that holds it.
      const data = Buffer.from(line.json);
      for (const c of set) {
        if (line.type === 'sample' && c.socket.bufferedAmount > SLOW_READER_BYTES) continue;
        c.socket.send(data, { binary: false });
      }
    },
    // After a Redis outage the followed set may have lost this replica's clusters: added again once
    // both the subscription and the command connection are back (whichever comes last succeeds).
    (live) => void (live && followAll()),
  );
  const stopReady = bus.onReady(() => void followAll());
  // A peer that has not answered the last ping by the next one is gone: drop it. A per-replica timer, not
  // a platform job: jobs run once across replicas, but each replica must ping the sockets it holds
  // (docs/DECISIONS.md, "WebSocket keep-alive per replica").
  // Each ping period also renews this replica's clusters in the followed set.
  const stopPinger = ctx.timers.every('autoscaler.ws-ping', o.wsPingSeconds * 1000, () => {
    void followAll();
    for (const c of clients) {
      if (!c.alive) c.socket.terminate();
      else {
        c.alive = false;
        c.socket.ping();
      }
    }
  });
  app.addHook('onClose', async () => {
    closed = true;
    clearTimeout(retry);
    stopPinger();
    stopReady();
    unsubscribe();
    // Until now this replica's registration hid one subscriber; gone, an older release's shows again.
    await bus.unregister();
    for (const c of clients) c.socket.close(1001, 'server shutting down');
  });

  /** A message that is not one: said, and before the auth the connection ends (the first must be a valid auth). */
  function refuse(c: Client, code: 'invalid_json' | 'validation_failed', message: string) {
    send(c, { type: 'error', code, message });
    if (!c.principal) c.socket.close(CLOSE.policy, 'the first message must be a valid auth');
  }

  /** Signs the client in (answering `ready`); false for a token that is not valid now. */
  async function authenticate(c: Client, token: string): Promise<boolean> {
    let principal: Principal;
    try {
      principal = await moduleApi(ctx, 'identity').authenticate(token);
    } catch {
      return false;
    }
    // Again on an open socket only to renew the same user's token: its subscriptions are that user's.
    if (c.principal && c.principal.userId !== principal.userId) {
      c.socket.close(CLOSE.policy, 'this connection belongs to another user');
      return true;
    }
    c.principal = principal;
    send(c, { type: 'ready', userId: principal.userId });
    return true;
  }

  async function handle(c: Client, raw: string) {
    let parsed: ReturnType<typeof ZLiveClientMessage.safeParse>;
    try {
      parsed = ZLiveClientMessage.safeParse(JSON.parse(raw));
    } catch {
      return refuse(c, 'invalid_json', 'Messages are JSON');
    }
    if (!parsed.success) {
      // Each problem with where it is ("clusterId: Invalid uuid"), not the validator's dump.
      const message = parsed.error.issues
        .map((i) => `${i.path.join('.') || 'message'}: ${i.message}`)
        .join('; ');
      return refuse(c, 'validation_failed', message);
    }
    const m = parsed.data;
    if (m.type === 'auth') {
      if (!(await authenticate(c, m.token))) c.socket.close(CLOSE.policy, 'authentication failed');
      return;
    }
    if (!c.principal) return c.socket.close(CLOSE.policy, 'authenticate first');
    if (m.type === 'unsubscribe') {
      unfollow(c, m.clusterId);
      return send(c, { type: 'unsubscribed', clusterId: m.clusterId });
    }
    const owned = await clustersRepo.owned(ctx.db, c.principal.userId, m.clusterId);
    // A client gone while this waited is never followed: nothing would remove it again.
    if (!clients.has(c)) return;
    if (!owned) return send(c, notFound(m.clusterId));
    follow(c, m.clusterId);
    // Not followed in the shared set, the loop would skip its lines: the client polls instead.
    if (!(await addFollowed(m.clusterId))) {
      unfollow(c, m.clusterId);
      return send(c, {
        type: 'error',
        code: 'unavailable',
        message: 'Live updates are unavailable; try again later',
        clusterId: m.clusterId,
      });
    }
    const event = await latest(m.clusterId);
    if (clients.has(c)) send(c, { type: 'subscribed', clusterId: m.clusterId, event });
  }

  async function addFollowed(clusterId: string) {
    for (let i = 0; ; i++) {
      if (await bus.follow([clusterId])) return true;
      if (i + 1 >= SUBSCRIBE_TRIES) return false;
      await pause(RETRY_MS * 2 ** i);
    }
  }

  app.get(
    '/ws',
    { websocket: true, config: { public: true }, schema: { tags: ['autoscaler'] } },
    (socket, request) => {
      if (clients.size >= o.wsMaxConnections)
        return socket.close(CLOSE.tryAgainLater, 'too many connections');
      const c: Client = { socket, clusters: new Set(), alive: true };
      clients.add(c);
      const deadline = setTimeout(() => {
        if (!c.principal) socket.close(CLOSE.policy, 'authentication timed out');
      }, AUTH_TIMEOUT_MS).unref();
      // One message at a time, in order: a subscribe must not overtake its auth. The cookie's token
      // signs in first; a stale one leaves the first message to do it.
      const cookie = liveCookieToken(request, ctx.config);
      let queue: Promise<unknown> = cookie ? authenticate(c, cookie) : Promise.resolve();
      socket.on('message', (data: Buffer) => {
        queue = queue
          .then(() => handle(c, data.toString()))
          .catch(() => socket.close(1011, 'internal error'));
      });
      socket.on('pong', () => {
        c.alive = true;
      });
      socket.on('close', () => {
        clearTimeout(deadline);
        clients.delete(c);
        for (const id of [...c.clusters]) unfollow(c, id);
      });
    },
  );
}
