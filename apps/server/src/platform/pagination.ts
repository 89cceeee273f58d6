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

/**
 * Whether a cursor's key is the text PostgreSQL prints for its type, so a forged key is the cursor's
 * 400 rather than a failed cast. A timestamp must also be a real date (no 30 February).
 */
const keyOf: Record<SortKey['type'], (k: string) => boolean> = {
  text: () => true,
  numeric: (k) => /^-?\d{1,40}(\.\d{1,40})?$/.test(k),
  timestamptz: (k) => {
    const m =
      /^(\d{4})-(\d{2})-(\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?([+-]\d{2})(:\d{2})?$/.exec(k);
    if (!m) return false;
    const iso = `${m[1]}-${m[2]}-${m[3]}T00:00:00Z`;
    return !Number.isNaN(Date.parse(iso)) && new Date(iso).toISOString().startsWith(iso.slice(0, 10));
  },
};

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
    if (c.s !== opts.sort || c.d !== opts.dir || !keyOf[type](c.k)) throw badCursor();
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
