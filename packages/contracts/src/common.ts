import { z } from 'zod';
import './messages';

/** One field-level problem inside a problem+json body. */
export const ZFieldError = z.object({
  path: z.string().describe('Dotted path of the offending field, e.g. `body.email` or `query.limit`'),
  message: z.string(),
  code: z.string().optional(),
});
export type TFieldError = z.infer<typeof ZFieldError>;

/** RFC 9457 problem details, as every error of the API is answered. */
export const ZProblem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string(),
  errors: z.array(ZFieldError).optional(),
});
export type TProblem = z.infer<typeof ZProblem>;

export const ZId = z.uuid();
export const ZIdParams = z.object({ id: ZId });

export const ZIsoDateTime = z.iso.datetime({ offset: true });
export const ZIsoDate = z.iso.date();

/** IANA time zone name, checked against the runtime's zone database. */
export const ZTimeZone = z.string().refine(
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
  cursor: z.string().max(500).optional(),
});
export type TPageQuery = z.infer<typeof ZPageQuery>;

export function ZPage<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable(),
  });
}
export type TPage<T> = { items: T[]; nextCursor: string | null };

export const ZSortDir = z.enum(['asc', 'desc']);
