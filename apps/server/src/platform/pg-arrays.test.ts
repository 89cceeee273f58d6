import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/helpers';
import type { Database } from './db';
import { pgList, pgTexts } from './pg-arrays';

describe('array literals', () => {
  let database: Database;
  beforeAll(async () => {
    ({ database } = await testDatabase());
  });
  afterAll(() => database.close());

  it('reads back every text as written, quotes, backslashes, braces, blanks and the word NULL included', async () => {
    const texts = ['plain', 'a "quoted" word', 'back\\slash', '{x,y}', ' spaced ', 'NULL', '', 'ünï → ✓'];
    const res = await database.db.execute<{ t: string }>(sql`select unnest(${pgTexts(texts)}::text[]) as t`);
    expect(res.rows.map((r) => r.t)).toEqual(texts);
  });

  it('reads back numbers (floats as JavaScript prints them) and nulls', async () => {
    const xs = [0, 1.5, 0.1 + 0.2, 1e-7, 1e21, null, 42];
    const res = await database.db.execute<{ x: number | null }>(
      sql`select unnest(${pgList(xs)}::float8[]) as x`,
    );
    expect(res.rows.map((r) => (r.x === null ? null : Number(r.x)))).toEqual(xs);
  });

  it('writes a number that is not finite as NULL, as JSON did, never as NaN or Infinity', async () => {
    const res = await database.db.execute<{ x: number | null }>(
      sql`select unnest(${pgList([Number.NaN, 2, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])}::float8[]) as x`,
    );
    expect(res.rows.map((r) => (r.x === null ? null : Number(r.x)))).toEqual([null, 2, null, null]);
  });
});
