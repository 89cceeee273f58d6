import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import pg from 'pg';
import type { DestinationStream } from 'pino';
import { inject } from 'vitest';
import { type BuiltApp, buildApp } from '../src/app';
import { loadConfig } from '../src/config/load';
import { MODULES } from '../src/modules';
import { auditEvents } from '../src/platform/audit';
import type { Clock } from '../src/platform/context';
import { createPglite, createPostgres, type Database } from '../src/platform/db';
import { createLoggers } from '../src/platform/logger';
import type { AnyModule, ModuleServices } from '../src/platform/module';
import { createRuntime, type Runtime } from '../src/platform/runtime';

export { freePort } from '../../../scripts/lib/net.mjs';

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-characters-long';

/** A new database under the run's prefix (dropped by its teardown), from `template` or empty. */
async function newPostgresDatabase(tmpl: { adminUrl: string; prefix: string }, template?: string) {
  const name = `${tmpl.prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: tmpl.adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  } finally {
    await admin.end();
  }
  const u = new URL(tmpl.adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  return { database: testPostgres(url), url };
}

/** A private, migrated database: a clone of the run's template on PostgreSQL, else a fresh PGlite. */
export async function testDatabase(): Promise<{ database: Database; url?: string }> {
  const tmpl = inject('pgTemplate');
  if (tmpl) return newPostgresDatabase(tmpl, tmpl.template);
  const dump = inject('pgliteDump');
  // A file-backed Blob: copying the 40 MB dump into a Blob first cost each test file ~1 s of CPU.
  const blob = dump ? await openAsBlob(dump) : undefined;
  return { database: await createPglite(undefined, blob) };
}

/** A private database with nothing migrated yet, for a test of migrations with rows already there. */
export async function emptyDatabase(): Promise<Database> {
  const tmpl = inject('pgTemplate');
  return tmpl ? (await newPostgresDatabase(tmpl)).database : createPglite(undefined);
}

/**
 * A new DATA_DIR that already holds the run's migrated PGlite database, for a process started on it
 * (the CLI): initdb and the migrations were paid once for the run. Empty when there is no dump.
 */
export async function migratedDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'clockpilot-data-'));
  const dump = inject('pgliteDump');
  if (dump) await promisify(execFile)('tar', ['-xf', dump, '-C', dir]);
  return dir;
}

/**
 * A pool on a test's PostgreSQL database: another instance's own connection to the same data (a second
 * replica), or one through a proxy the test controls.
 */
export function testPostgres(url: string, poolSize = 5): Database {
  return createPostgres(url, { database: { poolSize, sslmode: 'disable' } } as never);
}

/** A clock the test moves by hand. */
export function testClock(start = new Date('2026-11-23T09:00:00Z')) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    set: (d: Date | string) => {
      now = new Date(d).getTime();
    },
    advance: (ms: number) => {
      now += ms;
    },
  } satisfies Clock & Record<string, unknown>;
}

export type TestApp = BuiltApp & { url?: string };
/** An app or a bare runtime (`{ runtime }`): what factories that only call services need. */
export type WithServices = { runtime: Runtime };

type TestOptions = {
  env?: Record<string, string | undefined>;
  clock?: Clock;
  database?: Database;
  shareRedisPrefix?: string;
  /** Where the logs' stdout copy goes (e.g. a sink, when a test reads LOG_DIR files). */
  logTo?: DestinationStream;
  /** false: no job runner (no periodic job may run while a test compares what it reads). */
  jobs?: boolean;
};

/** The configuration, loggers and private database every test app or runtime starts from. */
async function testDeps(opts: TestOptions) {
  const { database, url } = opts.database
    ? { database: opts.database, url: undefined }
    : await testDatabase();
  const config = loadConfig({
    env: {
      APP_MODE: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      // Embedded PGlite runs queries on the event loop; a busy test machine must not read as overload.
      MAX_EVENT_LOOP_DELAY_MS: '0',
      JWT_SECRET: TEST_JWT_SECRET,
      // Tests sign in (and fail to) from one address many times; the limit's own tests set it low.
      AUTH_RATE_LIMIT_MAX: '10000',
      REDIS_URL: process.env.REDIS_URL,
      REDIS_KEY_PREFIX: opts.shareRedisPrefix ?? `cpt:${randomBytes(4).toString('hex')}:`,
      ...opts.env,
    },
    version: '0.0.0-test',
  });
  return { config, url, deps: { database, clock: opts.clock, loggers: createLoggers(config, opts.logTo) } };
}

/**
 * Builds the whole app on a private database, with Redis when REDIS_URL is set (each app under its
 * own key prefix unless `shareRedisPrefix` is given). `env` overrides configuration.
 */
export async function createTestApp(opts: TestOptions = {}): Promise<TestApp> {
  const { config, url, deps } = await testDeps(opts);
  const built = await buildApp(config, deps);
  await built.start({ jobs: opts.jobs });
  return Object.assign(built, { url });
}

/**
 * The modules' services without the HTTP app, as the CLI and jobs use them: for tests of services,
 * events and jobs. `modules` replaces the real list (a test may add a module of its own); `jobs`
 * starts the job runner, as a server does.
 */
export async function createTestRuntime(
  opts: TestOptions & { modules?: readonly AnyModule[]; jobs?: boolean } = {},
): Promise<Runtime & { url?: string }> {
  const { config, url, deps } = await testDeps(opts);
  const runtime = await createRuntime(config, deps, opts.modules ?? MODULES);
  await runtime.start({ jobs: opts.jobs });
  return Object.assign(runtime, { url });
}

/**
 * A module's services as tests reach them. Every test and factory goes through here, so a change in
 * how modules are wired touches one line.
 */
export function moduleServices<K extends keyof ModuleServices>(t: WithServices, name: K): ModuleServices[K] {
  return t.runtime.services(name);
}

/** The audit records of one entity (only `action`'s, when given), oldest first. */
export function auditTrail(t: WithServices, entityId: string, action?: string) {
  const entity = eq(auditEvents.entityId, entityId);
  return t.runtime.ctx.db
    .select()
    .from(auditEvents)
    .where(action ? and(entity, eq(auditEvents.action, action)) : entity)
    .orderBy(auditEvents.occurredAt);
}

/** One sample of a metric as /metrics shows it (`name` with its labels, e.g. `x_total{outcome="failed"}`); 0 if absent. */
export async function metricValue(t: TestApp, series: string): Promise<number> {
  const body = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** Runs of a job queue this runtime completed, as its /metrics counts them. */
export async function completedJobs(runtime: Runtime, queue: string): Promise<number> {
  const metric = await runtime.ctx.metrics.registry.getSingleMetric('clockpilot_jobs_total')!.get();
  return metric.values.find((v) => v.labels.queue === queue && v.labels.state === 'completed')?.value ?? 0;
}

/** The first defined answer of `probe` (a throw counts as none), tried every 150 ms for `timeoutMs`. */
export async function until<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
