/**
 * Backup and restore of the time benchmarks' year (~1,044,000 time entries of 500 people, see
 * seedYearOfEntries) on real PostgreSQL, through the same code as `clockpilot backup create` and
 * `clockpilot backup restore`: pg_dump | gzip to a file, then verify + psql into an empty database.
 * Prints time, size and throughput and writes bench/results/backup.json.
 *
 *   npm run bench -- backup            (or: npx tsx bench/backup.ts)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackup } from '../apps/server/src/platform/backup';
import { restoreBackup } from '../apps/server/src/platform/backup-restore';
import { createPostgres } from '../apps/server/src/platform/db';
import { adminQuery, createAccounts, dbUrl, recreateDatabase, seedYearOfEntries } from './time-common';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 500);
const DB = 'clockpilot_bench_backup';
const COPY = 'clockpilot_bench_backup_restored';

await recreateDatabase(DB);
await createAccounts(DB, [{ username: 'bench_admin', role: 'admin', timeZone: 'UTC' }]);
const seeded = await seedYearOfEntries(dbUrl(DB), PEOPLE);
const { rows: sizeRows } = await adminQuery(`select pg_database_size('${DB}')::bigint as b`);
const dbMiB = Number(sizeRows[0].b) / 2 ** 20;
console.log(
  `seed: ${seeded.entries} entries in ${seeded.seconds.toFixed(1)} s; database ${dbMiB.toFixed(0)} MiB`,
);

const dir = await mkdtemp(join(tmpdir(), 'clockpilot-bench-backup-'));
const database = createPostgres(dbUrl(DB), { database: { poolSize: 2, sslmode: 'disable' } } as never);
let t0 = performance.now();
const made = await createBackup(database, { dir, retentionDays: 30 });
const backupS = (performance.now() - t0) / 1000;
await database.close();
const fileMiB = made.bytes / 2 ** 20;
console.log(`backup: ${backupS.toFixed(1)} s, ${fileMiB.toFixed(1)} MiB (gzip of pg_dump's plain SQL)`);

await recreateDatabase(COPY);
t0 = performance.now();
await restoreBackup({
  file: made.file,
  settings: {},
  target: dbUrl(COPY),
  live: { url: dbUrl(DB), dataDir: dir },
});
const restoreS = (performance.now() - t0) / 1000;
const { rows } = await adminQuery('select count(*)::int as n from time_entries', dbUrl(COPY));
console.log(`restore: ${restoreS.toFixed(1)} s into an empty database (verify + psql in one transaction)`);
if (rows[0].n !== seeded.entries)
  throw new Error(`restored ${rows[0].n} entries, expected ${seeded.entries}`);

const figures = {
  at: new Date().toISOString(),
  machine: `${cpus().length} cores, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
  entries: seeded.entries,
  databaseMiB: Math.round(dbMiB),
  backupSeconds: Number(backupS.toFixed(1)),
  backupMiB: Number(fileMiB.toFixed(1)),
  backupMiBPerSecond: Number((dbMiB / backupS).toFixed(1)),
  restoreSeconds: Number(restoreS.toFixed(1)),
};
await writeFile(join(import.meta.dirname, 'results', 'backup.json'), `${JSON.stringify(figures, null, 2)}\n`);
console.log(JSON.stringify(figures));
await adminQuery(`drop database if exists ${COPY} with (force)`);
await adminQuery(`drop database if exists ${DB} with (force)`);
await rm(dir, { recursive: true, force: true });
