import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { backupName, parseBackupName, pruneBackups, recordedChecksum } from './backup-files';
import { type Listing, scanner } from './backup-scan';
import {
  type CryptoSettings,
  decryptStage,
  encryptionOf,
  encryptStage,
  type Stage,
  source,
} from './backup-streams';
import type { Database } from './db';

export type BackupSettings = CryptoSettings & { dir: string; retentionDays: number };

export type CreatedBackup = { file: string; bytes: number; sha256: string; pruned: string[] };

/** libpq's environment for pg_dump/psql: the password stays out of the process list. */
export function libpqTarget(url: string, tls?: { sslmode?: string; sslrootcert?: string }) {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = {};
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  u.password = '';
  if (tls?.sslmode) env.PGSSLMODE = tls.sslmode;
  if (tls?.sslrootcert) env.PGSSLROOTCERT = tls.sslrootcert;
  return { dbname: u.toString(), env };
}

const sha256Tap = () => {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  return { stream, digest: () => hash.digest('hex'), bytes: () => bytes };
};

const counter = (onBytes: (n: number) => void) =>
  new Transform({
    transform(chunk: Buffer, _enc, cb) {
      onBytes(chunk.length);
      cb(null, chunk);
    },
  });

/**
 * One consistent backup of the database: pg_dump's plain SQL format (one snapshot: pg_dump reads in a
 * single repeatable-read transaction) or PGlite's data-directory dump, gzipped, optionally encrypted,
 * written under a temporary name, synced and then linked into place with mode 0600, its SHA-256 beside
 * it. Older backups beyond the retention are pruned afterwards.
 */
export async function createBackup(
  database: Database,
  settings: BackupSettings,
  opts: {
    full?: boolean;
    now?: Date;
    tls?: { sslmode?: string; sslrootcert?: string };
    /** Total (an estimate) once known, then bytes of dump as they pass. */
    onTotal?: (bytes: number) => void;
    onBytes?: (n: number) => void;
  } = {},
): Promise<CreatedBackup> {
  await mkdir(settings.dir, { recursive: true, mode: 0o700 });
  const kind = database.driver === 'postgres' ? 'sql' : 'tar';
  const encryption = encryptionOf(settings);
  const tmp = join(settings.dir, `.partial-${randomBytes(6).toString('hex')}`);
  const stages: Array<Stage<unknown>> = [];
  let input: Readable;
  if (database.driver === 'postgres') {
    if (!database.url) throw new Error('the database has no connection string to dump from');
    const [size] = await database.withSession((s) =>
      s.query<{ n: string }>('select pg_database_size(current_database())::text as n'),
    );
    opts.onTotal?.(Number(size?.n ?? 0));
    const { dbname, env } = libpqTarget(database.url, opts.tls);
    const args = ['--format=plain', '--no-owner', '--no-privileges', '--dbname', dbname];
    // The job queue's own schema is transient work that pg-boss recreates; --full keeps it too.
    if (!opts.full) args.push('--exclude-schema=pgboss');
    const dump = source('pg_dump', args, env);
    stages.push(dump);
    input = dump.stream;
  } else {
    if (!database.dumpDataDir) throw new Error('this database cannot dump its data directory');
    const blob = await database.dumpDataDir();
    opts.onTotal?.(blob.size);
    input = Readable.fromWeb(blob.stream() as never);
  }
  const encrypt = encryptStage(settings);
  if (encrypt) stages.push(encrypt);
  const tap = sha256Tap();
  const handle = await open(tmp, 'wx', 0o600);
  try {
    const steps = [
      input,
      counter((n) => opts.onBytes?.(n)),
      createGzip({ level: 6 }),
      ...(encrypt ? [encrypt.stream] : []),
      tap.stream,
      createWriteStream('', { fd: handle.fd, autoClose: false }),
    ];
    try {
      await Promise.all([pipeline(steps as never), ...stages.map((s) => s.done)]);
    } catch (err) {
      for (const s of stages) s.kill();
      throw err;
    }
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => {});
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();

  const sha256 = tap.digest();
  const file = await linkUnique(tmp, settings.dir, opts.now ?? new Date(), kind, encryption);
  const sum = `${file}.sha256.partial`;
  await writeFile(sum, `${sha256}  ${basename(file)}\n`, { mode: 0o600 });
  await rename(sum, `${file}.sha256`);
  const pruned = await pruneBackups(settings.dir, settings.retentionDays, opts.now);
  return { file, bytes: tap.bytes(), sha256, pruned };
}

/** Links the finished file under its name (never replacing one); a taken second moves to the next. */
async function linkUnique(
  tmp: string,
  dir: string,
  at: Date,
  kind: 'sql' | 'tar',
  enc: ReturnType<typeof encryptionOf>,
) {
  for (let i = 0; ; i++) {
    const file = join(dir, backupName(new Date(at.getTime() + i * 1000), kind, enc));
    try {
      await link(tmp, file);
      await rm(tmp, { force: true });
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || i >= 60) {
        await rm(tmp, { force: true });
        throw err;
      }
    }
  }
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * Checks a backup end to end without touching any database: our name, the recorded SHA-256, decryption
 * to a pipe, gunzip, and a full read of the dump (its tables and row counts, or its archive entries).
 * With `into`, the decompressed dump is also streamed there (restore), and any failure fails it.
 */
export async function readBackup(
  file: string,
  settings: CryptoSettings,
  into?: Writable,
  extra: Array<Stage<unknown>> = [],
): Promise<Listing> {
  const name = parseBackupName(file);
  if (!name) throw new Error(`${basename(file)} is not named like a ClockPilot backup`);
  const size = (await stat(file)).size;
  if (size === 0) throw new Error(`${basename(file)} is empty`);
  const expected = await recordedChecksum(file);
  if ((await fileSha256(file)) !== expected)
    throw new Error(`${basename(file)} does not match its SHA-256: it is corrupted or truncated`);
  const decrypt = decryptStage(name.encryption, settings);
  const scan = scanner(name.kind);
  const stages = [...(decrypt ? [decrypt] : []), ...extra];
  let decryptError: Error | undefined;
  decrypt?.done.catch((err: Error) => {
    decryptError ??= err;
  });
  const sink = into ?? new Writable({ write: (_c, _e, cb) => cb() });
  const steps = [createReadStream(file), ...(decrypt ? [decrypt.stream] : []), createGunzip(), scan, sink];
  try {
    await Promise.all([pipeline(steps as never), ...stages.map((s) => s.done)]);
  } catch (err) {
    // A wrong key makes the decrypter exit first and gunzip see nothing; give its verdict a moment.
    await Promise.race([Promise.allSettled(stages.map((s) => s.done)), sleep(300)]);
    const refusedKey = decryptError;
    for (const s of stages) s.kill();
    throw new Error(
      refusedKey
        ? `${basename(file)} cannot be decrypted with the configured key: ${refusedKey.message}`
        : `${basename(file)} is not a sound backup: ${(err as Error).message}`,
    );
  }
  return scan.listing();
}
