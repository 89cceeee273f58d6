import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { createPglite, type Database } from '../src/platform/db';

/** Runs one statement and answers its rows, on whichever engine holds the data. */
export type Query = (sql: string) => Promise<Array<Record<string, unknown>>>;

export const queryOf =
  (database: Database): Query =>
  (sql) =>
    database.withSession((s) => s.query(sql));

/** Every table's row count and an MD5 of its rows in a fixed order: equal fingerprints, equal data. */
export async function fingerprint(query: Query, skip: (table: string) => boolean = () => false) {
  const tables = await query(
    `select quote_ident(table_schema) || '.' || quote_ident(table_name) as t from information_schema.tables
     where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE' order by 1`,
  );
  const out: Record<string, string> = {};
  for (const { t } of tables as Array<{ t: string }>) {
    if (skip(t)) continue;
    const [row] = await query(
      `select count(*)::int as n, coalesce(md5(string_agg(x::text, E'\\n' order by x::text)), '-') as h from ${t} x`,
    );
    out[t] = `${row!.n} rows, md5 ${row!.h}`;
  }
  return out;
}

/** A new, empty place to restore into: a database on PostgreSQL, a data directory on PGlite. */
export async function restoreTarget(
  driver: Database['driver'],
): Promise<{ target: string; open(): Promise<{ query: Query; close(): Promise<void> }> }> {
  const tmpl = inject('pgTemplate');
  if (driver === 'postgres' && tmpl) {
    // Named under the run's prefix, so the run's teardown drops it.
    const name = `${tmpl.prefix}_r_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: tmpl.adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(tmpl.adminUrl);
    u.pathname = `/${name}`;
    const target = u.toString();
    return {
      target,
      async open() {
        const pool = new pg.Pool({ connectionString: target, max: 1 });
        return { query: async (sql) => (await pool.query(sql)).rows, close: () => pool.end() };
      },
    };
  }
  const target = join(mkdtempSync(join(tmpdir(), 'cp-restore-')), 'data');
  return {
    target,
    async open() {
      const db = await createPglite(target);
      return { query: queryOf(db), close: () => db.close() };
    },
  };
}

/** An age key pair made for the test (age-keygen, from Debian's age package). */
export function ageKeyPair(dir: string) {
  const identity = join(dir, `age-${randomBytes(3).toString('hex')}.key`);
  execFileSync('age-keygen', ['-o', identity], { stdio: 'ignore' });
  const recipient = /public key: (age1\w+)/i.exec(readFileSync(identity, 'utf8'))![1]!;
  return { identity, recipient };
}

/**
 * A throw-away GnuPG home with one key pair (Debian's gnupg), for `gpg --recipient` backups. `close`
 * stops the agent that gpg started for it.
 */
export function gpgKeyring(dir: string) {
  const home = mkdtempSync(join(dir, 'gpg-'));
  const recipient = `drill-${randomBytes(3).toString('hex')}@clockpilot.invalid`;
  const gpg = (...args: string[]) =>
    execFileSync('gpg', ['--batch', '--quiet', ...args], {
      env: { ...process.env, GNUPGHOME: home },
      stdio: 'ignore',
    });
  gpg('--passphrase', '', '--quick-gen-key', recipient, 'default', 'default', 'never');
  return {
    home,
    recipient,
    close: () =>
      execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: home } }),
  };
}
