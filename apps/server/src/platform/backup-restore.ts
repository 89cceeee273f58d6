import { randomBytes } from 'node:crypto';
import { readdir, rename, rm } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { libpqTarget, readBackup } from './backup';
import { parseBackupName } from './backup-files';
import type { Listing } from './backup-scan';
import { type CryptoSettings, sink } from './backup-streams';
import { createPglite } from './db';
import { holdMaintenance } from './maintenance';

export type RestoreOptions = {
  file: string;
  settings: CryptoSettings;
  /** A PostgreSQL URL (SQL backups) or a data directory (PGlite backups); default: the live database. */
  target?: string;
  force?: boolean;
  /** The app's own database, restored in maintenance mode when it is the target. */
  live: { url?: string; dataDir: string };
  tls?: { sslmode?: string; sslrootcert?: string };
  onStep?: (message: string) => void;
};

export type Restored = { listing: Listing; target: string; maintenance: boolean };

/** Drops every schema of the target inside the restore's transaction, so a failure leaves it as it was. */
const clearSchemas = (keep: string[]) => `
DO $$ DECLARE s text; BEGIN
  FOR s IN SELECT nspname FROM pg_namespace
    WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
      AND nspname <> ALL (ARRAY[${keep.map((k) => `'${k}'`).join(', ') || "''"}]::text[])
  LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP;
END $$;
CREATE SCHEMA IF NOT EXISTS public;
`;

const sameDatabase = (a: string, b: string) => {
  const [x, y] = [new URL(a), new URL(b)];
  return x.hostname === y.hostname && (x.port || '5432') === (y.port || '5432') && x.pathname === y.pathname;
};

/**
 * Restores a backup after verifying all of it. Nothing is touched until the whole file has been read
 * back soundly; a non-empty target needs `force`; a SQL restore runs in one transaction, and the live
 * database is restored with every replica in maintenance (readiness 503, changes refused).
 */
export async function restoreBackup(opts: RestoreOptions): Promise<Restored> {
  const name = parseBackupName(opts.file);
  if (!name) throw new Error(`${basename(opts.file)} is not named like a ClockPilot backup`);
  const step = opts.onStep ?? (() => undefined);
  return name.kind === 'sql' ? restoreSql(opts, step) : restoreDataDir(opts, step);
}

async function restoreSql(opts: RestoreOptions, step: (m: string) => void): Promise<Restored> {
  const target = opts.target ?? opts.live.url;
  if (!target || !/^postgres(ql)?:\/\//.test(target))
    throw new Error('a PostgreSQL backup restores into a PostgreSQL database: give --target postgres://…');
  step('verifying the backup');
  const listing = await readBackup(opts.file, opts.settings);
  const ssl = opts.tls?.sslmode && opts.tls.sslmode !== 'disable' ? { rejectUnauthorized: false } : undefined;
  const client = new pg.Client({ connectionString: target, ssl });
  await client.connect();
  let tables: number;
  try {
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from information_schema.tables
       where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'`,
    );
    tables = rows[0]!.n;
  } finally {
    await client.end();
  }
  if (tables > 0 && !opts.force)
    throw new Error(
      `the target database is not empty (${tables} tables); add --force to replace its contents`,
    );

  const live = opts.live.url !== undefined && sameDatabase(target, opts.live.url);
  const hold = live ? await holdMaintenance(target, ssl) : undefined;
  if (hold) step('the app is in maintenance');
  try {
    step('restoring');
    const { dbname, env } = libpqTarget(target, opts.tls);
    const psql = sink(
      'psql',
      ['--no-psqlrc', '--quiet', '--single-transaction', '--set', 'ON_ERROR_STOP=1', '--dbname', dbname],
      env,
    );
    // A dump without the job queue's schema leaves the running queue's schema in place.
    const withQueue = listing.tables.some((t) => t.name.startsWith('pgboss.'));
    if (tables > 0) psql.stream.write(clearSchemas(withQueue ? [] : ['pgboss']));
    await readBackup(opts.file, opts.settings, psql.stream as Writable, [psql]);
  } finally {
    await hold?.release();
    if (hold) step('maintenance ended');
  }
  return { listing, target: new URL(target).pathname.slice(1), maintenance: live };
}

async function restoreDataDir(opts: RestoreOptions, step: (m: string) => void): Promise<Restored> {
  const target = resolve(opts.target ?? opts.live.dataDir);
  if (/^\w+:\/\//.test(opts.target ?? ''))
    throw new Error('an embedded-database backup restores into a data directory, not a URL');
  step('verifying the backup');
  const chunks: Buffer[] = [];
  const collect = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  const listing = await readBackup(opts.file, opts.settings, collect);
  const existing = await readdir(target).catch(() => [] as string[]);
  if (existing.length > 0 && !opts.force)
    throw new Error(
      `the target directory ${target} is not empty; stop the server and add --force to replace it`,
    );
  step('restoring');
  const tmp = `${target}.restoring-${randomBytes(4).toString('hex')}`;
  try {
    const db = await createPglite(tmp, new Blob(chunks));
    await db.ping();
    await db.close();
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  const old = `${target}.replaced-${randomBytes(4).toString('hex')}`;
  if (existing.length > 0) await rename(target, old);
  else await rm(target, { recursive: true, force: true });
  await rename(tmp, target);
  await rm(old, { recursive: true, force: true });
  return { listing, target, maintenance: false };
}
