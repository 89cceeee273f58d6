import { mkdirSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Config } from '../config/load';
import { withTlsHint } from './tls-errors';

/**
 * What a raw statement (`db.execute<Row>(sql)`) answers on both engines: node-postgres's QueryResult
 * and PGlite's Results both carry `rows`. A higher-kinded result type refers to `this`, hence an interface.
 */
export interface RowsResultHKT extends PgQueryResultHKT {
  readonly type: RowsResult<this['row']>;
}
type RowsResult<R> = { rows: R[] };

/** Drizzle over either engine: repos are written once against this type. */
export type Db = PgDatabase<RowsResultHKT>;
/** What `db.transaction` hands its callback. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** A repo method takes either the database or an open transaction. */
export type DbOrTx = Db | Tx;

export type Driver = 'postgres' | 'pglite';

/** Raw SQL access for the migrator and health checks; everything else goes through Drizzle. */
export type RawSession = {
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
};

export type Database = {
  db: Db;
  driver: Driver;
  /** Runs `fn` on one connection (advisory locks are per connection). */
  withSession<T>(fn: (session: RawSession) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only: one query (or a parameterless script) on any pooled connection, for pg-boss.
   * Unlike `withSession`, a connection whose script failed mid-transaction is discarded, not reused.
   */
  executeSql?(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  ping(): Promise<number>;
  /**
   * PostgreSQL only: the output of `COPY (<query>) TO STDOUT ...` as a stream, on a connection of its
   * own that goes back to the pool when the stream ends, fails or is destroyed.
   */
  copyOut?(copy: string): Promise<Readable>;
  /** PostgreSQL: the connection string (pg_dump reads the same database). */
  url?: string;
  /** Embedded PGlite: its data directory as a tar archive (its own dump format). */
  dumpDataDir?(): Promise<Blob>;
  pool(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
};

/** TLS options of the pool from DB_SSLMODE / DB_SSLROOTCERT (libpq semantics). */
export function sslOptions(config: Config): pg.PoolConfig['ssl'] {
  const { sslmode, sslrootcert } = config.database;
  if (sslmode === 'disable') return undefined;
  if (sslmode === 'require') return { rejectUnauthorized: false };
  const ca = readFileSync(sslrootcert!, 'utf8');
  // verify-ca checks the chain only; verify-full checks the host name too.
  return sslmode === 'verify-ca'
    ? { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined }
    : { ca };
}

export function createPostgres(url: string, config: Config): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: config.database.poolSize,
    ssl: sslOptions(config),
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'clockpilot',
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Nor one checked out between two statements (a transaction, a session, a COPY): pg emits the loss on
  // the client when no query is running, and the next statement fails with it anyway.
  pool.on('connect', (client) => client.on('error', () => {}));
  // A refused TLS handshake names the settings to fix, on every path that opens a connection (pool.query
  // and Drizzle go through pool.connect with a callback, sessions without one).
  const connect = pool.connect.bind(pool) as (cb?: (...args: never[]) => void) => Promise<pg.PoolClient>;
  const hint = (err: Error) => withTlsHint(err, 'DB_SSLMODE / DB_SSLROOTCERT');
  pool.connect = ((cb?: (err: Error | undefined, ...rest: never[]) => void) =>
    cb
      ? connect(((err: Error | undefined, ...rest: never[]) => cb(err && hint(err), ...rest)) as never)
      : connect().catch((err: Error) => Promise.reject(hint(err)))) as typeof pool.connect;
  const db: Db = drizzlePg({ client: pool });
  return {
    db,
    driver: 'postgres',
    url,
    async withSession(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          exec: async (sql) => {
            await client.query(sql);
          },
          query: async (sql, params) => (await client.query(sql, params)).rows,
        });
      } finally {
        client.release();
      }
    },
    executeSql: (text, values) => pool.query(text, values),
    async copyOut(copy) {
      const client = await pool.connect();
      const stream = client.query(copyTo(copy));
      let released = false;
      const release = (err?: Error) => {
        if (released) return;
        released = true;
        // A connection left mid-COPY cannot be reused.
        client.release(err ?? (stream.readableEnded ? undefined : true));
      };
      stream
        .once('end', () => release())
        .once('error', release)
        .once('close', () => release());
      return stream;
    },
    async ping() {
      const started = performance.now();
      await pool.query('select 1');
      return performance.now() - started;
    },
    pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}

/** Embedded PostgreSQL (WASM). `dataDir` undefined keeps it in memory (tests). */
export async function createPglite(dataDir: string | undefined, loadDataDir?: Blob): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({ dataDir, extensions: { btree_gist }, loadDataDir });
  const db: Db = drizzlePglite({ client });
  // PGlite is one connection; serialise sessions so an advisory lock cannot interleave with another.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    db,
    driver: 'pglite',
    withSession(fn) {
      const run = queue.then(() =>
        fn({
          exec: async (sql) => {
            await client.exec(sql);
          },
          query: async (sql, params) => (await client.query(sql, params)).rows as never[],
        }),
      );
      queue = run.catch(() => undefined);
      return run;
    },
    async ping() {
      const started = performance.now();
      await client.query('select 1');
      return performance.now() - started;
    },
    dumpDataDir: () => client.dumpDataDir('none'),
    pool: () => ({ total: 1, idle: 1, waiting: 0 }),
    close: () => client.close(),
  };
}

export function createDatabase(config: Config): Promise<Database> | Database {
  return config.database.url
    ? createPostgres(config.database.url, config)
    : createPglite(config.database.dataDir);
}
