import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serverBundle } from '../../test/bundle';
import { freePort, migratedDataDir } from '../../test/helpers';
import { loadMigrations } from '../platform/migrate';

/** Makes the process fail the moment anything imports Fastify or one of its plugins. */
const NO_HTTP = ['--import', fileURLToPath(new URL('../../test/forbid-http.mjs', import.meta.url))];

/** Runs `clockpilot <args>` as an operator would, in a clean environment. */
async function clockpilot(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const { cli } = await serverBundle();
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [...nodeArgs, cli, ...args],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
        timeout: 120_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const dataDir = () => mkdtempSync(join(tmpdir(), 'cp-cli-'));

describe('clockpilot CLI', { timeout: 300_000 }, () => {
  // Under the no-HTTP guard: migrating from nothing must not load the HTTP app either.
  it('migrate applies every migration once; db health-check fails until it has', async () => {
    const DATA_DIR = dataDir();
    const names = loadMigrations().map((m) => m.name);

    const before = await clockpilot(['db', 'health-check'], { DATA_DIR }, NO_HTTP);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain(`migrations: 0 applied, ${names.length} pending`);

    const first = await clockpilot(['migrate'], { DATA_DIR }, NO_HTTP);
    expect(first.code).toBe(0);
    for (const name of names) expect(first.stdout).toContain(`applied ${name}`);
    expect(first.stdout).toContain(`${names.length} migration(s) applied`);

    const again = await clockpilot(['migrate'], { DATA_DIR }, NO_HTTP);
    expect(again.stdout).toContain('database is up to date');

    const status = await clockpilot(['migrate', '--status'], { DATA_DIR }, NO_HTTP);
    expect(status.stdout).toContain(`applied: ${names.length}, pending: none`);

    const health = await clockpilot(['db', 'health-check'], { DATA_DIR }, NO_HTTP);
    expect(health.code).toBe(0);
    expect(health.stdout).toMatch(/database \(pglite\): up/);
    expect(health.stdout).toContain(`migrations: ${names.length} applied, 0 pending`);
  });

  it('db health-check fails when the database does not answer', async () => {
    const port = await freePort();
    const res = await clockpilot(['db', 'health-check'], {
      DATABASE_URL: `postgres://x@127.0.0.1:${port}/none`,
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('ECONNREFUSED');
  });

  it('config check prints the effective configuration with every secret redacted', async () => {
    const secrets = {
      JWT_SECRET: 'jwt-secret-value-that-is-long-enough-1234',
      DATABASE_URL: 'postgres://app:db-password-xyz@db.internal/app',
      REDIS_URL: 'redis://:redis-password-xyz@cache:6379',
      ADMIN_PASSWORD: 'admin-password-xyz',
    };
    const res = await clockpilot(['config', 'check'], { ...secrets, PORT: '6123' });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('configuration is valid');
    const shown = JSON.parse(res.stdout.slice(0, res.stdout.lastIndexOf('}') + 1));
    expect(shown.server.port).toBe(6123);
    expect(shown.auth.jwtSecret).toBe('********');
    for (const value of Object.values(secrets)) expect(res.stdout + res.stderr).not.toContain(value);
    expect(res.stdout).not.toMatch(/password-xyz/);
  });

  it('config check exits 1 listing every problem', async () => {
    const res = await clockpilot(['config', 'check'], {
      NODE_ENV: 'production',
      JWT_SECRET: 'short',
      PORT: 'x',
    });
    expect(res.code).toBe(1);
    for (const name of ['JWT_SECRET', 'DATABASE_URL', 'PORT']) expect(res.stderr).toContain(`- ${name}:`);
  });

  it('config check reads --config and reports unknown keys', async () => {
    const file = join(dataDir(), 'clockpilot.yaml');
    writeFileSync(file, 'server:\n  port: 6200\n  colour: blue\n');
    const res = await clockpilot(['--config', file, 'config', 'check']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('unknown key "server.colour"');
  });

  it('runs commands on the module services alone, without loading the HTTP app', async () => {
    // The run's migrated database (migrating from nothing under the guard is the first test's).
    const env = { DATA_DIR: await migratedDataDir(), APP_MODE: 'test' };
    // The guard works: a process that does load Fastify fails.
    const guarded = await clockpilot(['config', 'check'], env, [...NO_HTTP, '--import', 'fastify']);
    expect(guarded.code).not.toBe(0);
    expect(guarded.stderr).toContain('the HTTP framework was loaded: fastify');

    const migrated = await clockpilot(['migrate'], env, NO_HTTP);
    expect(migrated).toMatchObject({ code: 0 });
    expect((await clockpilot(['migrate', '--status'], env, NO_HTTP)).stdout).toContain('pending: none');
    const args = ['--username', 'no_http', '--email', 'no.http@example.com', '--role', 'employee'];
    args.push('--password', 'Quartz-Meadow-42-Lantern');
    const created = await clockpilot(['identity', 'create-user', ...args], env, NO_HTTP);
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/created employee no_http/);
  });
});
