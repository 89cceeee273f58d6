import { DateTime } from 'luxon';
import { type Cell, Uncalculated } from './types';

/** A field a caller reads from a table, and the header spellings that mean it. */
export type FieldSpec = { key: string; synonyms: readonly string[]; required?: boolean };

/** How one column of the file was mapped: to a field, or to nothing (ignored). */
export type ColumnMap = { column: number; header: string; field: string | null };

/** Headers compare without case, accents, spaces or punctuation: "E-mail" = "email" = "EMAIL ". */
export const normaliseHeader = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/**
 * Maps each header to the field whose key or synonym it matches; `override` (header as written in
 * the file → field key, or null to ignore the column) wins over the guess. A field is taken by the
 * first column that matches it.
 */
export function mapColumns(
  headers: readonly string[],
  fields: readonly FieldSpec[],
  override: Readonly<Record<string, string | null>> = {},
): ColumnMap[] {
  const lookup = new Map<string, string>();
  for (const f of fields)
    for (const name of [f.key, ...f.synonyms])
      if (!lookup.has(normaliseHeader(name))) lookup.set(normaliseHeader(name), f.key);
  const taken = new Set<string>();
  return headers.map((header, column) => {
    const chosen = Object.hasOwn(override, header)
      ? override[header]!
      : (lookup.get(normaliseHeader(header)) ?? null);
    const field = chosen !== null && !taken.has(chosen) ? chosen : null;
    if (field) taken.add(field);
    return { column, header, field };
  });
}

/** A cell as trimmed text; dates as ISO dates, empty and uncalculated formulas as ''. */
export function cellText(c: Cell): string {
  if (c === null || c instanceof Uncalculated) return '';
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  return String(c).trim();
}

/**
 * A cell as an ISO date (yyyy-MM-dd): a real date cell, ISO text, or text in the declared format
 * (luxon tokens, e.g. `dd/MM/yyyy`). Null when it is none of those.
 */
export function cellDate(c: Cell, format?: string): string | null {
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? null : c.toISOString().slice(0, 10);
  const text = cellText(c);
  if (!text) return null;
  // A time may follow after a space (as Python, pandas and SQL write it); an offset keeps the date
  // as written rather than the UTC date it would make.
  const iso = /^\d{4}-\d{2}-\d{2}/.test(text)
    ? DateTime.fromISO(text.replace(/^(\d{4}-\d{2}-\d{2}) (?=\d)/, '$1T'), { zone: 'utc', setZone: true })
    : null;
  const parsed = iso?.isValid ? iso : format ? DateTime.fromFormat(text, format, { zone: 'utc' }) : null;
  return parsed?.isValid ? parsed.toISODate() : null;
}
