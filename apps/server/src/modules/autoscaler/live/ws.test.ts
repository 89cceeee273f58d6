import { randomBytes } from 'node:crypto';
import { ZLiveServerMessage } from '@clockpilot/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createCluster } from '../../../../test/factories/autoscaler';
import { type LoggedIn, loginAs, signIn } from '../../../../test/factories/identity';
import {
  completedJobs,
  createTestApp,
  moduleServices,
  type TestApp,
  testClock,
  testPostgres,
} from '../../../../test/helpers';
import { request } from '../../../../test/http';
import { connectLive } from '../../../../test/live-socket';
import { startSimulator, type TestSimulator } from '../../../../test/simulator';
import { clustersRepo } from '../clusters/clusters.repo';
import { lineOf } from './bus';

const clock = testClock(new Date('2026-11-26T12:00:00Z'));
let a: TestApp;
let b: TestApp;
let sim: TestSimulator;
let owner: LoggedIn;
let wsUrl: string;

beforeAll(async () => {
  sim = await startSimulator();
  const env = {
    ...sim.env,
    AUTOSCALER_SYNC_SECONDS: '3600',
    AUTOSCALER_WS_MAX_CONNECTIONS: '3',
    AUTOSCALER_WS_MAX_MESSAGE_BYTES: '1024',
    // Long enough for the slow reader below to stay connected while it is sent 40,000 samples.
    AUTOSCALER_WS_PING_SECONDS: '3',
  };
  const shareRedisPrefix = `cpt:${randomBytes(4).toString('hex')}:`;
  a = await createTestApp({ clock, env, shareRedisPrefix });
  // On PostgreSQL + Redis a second replica on the same database and Redis; embedded, the one app.
  b = a.url ? await createTestApp({ clock, env, shareRedisPrefix, database: testPostgres(a.url, 2) }) : a;
  // The job runner ticks once at start: that tick must not land mid-test, on a cluster a test ticks.
  const ticked = async (t: TestApp) => (await completedJobs(t.runtime, 'autoscaler.sync')) > 0;
  await vi.waitUntil(async () => (await ticked(a)) || (await ticked(b)), { timeout: 20_000, interval: 50 });
  owner = await loginAs(a);
  const address = await a.app.listen({ port: 0, host: '127.0.0.1' });
  wsUrl = `${address.replace('http', 'ws')}/api/v1/autoscaler/ws`;
});
afterAll(async () => {
  if (b !== a) await b?.close();
  await a?.close();
  await sim?.stop();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The clusters replica A adds to the followed set, call by call, from now on. */
function followCalls() {
  const spy = vi.spyOn(a.runtime.ctx.cache, 'keepMembers');
  return {
    spy,
    /** Waits for A's next renewal (each ping period), then lists the clusters it has added since. */
    async afterRenewal() {
      const from = spy.mock.calls.length;
      await vi.waitUntil(() => spy.mock.calls.slice(from).some(([key]) => key.endsWith('replicas')), {
        timeout: 10_000,
      });
      return spy.mock.calls.slice(from).flatMap(([key, ids]) => (key.endsWith('followed') ? ids : []));
    },
  };
}

/** An authenticated client on replica A. */
async function ready() {
  const client = await connect();
  client.send({ type: 'auth', token: owner.accessToken });
  await client.next('ready');
  return client;
}

/** A client on replica A. */
const connect = (options: WebSocket.ClientOptions = {}) => connectLive(wsUrl, options);

/** The first add of `clusterId` to a's followed set fails (as with Redis away); `refused` says if it has. */
function failOnce(clusterId: string) {
  const original = a.runtime.ctx.cache.keepMembers.bind(a.runtime.ctx.cache);
  let failed = false;
  const keep = vi.spyOn(a.runtime.ctx.cache, 'keepMembers').mockImplementation(async (key, ids, ttl) => {
    if (failed || !key.endsWith('followed') || !ids.includes(clusterId)) return original(key, ids, ttl);
    failed = true;
    return false;
  });
  return { keep, refused: () => failed };
}

describe('the live WebSocket', () => {
  it('streams what another replica decided to the owner of the cluster, and nothing of others’ clusters', async () => {
    const mine = await createCluster(a, owner.user, {
      simulation: { load: { type: 'constant', rps: 30 }, capacityRps: 10, bootSeconds: 0 },
    });
    const theirs = await createCluster(a, (await loginAs(a)).user);
    const client = await connect();
    client.send({ type: 'auth', token: owner.accessToken });
    expect(await client.next('ready')).toEqual({ type: 'ready', userId: owner.user.id });
    client.send({ type: 'subscribe', clusterId: theirs.id });
    expect(await client.next('error', theirs.id)).toMatchObject({ code: 'not_found' });
    // An id in upper case is the same cluster, answered and streamed under the id the API gives.
    client.send({ type: 'subscribe', clusterId: mine.id.toUpperCase() });
    await client.next('subscribed', mine.id);

    await sim.advance(mine.id, 15);
    clock.advance(15_000);
    await moduleServices(b, 'autoscaler').loop.tick();
    const event = await client.next('event', mine.id);
    expect(event.event).toMatchObject({ clusterId: mine.id, previousServers: 1, limitedBy: 'metric' });
    expect(event.event.appliedServers).toBeGreaterThan(1);
    // The streamed event is the events API's, as the contract describes it.
    expect(ZLiveServerMessage.parse(event)).toEqual(event);
    const listed = await request(a, owner, 'GET', `/autoscaler/clusters/${mine.id}/events?limit=1`);
    expect(event.event).toEqual(listed.body.items[0]);
    expect((await client.next('sample', mine.id)).sample).toMatchObject({ requestRate: 30, readyServers: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.socket.readyState).toBe(1);
    client.socket.close();
  });

  it('streams an event whose reason is not ASCII exactly as the events API lists it, and skips unfollowed clusters', async () => {
    const cluster = await createCluster(a, owner.user, {
      mode: 'predictive',
      simulation: { load: { type: 'constant', rps: 30 }, capacityRps: 10, bootSeconds: 0 },
    });
    const other = await createCluster(a, owner.user);
    const client = await connect();
    client.send({ type: 'auth', token: owner.accessToken });
    await client.next('ready');
    client.send({ type: 'subscribe', clusterId: cluster.id });
    await client.next('subscribed', cluster.id);

    for (const id of [cluster.id, other.id]) await sim.advance(id, 15);
    clock.advance(15_000);
    await moduleServices(b, 'autoscaler').loop.tick();
    const { event } = await client.next('event', cluster.id);
    // The predictive reason reads "… → N servers (reactive floor: …)".
    expect(event.reason).toContain('→');
    const listed = await request(a, owner, 'GET', `/autoscaler/clusters/${cluster.id}/events?limit=1`);
    expect(event).toEqual(listed.body.items[0]);
    await client.next('sample', cluster.id);
    expect(client.count('event')).toBe(1);
    client.socket.close();
  });

  it('publishes no lines of a cluster nobody follows, and answers a later subscribe with its stored event', async () => {
    const cluster = await createCluster(a, owner.user, {
      simulation: { load: { type: 'constant', rps: 30 }, capacityRps: 10, bootSeconds: 0 },
    });
    const lines: string[] = [];
    const unsubscribe = moduleServices(a, 'autoscaler').live.subscribe(
      (id) => id === cluster.id,
      (line) => lines.push(line.type),
    );
    const client = await connect();
    client.send({ type: 'auth', token: owner.accessToken });
    await client.next('ready');

    // Ticked while no client follows it (as when a subscribe comes just after a tick read the
    // followed set): the event is stored, nothing is published for it.
    await sim.advance(cluster.id, 15);
    clock.advance(15_000);
    await moduleServices(b, 'autoscaler').loop.tick();
    // Pub/sub keeps a publisher's order: once this marker is here, a line of the tick would be too.
    await moduleServices(b, 'autoscaler').live.publish([
      lineOf({ type: 'breaker', clusterId: cluster.id, state: 'closed' }),
    ]);
    await vi.waitUntil(() => lines.length > 0);
    expect(lines).toEqual(['breaker']);

    client.send({ type: 'subscribe', clusterId: cluster.id });
    const subscribed = await client.next('subscribed', cluster.id);
    const listed = await request(a, owner, 'GET', `/autoscaler/clusters/${cluster.id}/events?limit=1`);
    expect(subscribed.event).toEqual(listed.body.items[0]);
    expect(subscribed.event).toMatchObject({ clusterId: cluster.id, previousServers: 1 });
    expect(ZLiveServerMessage.parse(subscribed)).toEqual(subscribed);

    // Followed from now on, through the set shared by the replicas.
    await sim.advance(cluster.id, 15);
    clock.advance(15_000);
    await moduleServices(b, 'autoscaler').loop.tick();
    const { event } = await client.next('event', cluster.id);
    expect(event.id).not.toBe(subscribed.event?.id);
    await client.next('sample', cluster.id);
    unsubscribe();
    client.socket.close();
  });

  it('answers a subscribe to a cluster not ticked yet with no event', async () => {
    const cluster = await createCluster(a, owner.user);
    const client = await connect();
    client.send({ type: 'auth', token: owner.accessToken });
    await client.next('ready');
    client.send({ type: 'subscribe', clusterId: cluster.id });
    expect(await client.next('subscribed', cluster.id)).toEqual({
      type: 'subscribed',
      clusterId: cluster.id,
      event: null,
    });
    client.socket.close();
  });

  it('closes a client that subscribes before authenticating (or sends no valid auth first) at once, sends too much, or comes one too many', async () => {
    const early = await connect();
    early.send({ type: 'subscribe', clusterId: '00000000-0000-4000-8000-000000000000' });
    expect(await early.closedWith()).toBe(1008);
    for (const first of ['not json', { type: 'auth', token: owner.accessToken, extra: 1 }]) {
      const odd = await connect();
      odd.send(first);
      const soon = new Promise((resolve) => setTimeout(resolve, 3000, 'still open'));
      expect(await Promise.race([odd.closedWith(), soon])).toBe(1008);
      expect(odd.count('error')).toBe(1);
    }

    const big = await connect();
    big.send({ type: 'auth', token: 'x'.repeat(2000) });
    expect(await big.closedWith()).toBe(1009);

    const open = [await connect(), await connect(), await connect()];
    expect(await (await connect()).closedWith()).toBe(1013);
    for (const c of open) c.socket.close();
    await Promise.all(open.map((c) => c.closedWith()));
  });

  it('renews the token of its own user only, and says where a message is wrong', async () => {
    const client = await connect();
    client.send({ type: 'auth', token: owner.accessToken });
    await client.next('ready');
    client.send({ type: 'subscribe' });
    expect((await client.next('error')).message).toMatch(/^clusterId: /);
    // A fresh token of the same user, as a long-lived page sends one when its own is renewed.
    client.send({ type: 'auth', token: (await signIn(a, owner.user)).accessToken });
    await vi.waitUntil(() => client.count('ready') === 2);
    // Another user's token would inherit the owner's subscriptions: the connection is closed instead.
    client.send({ type: 'auth', token: (await loginAs(a)).accessToken });
    expect(await client.closedWith()).toBe(1008);
  });

  it('drops a peer that stops answering pings, and keeps one that answers', async () => {
    const answering = await connect();
    answering.send({ type: 'auth', token: owner.accessToken });
    await answering.next('ready');
    // A peer gone without a close (a dead network path) looks like one that never answers a ping.
    const silent = await connect({ autoPong: false });
    silent.send({ type: 'auth', token: owner.accessToken });
    await silent.next('ready');
    const pinged = new Promise((resolve) => silent.socket.once('ping', resolve));
    await pinged;
    // Terminated without a close frame: the client sees the abnormal-closure code.
    expect(await silent.closedWith()).toBe(1006);
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
    answering.socket.close();
  });

  it('lets a client that does not read lose samples, never the other messages', async () => {
    const cluster = await createCluster(a, owner.user);
    const slow = await connect();
    slow.send({ type: 'auth', token: owner.accessToken });
    await slow.next('ready');
    slow.send({ type: 'subscribe', clusterId: cluster.id });
    await slow.next('subscribed', cluster.id);
    slow.socket.pause();
    // Far more than the socket buffers of loopback hold, so the server has to buffer or drop.
    const sent = 40_000;
    const sample = {
      at: new Date().toISOString(),
      requestRate: 1,
      p95Ms: 1,
      errorRate: 0,
      cpuPercent: null,
      readyServers: 1,
      desiredServers: 1,
    };
    const live = moduleServices(a, 'autoscaler').live;
    for (let i = 0; i < sent; i += 1000) {
      await live.publish(
        Array.from({ length: 1000 }, () => lineOf({ type: 'sample', clusterId: cluster.id, sample })),
      );
    }
    await live.publish([lineOf({ type: 'breaker', clusterId: cluster.id, state: 'open' })]);
    slow.socket.resume();
    expect(await slow.next('breaker', cluster.id)).toMatchObject({ state: 'open' });
    expect(slow.count('sample')).toBeGreaterThan(0);
    expect(slow.count('sample')).toBeLessThan(sent);
    slow.socket.close();
  });
  it('tells a client to poll when its cluster cannot be added to the followed set, after a few tries', async () => {
    const cluster = await createCluster(a, owner.user);
    const keep = vi.spyOn(a.runtime.ctx.cache, 'keepMembers').mockResolvedValue(false);
    const client = await ready();
    client.send({ type: 'subscribe', clusterId: cluster.id });
    expect(await client.next('error', cluster.id)).toMatchObject({ code: 'unavailable' });
    // Three tries (a renewal each ping period may add its own call).
    expect(keep.mock.calls.filter(([key]) => key.endsWith('followed')).length).toBeGreaterThanOrEqual(3);
    expect(client.count('subscribed')).toBe(0);

    // Failing once only (the first add that holds this cluster), the subscribe still succeeds.
    keep.mockRestore();
    const { refused } = failOnce(cluster.id);
    client.send({ type: 'subscribe', clusterId: cluster.id });
    await client.next('subscribed', cluster.id);
    expect(refused()).toBe(true);
    client.socket.close();
  });

  it('forgets a client that closes while its subscribe is being checked', async () => {
    const cluster = await createCluster(a, owner.user);
    const client = await ready();
    const owned = clustersRepo.owned;
    vi.spyOn(clustersRepo, 'owned').mockImplementationOnce(async (...args) => {
      client.socket.close();
      await client.closedWith();
      // The server's side of the close is handled in the same turn as the client's, or just after.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return owned(...args);
    });
    const calls = followCalls();
    client.send({ type: 'subscribe', clusterId: cluster.id });
    expect(await calls.afterRenewal()).not.toContain(cluster.id);
    expect(calls.spy.mock.calls.flatMap(([, ids]) => ids)).not.toContain(cluster.id);
  });

  it('stops following a deleted cluster and tells its followers', async () => {
    const cluster = await createCluster(a, owner.user);
    const client = await ready();
    client.send({ type: 'subscribe', clusterId: cluster.id });
    await client.next('subscribed', cluster.id);
    expect((await request(a, owner, 'DELETE', `/autoscaler/clusters/${cluster.id}`)).status).toBe(204);
    const calls = followCalls();
    expect(await client.next('error', cluster.id)).toMatchObject({ code: 'not_found' });
    expect(await calls.afterRenewal()).not.toContain(cluster.id);
    client.socket.close();
  });

  it('adds its clusters again when a renewal failed (Redis away), without waiting for the next period', async () => {
    const cluster = await createCluster(a, owner.user);
    const client = await ready();
    client.send({ type: 'subscribe', clusterId: cluster.id });
    await client.next('subscribed', cluster.id);
    const { keep, refused } = failOnce(cluster.id);
    const added = () =>
      keep.mock.calls.filter(([key, ids]) => key.endsWith('followed') && ids.includes(cluster.id)).length;
    // The next renewal fails; the retry (250 ms later) comes well before the period after (3 s).
    await vi.waitUntil(refused, { timeout: 10_000 });
    const before = added();
    await vi.waitUntil(() => added() > before, { timeout: 2_000 });
    client.socket.close();
  });
});
