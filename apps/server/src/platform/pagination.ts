import type { TPage } from '@clockpilot/contracts';
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from './errors';

/**
 * A sortable field of a list: a non-null SQL expression (wrap nullable columns in coalesce) and the
 * type its text form is cast back to when a cursor is read.
 */
export type SortKey = { expr: SQL | AnyColumn; type: 'text' | 'timestamptz' | 'numeric' };

const ZCursor = z.object({ s: z.string(), d: z.enum(['asc', 'desc']), k: z.string(), id: z.uuid() });
type Cursor = z.infer<typeof ZCursor>;

const badCursor = () =>
  new AppError('validation_failed', 'The cursor does not belong to this list or sort order', {
    errors: [{ path: 'query.cursor', message: 'Invalid cursor' }],
  });

function decode(cursor: string): Cursor {
  try {
    return ZCursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw badCursor();
  }
}

/**
 * Keyset pagination over (sort key, id): the id breaks ties, so a page boundary inside a run of equal
 * keys neither repeats nor skips rows, and rows inserted meanwhile do not shift later pages. The
 * cursor is opaque to clients and carries the exact key as PostgreSQL printed it (no precision lost).
 *
 * Select `key` as `_k`, add `where` to the filters, order by `orderBy`, fetch `limit + 1` rows and
 * hand them to `page`.
 */
export function keyset<S extends string>(opts: {
  sorts: Record<S, SortKey>;
  sort: S;
  dir: 'asc' | 'desc';
  id: SQL | AnyColumn;
  cursor?: string;
  limit: number;
}) {
  const { expr, type } = opts.sorts[opts.sort];
  const dir = sql.raw(opts.dir);
  let where: SQL | undefined;
  if (opts.cursor) {
    const c = decode(opts.cursor);
    if (c.s !== opts.sort || c.d !== opts.dir) throw badCursor();
    const op = sql.raw(opts.dir === 'asc' ? '>' : '<');
    where = sql`(${expr}, ${opts.id}) ${op} (cast(${c.k} as ${sql.raw(type)}), cast(${c.id} as uuid))`;
  }
  return {
    key: sql<string>`(${expr})::text`,
    where,
    orderBy: [sql`${expr} ${dir}`, sql`${opts.id} ${dir}`],
    fetch: opts.limit + 1,
    page<T extends { id: string }>(rows: Array<T & { _k: string }>): TPage<T> {
      const items = rows.slice(0, opts.limit).map((row) => {
        const item: T & { _k?: string } = { ...row };
        delete item._k;
        return item;
      });
      const last = rows[opts.limit - 1];
      const nextCursor =
        rows.length > opts.limit && last
          ? Buffer.from(
              JSON.stringify({ s: opts.sort, d: opts.dir, k: last._k, id: last.id } satisfies Cursor),
            ).toString('base64url')
          : null;
      return { items, nextCursor };
    },
  };
}
