import { numberText } from '../../app/format';
import { t } from '../../app/i18n';
import { shiftWeek } from '../time/calendar';

/** `count` consecutive ISO weeks starting at `from`. */
export function weekRange(from: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => shiftWeek(from, i));
}

export type ParsedHours = { ok: true; hours: number } | { ok: false; message: string };

/**
 * What a planner types into a week cell: empty or 0 clears it; `7.5`, `7,5` (decimal comma, as Excel
 * writes it in much of Europe) and `7:30` are all seven and a half hours. The server takes quarter
 * hours up to a whole week, so anything else is refused here with the same rule.
 */
export function parseHours(text: string): ParsedHours {
  const typed = text.trim();
  if (typed === '') return { ok: true, hours: 0 };
  let hours: number;
  const hm = /^(\d{1,3}):([0-5]\d)$/.exec(typed);
  if (hm) hours = Number(hm[1]) + Number(hm[2]) / 60;
  else if (/^\d{1,3}([.,]\d+)?$/.test(typed)) hours = Number(typed.replace(',', '.'));
  else return { ok: false, message: t('planning.hoursInvalid', { example: numberText(7.5) }) };
  if (hours > 168) return { ok: false, message: t('planning.hoursTooMany') };
  if (!Number.isInteger(Math.round(hours * 1e6) / 1e6 / 0.25))
    return { ok: false, message: t('planning.hoursQuarter', { step: numberText(0.25) }) };
  return { ok: true, hours };
}

/** A week's hours as shown in a cell: nothing for none, no trailing zeros, the locale's decimal mark. */
export const formatHours = (h: number | undefined): string => (h ? numberText(h) : '');

/** Cells copied from a spreadsheet: rows split on line breaks, cells on tabs (Excel's clipboard text). */
export function parsePaste(text: string): string[][] {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  return lines.map((l) => l.split('\t'));
}

/** The items a PUT needs to turn `before` into `after`: only the weeks that change; 0 clears a week. */
export function changedWeeks(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): { week: string; hours: number }[] {
  const items: { week: string; hours: number }[] = [];
  for (const [week, hours] of after) if ((before.get(week) ?? 0) !== hours) items.push({ week, hours });
  for (const week of before.keys()) if (!after.has(week)) items.push({ week, hours: 0 });
  return items;
}

/** Sums the hours of several rows week by week, aligned with `weeks`. */
export function weekTotals(rows: readonly ReadonlyMap<string, number>[], weeks: readonly string[]): number[] {
  return weeks.map((w) => rows.reduce((sum, r) => sum + (r.get(w) ?? 0), 0));
}
