import type { TImportRowError } from '@clockpilot/contracts';
import { DateTime } from 'luxon';
import type { z } from 'zod';
import { type Cell, type ColumnMap, cellDate, cellText, Uncalculated } from '../../../platform/tabular';
import { mondayOfIsoWeek } from '../planning.weeks';

type Kind = 'text' | 'lower' | 'number' | 'boolean' | 'date' | 'week';

/** How each field's cells are read; fields not listed are text. */
const KINDS: Record<string, Kind> = {
  email: 'lower',
  status: 'lower',
  deliverableStatus: 'lower',
  weeklyHours: 'number',
  weeklyCapacity: 'number',
  budgetHours: 'number',
  hours: 'number',
  active: 'boolean',
  billable: 'boolean',
  tentative: 'boolean',
  deliverableStartDate: 'date',
  deliverableDueDate: 'date',
  week: 'week',
};

// With the words Excel writes TRUE and FALSE in when it runs in German, French, Spanish, Italian,
// Portuguese and Dutch (a CSV saved there carries them as text).
const TRUE = new Set(
  'true yes y 1 x active ja oui si sí wahr vrai verdadero vero verdadeiro waar'.split(' '),
);
const FALSE = new Set('false no n 0 inactive nein non falsch faux falso onwaar'.split(' '));

type Read = { ok: true; value: unknown } | { ok: false; message: string };

// Day 0 of the 1900 and 1904 date systems, as the .xlsx reader gives a serial date.
const EPOCHS = [Date.UTC(1899, 11, 30), Date.UTC(1904, 0, 1)];

/**
 * Hours typed as a time or a duration (7:30, 40:00): Excel keeps them as a fraction of a day, which
 * comes as a date in the week after its epoch. Null for any other date.
 */
function hoursOfTime(d: Date): number | null {
  for (const epoch of EPOCHS) {
    const hours = (d.getTime() - epoch) / 3_600_000;
    if (hours >= 0 && hours <= 168) return hours;
  }
  return null;
}

function read(kind: Kind, cell: Cell, dateFormat: string | undefined): Read {
  const text = cellText(cell);
  switch (kind) {
    case 'text':
      return { ok: true, value: text };
    case 'lower':
      return { ok: true, value: text.toLowerCase() };
    case 'number': {
      if (typeof cell === 'number') return { ok: true, value: cell };
      const hours = cell instanceof Date ? hoursOfTime(cell) : null;
      if (hours !== null) return { ok: true, value: hours };
      // One separator before three digits groups thousands in one locale and is a decimal in another.
      if (/^-?[1-9]\d{0,2}[.,]\d{3}$/.test(text))
        return {
          ok: false,
          message: `May be ${Number(text.replace(/[.,]/, ''))} or ${Number(text.replace(',', '.'))}; write it without a thousands separator`,
        };
      // A decimal comma (32,5) as European spreadsheets write it; thousands separators are refused.
      const n = /^-?\d+([.,]\d+)?$/.test(text) ? Number(text.replace(',', '.')) : Number.NaN;
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: 'Not a number' };
    }
    case 'boolean': {
      if (typeof cell === 'boolean') return { ok: true, value: cell };
      const t = text.toLowerCase();
      if (TRUE.has(t)) return { ok: true, value: true };
      if (FALSE.has(t)) return { ok: true, value: false };
      return { ok: false, message: 'Not yes or no' };
    }
    case 'date': {
      const d = cellDate(cell, dateFormat);
      return d
        ? { ok: true, value: d }
        : { ok: false, message: `Not a date (yyyy-MM-dd${dateFormat ? ` or ${dateFormat}` : ''})` };
    }
    case 'week': {
      if (/^\d{4}-W\d{2}$/i.test(text)) {
        const week = text.toUpperCase();
        return mondayOfIsoWeek(week)
          ? { ok: true, value: week }
          : { ok: false, message: `${week.slice(0, 4)} has no week ${Number(week.slice(6))}` };
      }
      const d = cellDate(cell, dateFormat);
      if (!d) return { ok: false, message: 'Not an ISO week (2026-W05) or a date in it' };
      return { ok: true, value: DateTime.fromISO(d, { zone: 'utc' }).toFormat("kkkk-'W'WW") };
    }
  }
}

/** A cell no field takes, as the value and message of its error; null for any other. */
function refused(cell: Cell): { value: string; message: string } | null {
  // Read as empty, it would silently leave the field out of the row.
  if (cell instanceof Uncalculated)
    return {
      value: `=${cell.formula}`,
      message:
        'A formula with no saved result: open the file in a spreadsheet program and save it, or paste the values',
    };
  // PostgreSQL text cannot hold U+0000; a CSV can, and so can an .xlsx as `&#0;`.
  if (typeof cell === 'string' && cell.includes('\u0000'))
    return {
      value: cellText(cell).replaceAll('\u0000', '\ufffd'),
      message: 'Holds a NUL character, which text cannot hold',
    };
  return null;
}

/** A data row turned into the kind's typed row, or the problems of its cells (by column header). */
export function convertRow<S extends z.ZodType>(
  schema: S,
  columns: readonly ColumnMap[],
  raw: { row: number; cells: Cell[] },
  dateFormat: string | undefined,
): { data: z.output<S> } | { errors: TImportRowError[] } {
  const errors: TImportRowError[] = [];
  const input: Record<string, unknown> = {};
  for (const c of columns) {
    if (!c.field) continue;
    const cell = raw.cells[c.column] ?? null;
    const bad = refused(cell);
    if (bad) {
      errors.push({ row: raw.row, column: c.header, ...bad });
      continue;
    }
    if (cell === null || cellText(cell) === '') continue;
    const r = read(KINDS[c.field] ?? 'text', cell, dateFormat);
    if (r.ok) input[c.field] = r.value;
    else errors.push({ row: raw.row, column: c.header, value: cellText(cell), message: r.message });
  }
  if (errors.length) return { errors };
  const parsed = schema.safeParse(input);
  if (parsed.success) return { data: parsed.data };
  return {
    errors: parsed.error.issues.map((issue) => {
      const field = String(issue.path[0] ?? '');
      const value = input[field];
      return {
        row: raw.row,
        column: columns.find((c) => c.field === field)?.header ?? field ?? null,
        value: value === undefined ? null : String(value),
        message: value === undefined && issue.code === 'invalid_type' ? 'Required' : issue.message,
      };
    }),
  };
}
