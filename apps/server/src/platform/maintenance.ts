import pg from 'pg';
import type { Database } from './db';

/**
 * Maintenance mode while the live database is restored. The restoring process holds a session-level
 * advisory lock on the target database: it lives outside every table the restore replaces, every
 * replica sees it, and it ends by itself if the restoring process dies.
 */
const LOCK_KEYS = [0x436c_6f63, 0x7273_7472] as const;

/** How long a replica trusts its last look; the restorer waits longer than this before starting. */
export const MAINTENANCE_CACHE_MS = 1000;

export const MAINTENANCE_MESSAGE =
  'ClockPilot is in maintenance: a database restore is in progress. Changes are refused until it ends; retry in a few minutes.';

export type Maintenance = { active(): Promise<boolean> };

/** Whether a restore holds the lock; looked up at most once per MAINTENANCE_CACHE_MS. */
export function maintenanceProbe(database: Database): Maintenance {
  // Embedded PGlite belongs to one process: a restore needs the server stopped anyway.
  if (database.driver !== 'postgres') return { active: async () => false };
  let checkedAt = 0;
  let last = false;
  let pending: Promise<boolean> | undefined;
  const look = async () => {
    try {
      const rows = await database.withSession((s) =>
        s.query<{ on: boolean }>(
          `select exists (
             select 1 from pg_locks l join pg_database d on d.oid = l.database
             where l.locktype = 'advisory' and l.granted and l.classid = $1 and l.objid = $2
               and l.objsubid = 2 and d.datname = current_database()) as on`,
          [LOCK_KEYS[0], LOCK_KEYS[1]],
        ),
      );
      last = rows[0]?.on === true;
    } catch {
      // A database that does not answer is the readiness check's business, not maintenance.
    }
    checkedAt = Date.now();
    pending = undefined;
    return last;
  };
  return {
    active() {
      if (Date.now() - checkedAt < MAINTENANCE_CACHE_MS) return Promise.resolve(last);
      pending ??= look();
      return pending;
    },
  };
}

/** Puts every replica on the database at `url` in maintenance until `release()`. */
export async function holdMaintenance(url: string, ssl?: pg.ClientConfig['ssl']) {
  const client = new pg.Client({ connectionString: url, ssl, application_name: 'clockpilot-restore' });
  await client.connect();
  const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [
    LOCK_KEYS[0],
    LOCK_KEYS[1],
  ]);
  if (!rows[0]?.ok) {
    await client.end();
    throw new Error('another restore of this database is in progress');
  }
  // Replicas may trust their last look for MAINTENANCE_CACHE_MS; wait until all of them see it.
  await new Promise((resolve) => setTimeout(resolve, MAINTENANCE_CACHE_MS + 250));
  return {
    async release() {
      await client.query('select pg_advisory_unlock($1, $2)', [LOCK_KEYS[0], LOCK_KEYS[1]]).catch(() => {});
      await client.end();
    },
  };
}
