// `npm run bench`: builds the server, starts it against the configured database (DATABASE_URL, else
// embedded PGlite in a scratch folder) and a bare Fastify hello-world as the floor, each in its own
// process on 127.0.0.1, drives every case in bench/cases/ with autocannon, and prints req/s, p50/p99
// and the ratio to the floor. `--record` appends the table to bench/RESULTS.md.
//
//   npm run bench                          all cases, 10 s each, 50 connections
//   npm run bench -- live --record         cases whose name contains "live"; record the result
//   BENCH_DURATION=20 BENCH_CONNECTIONS=100 DATABASE_URL=postgres://… npm run bench
//   BENCH_BUILD=dist/bench-before BENCH_SKIP_BUILD=1 npm run bench   an earlier build, for before/after
//   BENCH_PORT=5600 npm run bench          server on 5600, floor on 5601 (else free ports)
//
// A case is a module in bench/cases/ whose default export is
//   { name, setup?(baseUrl) => Promise<state>, request(state) => { method, path, headers?, body? } }
// (setup creates what the requests need, e.g. accounts and tokens for clock-in/out cycles), or
//   { name, run() => Promise<{ table, failed }> }
// for a case that needs no server (it prints and records its own markdown table).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort } from '../scripts/lib/net.mjs';
import { bundledServer } from './bundle.mjs';
import { BENCH_ADMIN } from './sign-in.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
// Not counted: lets the JIT, the pools and the caches warm up, so the first case is not penalised.
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const args = process.argv.slice(2);
const record = args.includes('--record');
const filters = args.filter((a) => !a.startsWith('--'));

const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function startProcess(argv, env) {
  const child = spawn(process.execPath, argv, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  return child;
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
  children.delete(child);
}

async function waitReady(url) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const res = await fetch(url).catch(() => undefined);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 200`);
}

function drive(url, requestOf, duration = DURATION) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    // A fresh request per call, so cases can rotate users, ids or bodies.
    requests: [{ setupRequest: (req) => ({ ...req, ...requestOf() }) }],
  });
}

// CPU time a process has used (Linux /proc, clock ticks of 10 ms): the load-independent cost of a
// request, since on a shared machine the throughput of both the case and the floor swings with the load.
function cpuMs(child) {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

// What the process burns with no requests (timers, job polling) is measured first and taken off, so
// slow cases are not charged for it.
async function measure(url, child, requestOf) {
  const idleStart = cpuMs(child);
  await new Promise((r) => setTimeout(r, 2000));
  const idlePerMs = (cpuMs(child) - idleStart) / 2000;
  const before = cpuMs(child);
  const started = performance.now();
  const r = summary(await drive(url, requestOf));
  const busy = cpuMs(child) - before - idlePerMs * (performance.now() - started);
  return { ...r, cpuUs: (Math.max(0, busy) * 1000) / r.total };
}

const summary = (r) => ({
  rps: r.requests.average,
  p50: r.latency.p50,
  p99: r.latency.p99,
  failed: r.errors + r.timeouts + r.non2xx,
  total: r.requests.total,
  codes: r.statusCodeStats,
});

// The load average shows how much else the machine was doing; figures from a busy machine are low.
function machineLine() {
  const cpu = cpus();
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  return `${cpu.length} × ${cpu[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average ${load}`;
}

// --- the cases -----------------------------------------------------------------------------------
const caseDir = join(root, 'bench', 'cases');
const cases = [];
for (const file of readdirSync(caseDir)
  .filter((f) => f.endsWith('.mjs'))
  .sort()) {
  const { default: c } = await import(join(caseDir, file));
  if (filters.length === 0 || filters.some((f) => c.name.includes(f) || file.includes(f))) cases.push(c);
}
if (cases.length === 0) throw new Error(`no case matches ${filters.join(', ')}`);

// --- cases without a server ------------------------------------------------------------------------
for (const c of cases.filter((c) => c.run)) {
  console.log(`${c.name}…`);
  const r = await c.run();
  console.log(`\n${r.table}\n`);
  if (record) {
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    appendFileSync(
      join(root, 'bench', 'RESULTS.md'),
      `\n## ${c.name} — ${when} UTC\n\nMachine: ${machineLine()}.\n\n${r.table}\n`,
    );
  }
  if (r.failed) process.exitCode = 1;
}
const httpCases = cases.filter((c) => !c.run);
if (httpCases.length === 0) process.exit();

// --- the server, built as it is deployed ---------------------------------------------------------
// A build kept under another folder lets a before/after pair run the same bench on both versions.
const serverMain = bundledServer();
const port = async (offset) =>
  process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) + offset : freePort();
