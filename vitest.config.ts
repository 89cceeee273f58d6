import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Server tests that never open a database or a cache (pure functions, parsers, the build, subprocesses
 * on a private PGlite directory). They form their own project so that CI's second mode, which exists
 * to exercise PostgreSQL and Redis, runs only `--project server`; mode 1 runs them once.
 */
const serverUnit = [
  'apps/server/build.test.ts',
  'apps/server/engines.test.ts',
  'apps/server/src/boundaries.test.ts',
  'apps/server/src/cli/progress.test.ts',
  'apps/server/src/config/docs.test.ts',
  'apps/server/src/modules/autoscaler/autoscaler.cli.test.ts',
  'apps/server/src/modules/autoscaler/clusters/behavior-defaults.test.ts',
  'apps/server/src/modules/autoscaler/engine/*.test.ts',
  'apps/server/src/modules/autoscaler/evaluate/*.test.ts',
  'apps/server/src/modules/fleet/bookings.reads.test.ts',
  'apps/server/src/modules/fleet/bookings.writing.test.ts',
  'apps/server/src/modules/fleet/payments/csp.test.ts',
  'apps/server/src/modules/identity/passwords.test.ts',
  'apps/server/src/modules/identity/revocation-memo.test.ts',
  'apps/server/src/modules/planning/normalize.test.ts',
  'apps/server/src/modules/planning/reallocate.test.ts',
  'apps/server/src/modules/time/time.calendar.test.ts',
  'apps/server/src/platform/backup-files.test.ts',
  'apps/server/src/platform/module.test.ts',
  'apps/server/src/platform/request-logger.test.ts',
  'apps/server/src/platform/tabular/*.test.ts',
  'packages/contracts/**/*.test.ts',
];

/**
 * Tests of what only a database server has (a connection that can be cut or restarted, a database
 * that a killed server process shares with its successor): collected only when TEST_DATABASE_URL
 * points at PostgreSQL, as in CI's second mode, rather than skipped in the first.
 */
const postgresOnly = process.env.TEST_DATABASE_URL
  ? []
  : ['apps/server/src/platform/database-outage.test.ts', 'apps/server/src/modules/time/under-load.test.ts'];

export default defineConfig({
  // Where Vitest keeps each file's last duration, by which it starts the longest files first (CI sets it).
  cacheDir: process.env.TEST_CACHE_DIR,
  test: {
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine, which
    // leaves a core idle while a file waits on PostgreSQL, Redis, a subprocess or PGlite's loading.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // A worker process runs file after file of a project, keeping the modules it imported: a new process
    // per file cost some 3 s of CPU in imports (the whole app) for each of the server's files. Server
    // tests share no module state (each file has its own app, database and Redis prefix, and no
    // vi.mock); simulator files get their modules afresh (isolate: true), web files run in threads.
    poolOptions: { forks: { isolate: false } },
    projects: [
      {
        test: {
          name: 'server',
          include: ['apps/server/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...serverUnit, ...postgresOnly],
          environment: 'node',
          globalSetup: ['apps/server/test/global-setup.ts'],
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'server-unit',
          include: serverUnit,
          environment: 'node',
          pool: 'forks',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'simulator',
          include: ['apps/simulator/**/*.test.ts'],
          environment: 'node',
          isolate: true,
          testTimeout: 20_000,
        },
      },
      'apps/web/vitest.config.ts',
    ],
  },
});
