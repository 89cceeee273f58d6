import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serverBundle } from '../../../test/bundle';
import { migratedDataDir, testDatabase } from '../../../test/helpers';
import { createPglite, type Database } from '../../platform/db';
import { verifyPassword } from './passwords';

const run = promisify(execFile);
let dataDir: string;
/** With TEST_DATABASE_URL, a private PostgreSQL database; else an embedded one, migrated, in a temporary DATA_DIR. */
let postgres: { database: Database; url: string } | undefined;

beforeAll(async () => {
  dataDir = await migratedDataDir();
  if (inject('pgTemplate')) {
    const made = await testDatabase();
    postgres = { database: made.database, url: made.url! };
  }
});
afterAll(async () => {
  await postgres?.database.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs the real CLI (bundled as deployed), as an operator would. */
async function cli(command: string, args: string[], extraEnv: Record<string, string> = {}) {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    APP_MODE: 'test',
    LOG_LEVEL: 'error',
    ...(postgres ? { DATABASE_URL: postgres.url } : { DATA_DIR: dataDir }),
    ...extraEnv,
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [(await serverBundle()).cli, command, ...args], {
      env,
      timeout: 180_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('clockpilot create-user and reset-password', { timeout: 600_000 }, () => {
  const base = ['--username', 'ops_lead', '--email', 'ops@example.test', '--role', 'manager'];

  it('refuses bad arguments and weak passwords, creates the account, resets its password', async () => {
    const badRole = await cli('create-user', [
      '--username',
      'x y',
      '--email',
      'ops@example.test',
      '--role',
      'owner',
    ]);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toMatch(/--username: .*letters/);
    expect(badRole.stderr).toMatch(/--role: /);

    const noPassword = await cli('create-user', base);
    expect(noPassword.code).toBe(1);
    expect(noPassword.stderr).toContain('Without single sign-on (OIDC_ISSUER) an account needs a password');

    const weak = await cli('create-user', [...base, '--password', 'Password1!']);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('most common leaked passwords');

    const ok = await cli('create-user', [
      ...base,
      '--password',
      'Velvet-Orbit-64-Trail',
      '--time-zone',
      'Europe/Paris',
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^created manager ops_lead \([0-9a-f-]{36}\)/);

    const reset = await cli('reset-password', ['--user', 'OPS@example.test', '--remove-totp']);
    expect(reset.code).toBe(0);
    const newPassword = /new password \(shown only now\): (\S+)/.exec(reset.stdout)?.[1];
    expect(newPassword).toHaveLength(20);
    expect(reset.stdout).toContain('second factor removed');
    expect((await cli('reset-password', ['--user', 'nobody'])).code).toBe(1);

    const database = postgres?.database ?? (await createPglite(dataDir));
    try {
      const rows = await database.withSession((s) =>
        s.query<{ username: string; role: string; time_zone: string; password_hash: string }>(
          'select username, role, time_zone, password_hash from users',
        ),
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ username: 'ops_lead', role: 'manager', time_zone: 'Europe/Paris' });
      expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(await verifyPassword(rows[0]!.password_hash, newPassword!)).toBe(true);
      const audit = await database.withSession((s) =>
        s.query<{ action: string; actor_label: string }>(
          "select action, actor_label from audit_events where entity_type = 'user' order by occurred_at",
        ),
      );
      expect(audit.map((a) => a.action)).toEqual([
        'user.created',
        'user.password_reset',
        'user.totp_disabled',
      ]);
      expect(new Set(audit.map((a) => a.actor_label))).toEqual(new Set(['cli']));
    } finally {
      if (!postgres) await database.close();
    }
  });
});

describe('clockpilot create-dev-user', { timeout: 600_000 }, () => {
  const args = [
    '--username',
    'dev_staff',
    '--password',
    'Amber-Socket-19-Harbor',
    '--email',
    'dev@example.test',
  ];

  it('makes --staff a manager, and is refused in production unless forced', async () => {
    const production = {
      APP_MODE: 'production',
      PUBLIC_URL: 'https://clockpilot.example.test',
      JWT_SECRET: 'a-production-secret-of-at-least-32-characters',
      ALLOW_EMBEDDED_DB: 'true',
      FLEET_ALLOW_LOCAL_PROVIDERS: 'true',
    };
    const refused = await cli('create-dev-user', [...args, '--staff'], production);
    expect(refused.stderr).toContain('refused in production');
    expect(refused.code).toBe(1);

    const ok = await cli('create-dev-user', [...args, '--staff']);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/^created manager dev_staff /);
  });
});