const database = process.env.DATABASE_URL
  ? `PostgreSQL ${new URL(process.env.DATABASE_URL).host}`
  : 'embedded PGlite';
const serverUrl = `http://127.0.0.1:${await port(0)}`;
// BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the server (open it in Chrome DevTools).
const profile = process.env.BENCH_CPU_PROF
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
  : [];
const server = startProcess([...profile, serverMain], {
  PORT: new URL(serverUrl).port,
  HOST: '127.0.0.1',
  DATA_DIR: mkdtempSync(join(tmpdir(), 'clockpilot-bench-')),
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  RATE_LIMIT_MAX_REQUESTS: '10000000',
  // The load comes from one user; the per-user limit is not what is measured (its store still is).
  API_RATE_LIMIT_PER_MINUTE: '1000000',
  ADMIN_USERNAME: BENCH_ADMIN.username,
  ADMIN_PASSWORD: BENCH_ADMIN.password,
  ADMIN_EMAIL: 'bench_admin@bench.test',
});
await waitReady(`${serverUrl}/api/health/ready`);
const floorUrl = `http://127.0.0.1:${await port(1)}`;
const floor = startProcess(['bench/floor.mjs'], { PORT: new URL(floorUrl).port });
await waitReady(floorUrl);

// --- measure ---------------------------------------------------------------------------------------
console.log(`${DURATION} s per case, ${CONNECTIONS} connections, server on ${database}`);
const floorResult = await measure(floorUrl, floor, () => ({ method: 'GET', path: '/' }));
const rows = [];
for (const c of httpCases) {
  const state = c.setup ? await c.setup(serverUrl) : undefined;
  if (WARMUP > 0) await drive(serverUrl, () => c.request(state), WARMUP);
  const r = await measure(serverUrl, server, () => c.request(state));
  rows.push({ name: c.name, ...r, ratio: r.rps / floorResult.rps, cpuRatio: floorResult.cpuUs / r.cpuUs });
  // Which answers failed tells a limit (429), an overload (503) and a bug (500) apart.
  if (r.failed) console.log(`${c.name}: status codes ${JSON.stringify(r.codes)}`);
}
await stop(floor);
await stop(server);

// --- report ----------------------------------------------------------------------------------------
const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const table = [
  '| Case | req/s | p50 ms | p99 ms | vs floor | server CPU µs/req | CPU vs floor | failed / total |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  `| floor: bare Fastify hello-world | ${fmt(floorResult.rps)} | ${floorResult.p50} | ${floorResult.p99} | 100% | ${fmt(floorResult.cpuUs)} | 100% | ${floorResult.failed} / ${fmt(floorResult.total)} |`,
  ...rows.map(
    (r) =>
      `| ${r.name} | ${fmt(r.rps)} | ${r.p50} | ${r.p99} | ${fmt(r.ratio * 100)}% | ${fmt(r.cpuUs)} | ${fmt(r.cpuRatio * 100)}% | ${r.failed} / ${fmt(r.total)} |`,
  ),
].join('\n');
const machine = machineLine();
const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ');
console.log(`\n${machine}\n\n${table}\n`);

if (record) {
  appendFileSync(
    join(root, 'bench', 'RESULTS.md'),
    `\n## HTTP (${database}) — ${stamp} UTC\n\nMachine: ${machine}. \`npm run bench\`: ${DURATION} s per case, ${CONNECTIONS} connections, server and floor each in their own process on 127.0.0.1, LOG_LEVEL=${process.env.BENCH_LOG_LEVEL ?? 'warn'}.\n\n${table}\n`,
  );
  console.log('appended to bench/RESULTS.md');
}
// BENCH_JSON=<file>: the run's figures as JSON, for bench/results/.
if (process.env.BENCH_JSON) {
  const figures = (r) => ({
    rps: Math.round(r.rps),
    p50Ms: r.p50,
    p99Ms: r.p99,
    cpuUsPerRequest: Math.round(r.cpuUs),
    failed: r.failed,
    total: r.total,
  });
  const json = {
    date: new Date().toISOString(),
    machine,
    loadAverage: loadavg().map((l) => Number(l.toFixed(1))),
    database,
    build: serverMain,
    durationSeconds: DURATION,
    connections: CONNECTIONS,
    floor: figures(floorResult),
    cases: Object.fromEntries(
      rows.map((r) => [
        r.name,
        { ...figures(r), vsFloor: Number(r.ratio.toFixed(3)), cpuVsFloor: Number(r.cpuRatio.toFixed(3)) },
      ]),
    ),
  };
  writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(json, null, 2)}\n`);
}
if (rows.some((r) => r.failed > 0)) process.exitCode = 1;
