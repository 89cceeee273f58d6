import { asc, sql } from 'drizzle-orm';
import { boolean, integer, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/helpers';
import type { Database } from './db';
import { insertMany } from './db-bulk';

const probe = pgTable('bulk_insert_probe', {
  id: uuid('id').primaryKey().defaultRandom(),
  seq: integer('seq').notNull(),
  name: text('name').notNull(),
  hours: numeric('hours', { precision: 5, scale: 2, mode: 'number' }).notNull().default(40),
  active: boolean('active').notNull().default(true),
  note: text('note'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  meta: jsonb('meta').$type<{ tags: string[] }>(),
  code: text('code')
    .notNull()
    .$defaultFn(() => 'made-in-js'),
});

describe('insertMany', () => {
  let database: Database;
  beforeAll(async () => {
    ({ database } = await testDatabase());
    await database.db.execute(sql`create table bulk_insert_probe (
      id uuid primary key default gen_random_uuid(), seq int not null, name text not null,
      hours numeric(5,2) not null default 40, active boolean not null default true, note text,
      at timestamptz not null default now(), meta jsonb, code text not null)`);
  });
  afterAll(() => database.close());

  it('answers the rows in the order given, with defaults for the columns a row leaves out', async () => {
    const at = new Date('2026-03-01T08:30:00.000Z');
    // Three shapes interleaved over three batches of 1,000: each row keeps its own values.
    const values = Array.from({ length: 2500 }, (_, seq) =>
      seq % 3 === 0
        ? { seq, name: `n${seq}` }
        : seq % 3 === 1
          ? {
              seq,
              name: `n${seq}`,
              hours: 7.25,
              active: false,
              note: null,
              at,
              meta: { tags: ['a'] },
              code: 'x',
            }
          : { seq, name: `o'"\\${seq}`, note: 'ünï' },
    );
    const rows = await insertMany(database.db, probe, values);
    expect(rows.map((r) => r.seq)).toEqual(values.map((v) => v.seq));
    expect(rows[0]).toMatchObject({ name: 'n0', hours: 40, active: true, note: null });
    expect(rows[0]!.at).toBeInstanceOf(Date);
    expect(rows[1]).toMatchObject({ name: 'n1', hours: 7.25, active: false, note: null, at });
    expect(rows[2]).toMatchObject({ name: `o'"\\2`, hours: 40, note: 'ünï' });
    // A JS-side default is applied as Drizzle's insert would; JSON is stored as an object, not a string.
    expect(rows[0]).toMatchObject({ code: 'made-in-js', meta: null });
    expect(rows[1]).toMatchObject({ code: 'x', meta: { tags: ['a'] } });
    const kinds = await database.db.execute<{ kind: string }>(
      sql`select jsonb_typeof(meta) as kind from bulk_insert_probe where seq = 1`,
    );
    expect(kinds.rows[0]?.kind).toBe('object');
    const stored = await database.db.select().from(probe).orderBy(asc(probe.seq));
    expect(stored).toEqual(rows);
  });

  it('writes nothing for no rows', async () => {
    expect(await insertMany(database.db, probe, [])).toEqual([]);
  });
});
