import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers';
import { peopleRepo } from './directory.repo';
import { people, teams } from './directory.tables';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { MODULES: 'identity,directory' } });
});
afterAll(() => t.close());

type Sort = 'name' | 'email' | 'department' | 'createdAt';
const keyOf = (p: { name: string; email: string | null; department: string | null }, sort: Sort) =>
  sort === 'name' ? p.name.toLowerCase() : sort === 'createdAt' ? '' : (p[sort] ?? '').toLowerCase();

it('walks any list, in any sort and page size, as exactly the rows of one unpaged query', async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      // Few distinct values, so most keys tie; one insert per run, so every createdAt ties too.
      fc.array(
        fc.record({
          name: fc.constantFrom('a', 'A', 'ab', 'b', 'B'),
          email: fc.option(fc.constantFrom('x@e.test', 'X@e.test', 'y@e.test')),
          department: fc.option(fc.constantFrom('ops', 'Ops', 'dev')),
        }),
        { maxLength: 25 },
      ),
      fc.integer({ min: 1, max: 7 }),
      fc.constantFrom<Sort>('name', 'email', 'department', 'createdAt'),
      fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
      async (rows, limit, sort, dir) => {
        const [team] = await t.ctx.db
          .insert(teams)
          .values({ name: `run ${run++}` })
          .returning();
        if (rows.length > 0)
          await t.ctx.db.insert(people).values(rows.map((r) => ({ ...r, teamId: team!.id })));
        const filter = { teamId: team!.id };

        const walked: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages <= rows.length; pages++) {
          const page = await peopleRepo.page(t.ctx.db, filter, { limit, cursor, sort, dir });
          expect(page.items.length).toBeLessThanOrEqual(limit);
          walked.push(...page.items.map((p) => p.id));
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }

        // The expected order, computed here: key, then id, both in the requested direction.
        const all = await peopleRepo.list(t.ctx.db, filter);
        const sign = dir === 'asc' ? 1 : -1;
        const expected = [...all]
          .sort((a, b) => {
            const ka = keyOf(a, sort);
            const kb = keyOf(b, sort);
            return sign * (ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : 1);
          })
          .map((p) => p.id);
        expect(walked).toEqual(expected);
      },
    ),
    { numRuns: 40 },
  );
}, 120_000);
