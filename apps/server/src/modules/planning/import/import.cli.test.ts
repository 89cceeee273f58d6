import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testDatabase } from '../../../../test/helpers';
import type { Database } from '../../../platform/db';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../../bin/clockpilot.mjs', import.meta.url));
let dir: string;
let postgres: { database: Database; url: string } | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clockpilot-import-cli-'));
  if (inject('pgTemplate')) {
    const made = await testDatabase();
    postgres = { database: made.database, url: made.url! };
  }
});
afterAll(async () => {
  await postgres?.database.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the real CLI, as an operator would. */
async function cli(args: string[]) {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    APP_MODE: 'test',
    LOG_LEVEL: 'error',
    ...(postgres ? { DATABASE_URL: postgres.url } : { DATA_DIR: join(dir, 'data') }),
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'planning', 'import', ...args], {
      env,
      timeout: 180_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('clockpilot planning import', { timeout: 600_000 }, () => {
  it('reports a dry run with its mapping and row errors, then imports', async () => {
    const file = join(dir, 'people.csv');
    await writeFile(
      file,
      'Full name;E-mail;Weekly hours\nCli Person;cli@example.test;40\nBroken;broken@example.test;many\n',
    );
    const dry = await cli(['people', file, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run: 1 created, 0 updated, 0 unchanged, 1 failed');
    expect(dry.stdout).toContain('column "E-mail" → email');
    expect(dry.stderr).toContain('row 3, Weekly hours (many): Not a number');

    await writeFile(file, 'Full name;E-mail;Weekly hours\nCli Person;cli@example.test;40\n');
    const ok = await cli(['people', file]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('1 created, 0 updated, 0 unchanged, 0 failed');
  });
});
