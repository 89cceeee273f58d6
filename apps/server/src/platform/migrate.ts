import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, RawSession } from './db';

export type Migration = { name: string; sql: string; checksum: string };
export type MigrationStatus = { applied: string[]; pending: string[]; changed: string[] };

const MIGRATE_LOCK = 7_391_001;

/** The checked-in migrations folder, from source (src/platform) or from the bundle (dist). */
export function migrationsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '../../migrations'), join(here, '../migrations')];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`migrations folder not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return {
        name: file.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

async function ensureTable(s: RawSession) {
  await s.exec(`create table if not exists schema_migrations (
    name text primary key,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`);
}

async function statusIn(s: RawSession, migrations: Migration[]): Promise<MigrationStatus> {
  const rows = await s.query<{ name: string; checksum: string }>(
    'select name, checksum from schema_migrations',
  );
  const applied = new Map(rows.map((r) => [r.name, r.checksum]));
  return {
    applied: [...applied.keys()].sort(),
    pending: migrations.filter((m) => !applied.has(m.name)).map((m) => m.name),
    changed: migrations
      .filter((m) => applied.has(m.name) && applied.get(m.name) !== m.checksum)
      .map((m) => m.name),
  };
}

export async function migrationStatus(
  database: Database,
  migrations = loadMigrations(),
): Promise<MigrationStatus> {
  return database.withSession(async (s) => {
    const [{ exists } = { exists: false }] = await s.query<{ exists: boolean }>(
      "select to_regclass('schema_migrations') is not null as exists",
    );
    if (!exists) return { applied: [], pending: migrations.map((m) => m.name), changed: [] };
    return statusIn(s, migrations);
  });
}

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory lock so that
 * replicas starting together migrate once. Refuses to run when an applied file was edited.
 */
export async function migrate(
  database: Database,
  opts: { migrations?: Migration[]; onApplied?: (name: string) => void } = {},
): Promise<string[]> {
  const migrations = opts.migrations ?? loadMigrations();
  return database.withSession(async (s) => {
    await s.query('select pg_advisory_lock($1)', [MIGRATE_LOCK]);
    try {
      await ensureTable(s);
      const status = await statusIn(s, migrations);
      if (status.changed.length > 0) {
        throw new Error(`applied migrations were edited afterwards: ${status.changed.join(', ')}`);
      }
      const done: string[] = [];
      for (const m of migrations.filter((x) => status.pending.includes(x.name))) {
        const name = m.name.replace(/'/g, "''");
        await s
          .exec(
            `begin;\n${m.sql}\n;insert into schema_migrations (name, checksum) values ('${name}', '${m.checksum}');\ncommit;`,
          )
          .catch(async (err: Error) => {
            await s.exec('rollback').catch(() => undefined);
            throw new Error(`migration ${m.name} failed: ${err.message}`);
          });
        done.push(m.name);
        opts.onApplied?.(m.name);
      }
      return done;
    } finally {
      await s.query('select pg_advisory_unlock($1)', [MIGRATE_LOCK]);
    }
  });
}

/**
 * Rollback steps: `migrations/rollback/NNNN_<name>.sql` belongs to migration NNNN_<name> and brings its
 * data back into the shape a release from before it reads (the schema stays: expand, then contract).
 */
export function loadRollbackSteps(dir = join(migrationsDir(), 'rollback')): Migration[] {
  return existsSync(dir) ? loadMigrations(dir) : [];
}

/**
 * Before a release whose newest migration is `newest` (its name or its four-digit number) takes over:
 * runs the rollback steps of the applied migrations after it, newest first, in one transaction under
 * the migrations' lock. Answers the steps run; each must be safe to run again.
 */
export async function prepareRollback(
  database: Database,
  newest: string,
  steps = loadRollbackSteps(),
): Promise<string[]> {
  const number = /^\d{4}/.exec(newest)?.[0];
  if (!number) throw new Error(`not a migration: ${newest}`);
  return database.withSession(async (s) => {
    await s.query('select pg_advisory_lock($1)', [MIGRATE_LOCK]);
    try {
      await ensureTable(s);
      const applied = new Set((await statusIn(s, [])).applied);
      const due = steps.filter((m) => m.name.slice(0, 4) > number && applied.has(m.name)).reverse();
      if (due.length === 0) return [];
      await s
        .exec(`begin;\n${due.map((m) => `${m.sql}\n;`).join('\n')}\ncommit;`)
        .catch(async (err: Error) => {
          await s.exec('rollback').catch(() => undefined);
          throw new Error(`rollback steps ${due.map((m) => m.name).join(', ')} failed: ${err.message}`);
        });
      return due.map((m) => m.name);
    } finally {
      await s.query('select pg_advisory_unlock($1)', [MIGRATE_LOCK]);
    }
  });
}
