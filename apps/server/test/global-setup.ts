import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createPglite } from '../src/platform/db';
import { migrate } from '../src/platform/migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Real PostgreSQL: the migrated template database each test file clones. */
    pgTemplate: { adminUrl: string; template: string; prefix: string } | null;
    /** Embedded PGlite: a migrated data-directory dump each test file loads. */
    pgliteDump: string | null;
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(adminUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Migrates once per run: into a template database on real PostgreSQL (TEST_DATABASE_URL), else into
 * a PGlite dump. Test files then get a private copy in milliseconds and never see each other's rows.
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const prefix = `cpt_${process.pid}_${Date.now().toString(36)}`;
    const template = `${prefix}_tmpl`;
    await adminQuery(adminUrl, `create database ${template}`);
    const { createPostgres } = await import('../src/platform/db');
    const database = createPostgres(withDatabase(adminUrl, template), {
      database: { poolSize: 2, sslmode: 'disable' },
    } as never);
    await migrate(database);
    await database.close();
    project.provide('pgTemplate', { adminUrl, template, prefix });
    project.provide('pgliteDump', null);
    console.log(`[test] database: PostgreSQL (${new URL(adminUrl).host}), template ${template}`);
    console.log(
      `[test] redis: ${process.env.REDIS_URL ? new URL(process.env.REDIS_URL).host : 'in-process'}`,
    );
    return async () => {
      const { rows } = await adminQuery(
        adminUrl,
        `select datname from pg_database where datname like '${prefix}%' order by datname = '${template}'`,
      );
      for (const { datname } of rows)
        await adminQuery(adminUrl, `drop database if exists ${datname} with (force)`);
    };
  }

  const database = await createPglite(undefined);
  await migrate(database);
  const dump = join(tmpdir(), `clockpilot-test-${process.pid}.tar`);
  await writeFile(dump, Buffer.from(await (await database.dumpDataDir!()).arrayBuffer()));
  await database.close();
  project.provide('pgTemplate', null);
  project.provide('pgliteDump', dump);
  console.log('[test] database: embedded PGlite; redis: in-process');
  // Each run writes a dump of some 40 MB: a machine that runs the suite all day must not keep them.
  return () => rm(dump, { force: true });
}
