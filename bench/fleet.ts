/**
 * Fleet benchmarks against the real server on PostgreSQL and Redis:
 * - race: 500 parallel booking requests for overlapping times of one vehicle, from 50 renters:
 *   exactly one must succeed, the rest answer 409; latency percentiles of all 500, beside a floor of
 *   500 parallel `GET /fleet/payment-settings` in the same run (p99VsFloor). A first burst of each
 *   (race_floor_cold: new sockets, most tokens' first call; race_cold: the same race for another
 *   vehicle, the booking code's first run) comes before them and is recorded, so neither pays for it.
 * - availability: 2,000 vehicles in 4 stations with a year of bookings (one two-day rental a week
 *   each, ~104,000 bookings, seeded by fleet-seed.ts), searched by station for one day (each vehicle is
 *   out two days a week, so some are free).
 *
 *   npx tsx bench/fleet.ts            # both; figures printed and written to bench/results/fleet.json
 *   BENCH_PARALLEL=200 npx tsx bench/fleet.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { seedFleet } from './fleet-seed';
import {
  benchDatabase,
  benchNumber,
  cpuMs,
  createAccounts,
  dbUrl,
  percentile,
  recreateDatabase,
  request,
  startServer,
} from './time-common';

const PARALLEL = benchNumber('BENCH_PARALLEL', 500);
const VEHICLES = 2000;
const DB = benchDatabase('clockpilot_bench_fleet');

await recreateDatabase(DB);
const renters = Array.from({ length: 50 }, (_, i) => ({
  username: `bench_renter_${i}`,
  role: 'customer' as const,
  timeZone: 'UTC',
}));
const tokens = await createAccounts(DB, [
  { username: 'bench_admin', role: 'admin', timeZone: 'UTC' },
  ...renters,
]);
const [adminToken, ...renterTokens] = tokens;
const url = dbUrl(DB);

const bookings = await seedFleet(url, VEHICLES, 'bench_renter_0');
const server = await startServer(DB, { DATABASE_POOL_SIZE: '20' });
const results: Record<string, unknown> = {};
try {
  // ---------- availability ----------
  // The API's default page (100, cheapest first) and a whole station (up to 500 vehicles).
  for (const limit of [100, 500]) {
    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < 40; i++) {
      const from = new Date(Date.parse('2026-12-01T10:00:00Z') + (i % 20) * 86_400_000);
      const to = new Date(from.getTime() + 86_400_000);
      const q = `from=${from.toISOString()}&to=${to.toISOString()}&location=Station%20${i % 4}&limit=${limit}`;
      const res = await request(`${server.url}/api/v1/fleet/availability?${q}`, { token: renterTokens[0] });
      if (res.status !== 200) throw new Error(`availability: ${res.status} ${res.body}`);
      if (i >= 5) times.push(res.ms); // the first runs warm the caches and the JIT
      found = (JSON.parse(res.body) as { items: unknown[] }).items.length;
    }
    times.sort((a, b) => a - b);
    results[`availability_limit_${limit}`] = {
      vehicles: VEHICLES,
      bookings,
      runs: times.length,
      lastResultCount: found,
      p50Ms: +percentile(times, 50).toFixed(1),
      p95Ms: +percentile(times, 95).toFixed(1),
      maxMs: +times.at(-1)!.toFixed(1),
    };
    console.log(`availability limit=${limit}`, results[`availability_limit_${limit}`]);
  }

  // ---------- race ----------
  const vehicles = await request(`${server.url}/api/v1/fleet/vehicles?location=Station%200&limit=2`, {
    token: adminToken,
  });
  const [vehicleId, coldVehicleId] = (
    JSON.parse(vehicles.body) as { items: Array<{ id: string }> }
  ).items.map((v) => v.id);
  /** PARALLEL requests at once; statuses and latency percentiles of all of them. */
  async function burst(send: (i: number) => ReturnType<typeof request>, ok: number[]) {
    const cpu = await cpuMs(server.pid);
    const t = performance.now();
    const answers = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => send(i)));
    const wall = performance.now() - t;
    // The server's own CPU (10 ms ticks) per request: its cost, apart from waits and the queue for a core.
    const serverCpuMsPerRequest = +(((await cpuMs(server.pid)) - cpu) / PARALLEL).toFixed(2);
    const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
    const count = (s: number) => answers.filter((a) => a.status === s).length;
    return {
      parallel: PARALLEL,
      statuses: Object.fromEntries([...new Set(answers.map((a) => a.status))].map((s) => [s, count(s)])),
      errors: answers.filter((a) => !ok.includes(a.status)).length,
      firstError: answers.find((a) => !ok.includes(a.status))?.body.slice(0, 300) ?? null,
      p50Ms: +percentile(ms, 50).toFixed(1),
      p99Ms: +percentile(ms, 99).toFixed(1),
      wallMs: +wall.toFixed(0),
      serverCpuMsPerRequest,
    };
  }
  // The floor in the same run: as many authenticated requests at once that do no fleet work (the
  // same client, sockets, auth and rate limiting), so the race's share is the ratio to it.
  const floorBurst = () =>
    burst(
      (i) =>
        request(`${server.url}/api/v1/fleet/payment-settings`, {
          token: renterTokens[i % renterTokens.length],
        }),
      [200],
    );
  // The first burst opens the client's sockets and is most tokens' first call (their rows loaded
  // into the server's memo); it is recorded, and the floor and the race both come after it.
  const raceFor = (vehicle: string) =>
    burst(
      (i) => {
        const start = Date.parse('2027-03-10T08:00:00Z') + (i % 5) * 3_600_000;
        return request(`${server.url}/api/v1/fleet/bookings`, {
          method: 'POST',
          token: renterTokens[i % renterTokens.length],
          body: {
            vehicleId: vehicle,
            startAt: new Date(start).toISOString(),
            endAt: new Date(start + 86_400_000).toISOString(),
          },
        });
      },
      [201, 409],
    );
  results.race_floor_cold = await floorBurst();
  console.log('race floor, cold (first signed-in burst)', results.race_floor_cold);
  // The booking path's first burst (another vehicle, the same race) pays for compiling its code, as
  // the floor's first burst does for its own; recorded, then both are measured warm, as a server that
  // has been up for a while answers them.
  results.race_cold = await raceFor(coldVehicleId!);
  console.log('race, cold (first booking burst, another vehicle)', results.race_cold);
  results.race_floor = await floorBurst();
  console.log('race floor: GET /fleet/payment-settings', results.race_floor);
  const race = await raceFor(vehicleId!);
  const floor = results.race_floor as typeof race;
  results.race = {
    ...race,
    created: race.statuses[201] ?? 0,
    conflicts: race.statuses[409] ?? 0,
    p99VsFloor: +(race.p99Ms / floor.p99Ms).toFixed(2),
  };
  console.log('race', results.race);
} finally {
  await server.stop();
}

const record = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
  database: 'PostgreSQL 127.0.0.1:5432, Redis 127.0.0.1:6379',
  ...results,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/fleet.json', `${JSON.stringify(record, null, 2)}\n`);
console.log(JSON.stringify(record, null, 2));
