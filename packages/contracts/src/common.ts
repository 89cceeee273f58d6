import { z } from 'zod';
import './messages';

/**
 * Text as PostgreSQL can store it: every character but U+0000, which a `text` column refuses (SQLSTATE
 * 22021). Every string of every contract starts from this one; lengths and trimming chain on as usual.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is exactly the character refused
export const ZString = z.string().regex(/^[^\u0000]*$/, 'Must not contain the character U+0000');

/** One field-level problem inside a problem+json body. */
export const ZFieldError = z.object({
  path: ZString.describe('Dotted path of the offending field, e.g. `body.email` or `query.limit`'),
  message: ZString,
  code: ZString.optional().describe('Why the field was refused, stable for clients that word it themselves'),
});
export type TFieldError = z.infer<typeof ZFieldError>;

/** RFC 9457 problem details, as every error of the API is answered. */
export const ZProblem = z.object({
  type: ZString,
  title: ZString,
  status: z.number().int(),
  detail: ZString.optional(),
  instance: ZString.optional(),
  code: ZString,
  reason: ZString.optional().describe(
    'Why, finer than `code` and as stable (e.g. `entry_overlap`, `period_locked`), with the fields it names beside it; clients word it in their own language and show `detail`, always English, for a reason they do not know',
  ),
  errors: z.array(ZFieldError).optional(),
});
export type TProblem = z.infer<typeof ZProblem>;

/**
 * An id as the database writes it, lower case: one sent in upper case names the same row, and every
 * map, set or other service keyed by the id (the simulator's models, the live subscriptions) must see
 * the one spelling.
 */
export const ZId = z.uuid().overwrite((id) => id.toLowerCase());
export const ZIdParams = z.object({ id: ZId });

/**
 * The years a date, week or instant may name. PostgreSQL stores far more, but a time zone shift at either
 * end of year 9999 or before year 1 overflows (SQLSTATE 22008), and no working time lies outside these.
 */
export const YEARS = { min: 1900, max: 9998 } as const;
const YEARS_MESSAGE = `The year must be between ${YEARS.min} and ${YEARS.max}`;
const inYears = (value: string) => {
  // Not a date at all: the format's own message says so, not this one.
  if (!/^\d{4}-/.test(value)) return true;
  const year = Number(value.slice(0, 4));
  return year >= YEARS.min && year <= YEARS.max;
};

export const ZIsoDateTime = z.iso
  .datetime({ offset: true })
  .refine(inYears, YEARS_MESSAGE)
  .describe(`An instant with its offset, years ${YEARS.min}–${YEARS.max}`);
export const ZIsoDate = z.iso
  .date()
  .refine(inYears, YEARS_MESSAGE)
  .describe(`A calendar date, years ${YEARS.min}–${YEARS.max}`);
/** An ISO week such as `2026-W05`; the server refuses a W53 in a year that has none. */
export const ZIsoWeek = ZString.regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'An ISO week such as 2026-W48')
  .refine(inYears, YEARS_MESSAGE)
  .describe(`An ISO week such as 2026-W05, years ${YEARS.min}–${YEARS.max}`);

/** IANA time zone name, checked against the runtime's zone database. */
export const ZTimeZone = ZString.refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'Unknown IANA time zone' },
);

/** Query parameters of every cursor-paginated list. */
export const ZPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: ZString.max(500).optional(),
});
export type TPageQuery = z.infer<typeof ZPageQuery>;

export function ZPage<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: ZString.nullable(),
  });
}
export type TPage<T> = { items: T[]; nextCursor: string | null };

export const ZSortDir = z.enum(['asc', 'desc']);
