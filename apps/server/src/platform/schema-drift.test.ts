import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/helpers';
import type { Database } from './db';

/**
 * The Drizzle definitions are written by hand next to hand-written SQL migrations; this keeps the two
 * honest. Every pgTable exported from a `*.tables.ts` file (and the audit table) must match the
 * migrated database column by column. New modules' tables are picked up without editing this file.
 */
const SRC = fileURLToPath(new URL('..', import.meta.url));

function tableFiles(): string[] {
  const found = (readdirSync(SRC, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.tables.ts'))
    .map((f) => join(SRC, f));
  return [...found, join(SRC, 'platform/audit.ts')].sort();
}

async function definedTables(): Promise<Array<[string, PgTable]>> {
  const tables: Array<[string, PgTable]> = [];
  for (const file of tableFiles()) {
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      if (!is(value, PgTable)) continue;
      const { name, schema } = getTableConfig(value);
      tables.push([`${schema ?? 'public'}.${name}`, value]);
    }
  }
  return tables;
}

let database: Database;
beforeAll(async () => {
  ({ database } = await testDatabase());
});
afterAll(() => database.close());

describe('Drizzle tables vs migrated database', () => {
  it('has every column of every table with the same name and nullability', async () => {
    const tables = await definedTables();
    expect(tables.map(([name]) => name)).toContain('public.audit_events');

    const rows = await database.withSession((s) =>
      s.query<{ table_schema: string; table_name: string; column_name: string; is_nullable: 'YES' | 'NO' }>(
        `select table_schema, table_name, column_name, is_nullable
           from information_schema.columns
          where table_schema not in ('pg_catalog', 'information_schema')`,
      ),
    );
    const actual = new Map(
      rows.map((r) => [`${r.table_schema}.${r.table_name}.${r.column_name}`, r.is_nullable]),
    );

    const problems: string[] = [];
    for (const [qualified, table] of tables) {
      const { columns } = getTableConfig(table);
      if (!rows.some((r) => `${r.table_schema}.${r.table_name}` === qualified)) {
        problems.push(`${qualified}: table missing in the migrations`);
        continue;
      }
      for (const column of columns) {
        const nullable = actual.get(`${qualified}.${column.name}`);
        if (nullable === undefined)
          problems.push(`${qualified}.${column.name}: column missing in the migrations`);
        else if ((nullable === 'NO') !== column.notNull)
          problems.push(
            `${qualified}.${column.name}: Drizzle says ${column.notNull ? 'not null' : 'nullable'}, the database says ${nullable === 'NO' ? 'not null' : 'nullable'}`,
          );
      }
    }
    expect(problems).toEqual([]);
  });
});
