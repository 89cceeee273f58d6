/**
 * 1,000 WebSocket clients (BENCH_WS_CLIENTS) on one server instance, each subscribed to its own cluster,
 * each receiving one update per second for BENCH_WS_SECONDS (60) on PostgreSQL + Redis. The updates are
 * published to the live channel in Redis as the control loop publishes them (one Redis message per
 * second holding every cluster's sample), and each client's delivery time is the time from that
 * publication to its message. The server's resident memory is read from /proc at the start and the end.
 * Floor, measured in the same run: the same publications delivered to a bare Redis subscriber in this
 * process (what no WebSocket delivery can beat). Writes bench/results/autoscaler-ws.json.
 *
 *   npm run bench -- autoscaler-ws
 *   npx tsx bench/autoscaler-ws.ts
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { encodeLines, LIVE_CHANNEL, lineOf } from '../apps/server/src/modules/autoscaler/live/bus';
import {
  adminQuery,
  createAccounts,
  dbUrl,
  machineInfo,
  percentile,
  REDIS_URL,
  recreateDatabase,
  rssMiB,
  startServer,
  writeFigures,
} from './time-common';

const CLIENTS = Number(process.env.BENCH_WS_CLIENTS ?? 1000);
const SECONDS = Number(process.env.BENCH_WS_SECONDS ?? 60);
const DB = process.env.BENCH_DB ?? 'clockpilot_bench_autoscaler_ws';
const PREFIX = process.env.BENCH_REDIS_PREFIX ?? 'bench-ws:';
const CHANNEL = `${PREFIX}${LIVE_CHANNEL}`;
process.env.BENCH_PORT ||= '5101';

await recreateDatabase(DB);
const [token] = await createAccounts(DB, [{ username: 'bench_ws', role: 'employee', timeZone: 'UTC' }]);
await adminQuery(
  `insert into autoscaler_clusters (owner_id, name, min_servers, max_servers, target, mode, simulation,
                                    desired_servers, created_at, updated_at)
     select (select id from users where username = 'bench_ws'), 'cluster-' || g, 1, 10,
            '{"type":"cpu","utilizationPercent":70}', 'hpa',
            '{"capacityRps":10,"bootSeconds":30,"load":{"type":"constant","rps":5}}', 1, now(), now()
       from generate_series(1, ${CLIENTS}) g`,
  dbUrl(DB),
);
const ids = (
  (await adminQuery('select id from autoscaler_clusters order by name', dbUrl(DB))).rows as { id: string }[]
).map((r) => r.id);

const server = await startServer(DB, {
  REDIS_KEY_PREFIX: PREFIX,
  AUTOSCALER_WS_MAX_CONNECTIONS: String(CLIENTS),
  // A shared, busy bench machine must not read as overload.
  MAX_EVENT_LOOP_DELAY_MS: '0',
});
const wsUrl = `${server.url.replace('http', 'ws')}/api/v1/autoscaler/ws`;

// --- the clients -----------------------------------------------------------------------------------
const sentAt = new Map<string, number>();
// Once subscribed, a client only stamps each frame and keeps it; the frames are read after the run.
// The clients share this process with the measurement, so a parse per frame here would delay the
// frames behind it and count as delivery time.
const arrivals: { raw: Buffer; t: number }[] = [];
function connect(clusterId: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { skipUTF8Validation: true });
    let subscribed = false;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
    ws.on('error', reject);
    ws.on('message', (raw: Buffer) => {
      if (subscribed) return void arrivals.push({ raw, t: performance.now() });
      const m = JSON.parse(raw.toString());
      if (m.type === 'ready') ws.send(JSON.stringify({ type: 'subscribe', clusterId }));
      else if (m.type === 'subscribed') {
        subscribed = true;
        resolve(ws);
      } else if (m.type === 'error') reject(new Error(m.message));
    });
  });
}
const sockets: WebSocket[] = [];
for (let i = 0; i < ids.length; i += 50)
  sockets.push(...(await Promise.all(ids.slice(i, i + 50).map((id) => connect(id)))));
console.log(`${sockets.length} clients subscribed`);

// --- the floor's subscriber ------------------------------------------------------------------------
const floor: number[] = [];
const sub = new Redis(REDIS_URL);
await sub.subscribe(CHANNEL);
sub.on('message', (_channel: string, raw: string) => {
  const at = /"at":"([^"]+)"/.exec(raw)?.[1];
  const sent = at ? sentAt.get(at) : undefined;
  if (sent !== undefined) floor.push(performance.now() - sent);
});
const pub = new Redis(REDIS_URL);

// --- one update per client per second --------------------------------------------------------------
const sample = (at: string) => ({
  at,
  requestRate: 42,
  p95Ms: 55,
  errorRate: 0,
  cpuPercent: 63.5,
  readyServers: 3,
  desiredServers: 3,
});
await sleep(2000);
const rssStart = await rssMiB(server.pid);
const rss: number[] = [rssStart];
const started = performance.now();
for (let s = 0; s < SECONDS; s++) {
  const at = new Date().toISOString();
  const batch = ids.map((clusterId) => lineOf({ type: 'sample', clusterId, sample: sample(at) }));
  // The loop publishes a tick's messages 1,000 to a Redis message, in the bus's own encoding.
  const messages = [];
  for (let i = 0; i < batch.length; i += 1000) messages.push(encodeLines(batch.slice(i, i + 1000)));
  sentAt.set(at, performance.now());
  for (const m of messages) await pub.publish(CHANNEL, m);
  if (s % 10 === 9) rss.push(await rssMiB(server.pid));
  await sleep(Math.max(0, started + (s + 1) * 1000 - performance.now()));
}
await sleep(2000);
const rssEnd = await rssMiB(server.pid);
rss.push(rssEnd);

for (const ws of sockets) ws.terminate();
const delivery: number[] = [];
let received = 0;
for (const { raw, t } of arrivals) {
  const m = JSON.parse(raw.toString());
  if (m.type !== 'sample') continue;
  const sent = sentAt.get(m.sample.at);
  if (sent !== undefined) delivery.push(t - sent);
  received++;
}
sub.disconnect();
pub.disconnect();
await server.stop();
if (!process.env.BENCH_KEEP_DB) await adminQuery(`drop database if exists ${DB} with (force)`);

const sorted = [...delivery].sort((a, b) => a - b);
const floorSorted = [...floor].sort((a, b) => a - b);
const round = (n: number) => Math.round(n * 10) / 10;
const figures = {
  date: new Date().toISOString(),
  machine: machineInfo(),
  clients: sockets.length,
  seconds: SECONDS,
  expected: sockets.length * SECONDS,
  received,
  deliveryMs: {
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
  },
  goal: { p99Ms: 100 },
  serverRssMiB: { start: rssStart, end: rssEnd, every10s: rss },
  floor: {
    redisDeliveryMs: {
      p50: round(percentile(floorSorted, 50)),
      p99: round(percentile(floorSorted, 99)),
      max: round(floorSorted.at(-1) ?? Number.NaN),
    },
  },
};
writeFigures('bench/results/autoscaler-ws.json', figures);
process.exit(0);
