/**
 * Shared set-up of the time benchmarks: a scratch PostgreSQL database migrated by the app, accounts
 * with personal API tokens (no password hashing, so 1,000 accounts take seconds), and the real server
 * started as its own process so the load generator does not share its event loop.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TRole } from '@clockpilot/contracts';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app';
import { loadConfig } from '../apps/server/src/config/load';
import { createPostgres } from '../apps/server/src/platform/db';

export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const JWT_SECRET = randomBytes(32).toString('base64url');
const BENCH_PASSWORD = `Bench-${randomBytes(12).toString('base64url')}-7q`;

export function dbUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery(sql: string, url = ADMIN_URL) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * The time benchmarks' year: PEOPLE people, 20 projects; each weekday of 2026 eight 50-minute entries
 * from 08:00 local time, the 12:00 one with a 10-minute break: 500 x 261 x 8 = 1,044,000 entries.
 */
export async function seedYearOfEntries(url: string, people: number) {
  const t0 = performance.now();
  await adminQuery(
    `
  insert into clients (name) values ('Bench client');
  insert into projects (client_id, code, name, billable)
    select c.id, 'B' || g, 'Bench project ' || g, g % 3 <> 0 from clients c, generate_series(1, 20) g;
  insert into people (name, employee_number, time_zone)
    select 'Person ' || g, 'B-' || g, case when g % 2 = 0 then 'Europe/Berlin' else 'America/New_York' end
    from generate_series(1, ${people}) g;
  with pr as (select id, billable, row_number() over (order by code) as rn from projects)
  insert into time_entries (person_id, started_at, ended_at, time_zone, project_id, billable, source)
    select p.id, s.at, s.at + interval '50 minutes', p.time_zone, pr.id, pr.billable, 'manual'
    from people p
    cross join generate_series(date '2026-01-01', date '2026-12-31', interval '1 day') d
    cross join generate_series(0, 7) k
    cross join lateral (select (d::date + time '08:00' + k * interval '1 hour') at time zone p.time_zone as at) s
    join pr on pr.rn = (abs(hashtext(p.id::text)) + k) % 20 + 1
    where extract(isodow from d::date) < 6 and p.employee_number like 'B-%';
  insert into time_breaks (entry_id, started_at, ended_at)
    select id, started_at + interval '20 minutes', started_at + interval '30 minutes'
    from time_entries where extract(hour from started_at at time zone time_zone) = 12;
  analyze;`,
    url,
  );
  const { rows } = await adminQuery('select count(*)::int as n from time_entries', url);
  return { entries: rows[0].n as number, seconds: (performance.now() - t0) / 1000 };
}

export async function recreateDatabase(name: string) {
  await adminQuery(`drop database if exists ${name} with (force)`);
  await adminQuery(`create database ${name}`);
}

function env(database: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    APP_MODE: 'development',
    DATABASE_URL: dbUrl(database),
    DATABASE_POOL_SIZE: '20',
    REDIS_URL,
    REDIS_KEY_PREFIX: `bench:${database}:`,
    JWT_SECRET,
    LOG_LEVEL: 'warn',
    // The load comes from one address; the per-IP and per-user limits are not what is measured.
    RATE_LIMIT_MAX_REQUESTS: '10000000',
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    ...extra,
  };
}

/** Migrates the database and creates accounts (each with its directory person) and API tokens. */
export async function createAccounts(
  database: string,
  accounts: Array<{ username: string; role: TRole; timeZone: string }>,
): Promise<string[]> {
  const config = loadConfig({ env: env(database), version: 'bench' });
  const db = createPostgres(dbUrl(database), config);
  const built = await buildApp(config, { database: db });
  await built.start();
  const { identity, apiTokens: tokens } = built.runtime.services('identity');
  const actor = { userId: null, label: 'bench' };
  const out: string[] = new Array(accounts.length);
  const queue = accounts.map((a, i) => ({ a, i }));
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const user = await identity.createUser(
          {
            username: job.a.username,
            email: `${job.a.username}@bench.test`,
            role: job.a.role,
            timeZone: job.a.timeZone,
            // Accounts need a password without single sign-on; the bench calls with API tokens.
            password: BENCH_PASSWORD,
          },
          actor,
        );
        const created = await tokens.create(
          { userId: user.id, role: job.a.role, sessionId: 'bench', scopes: ['read', 'write'] },
          { name: 'bench', scopes: ['write'] },
          actor,
        );
        out[job.i] = created.token;
      }
    }),
  );
  await built.close();
  return out;
}

export type Server = { url: string; pid: number; stop(): Promise<void> };

/** Starts `apps/server/src/main.ts` (or BENCH_SERVER) on BENCH_PORT or a free port and waits until it is ready. */
export async function startServer(database: string, extra: Record<string, string> = {}): Promise<Server> {
  const port = Number(process.env.BENCH_PORT) || 20_000 + Math.floor(Math.random() * 20_000);
  // BENCH_CPU_PROF=<dir> writes the server's CPU profile there when it stops.
  const prof = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child: ChildProcess = spawn(
    process.execPath,
    // BENCH_SERVER=apps/server/dist/<build>/main.js runs a bundle instead (an earlier build, for before/after).
    [
      ...prof,
      ...(process.env.BENCH_SERVER
        ? [process.env.BENCH_SERVER]
        : ['--import', 'tsx', 'apps/server/src/main.ts']),
    ],
    {
      env: { ...process.env, ...env(database, { PORT: String(port), HOST: '127.0.0.1', ...extra }) },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  // A shared machine under load can take more than a minute to start it; one that never answers is
  // stopped, so it does not keep the port of the next run.
  let ready = false;
  for (let i = 0; i < 360 && !ready; i++) {
    try {
      ready = (await fetch(`${url}/api/health/ready`)).status === 200;
    } catch {}
    if (!ready) await sleep(500);
  }
  if (!ready) {
    child.kill('SIGTERM');
    throw new Error(`the server at ${url} was not ready within 3 minutes`);
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One HTTP request over a keep-alive agent; resolves with status, body and elapsed milliseconds. */
export function request(
  url: string,
  opts: { method?: string; token?: string; body?: unknown; onData?: (chunk: Buffer) => void } = {},
): Promise<{ status: number; body: string; ms: number; bytes: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = http.request(
      url,
      {
        method: opts.method ?? 'GET',
        agent,
        headers: {
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (opts.onData) opts.onData(c);
          else chunks.push(c);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
            bytes,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The median of figures in any order. */
export const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

/** Resident memory of a process in MiB, from /proc. */
export async function rssMiB(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/**
 * CPU time a process has used so far (utime + stime from /proc, in 10 ms ticks), in milliseconds: on
 * a shared machine the cost of a request, where its wall time is mostly the queue for a core.
 */
export async function cpuMs(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A numeric option from the environment (`BENCH_…`), or its default; anything but a positive number stops the bench. */
export function benchNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return value;
}

/** The bench's scratch database: BENCH_DB names another, so two runs on one machine never share one. */
export function benchDatabase(fallback: string): string {
  return process.env.BENCH_DB || fallback;
}

/** The machine a result was measured on, with its load (figures from a busy machine are low). */
export function machineInfo() {
  return {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    loadavg: loadavg(),
  };
}

/** Writes a bench's figures to BENCH_RESULT or its default file under bench/results, and prints them. */
export function writeFigures(defaultFile: string, figures: Record<string, unknown>) {
  mkdirSync('bench/results', { recursive: true });
  const file = process.env.BENCH_RESULT ?? defaultFile;
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(JSON.stringify(figures, null, 2));
  console.log(`wrote ${file}`);
}
