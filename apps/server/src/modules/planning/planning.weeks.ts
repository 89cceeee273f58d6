import { AppError } from '../../platform/errors';

/**
 * ISO weeks as planning stores them: by the date of their Monday (`2026-01-26`), and as the API
 * shows them (`2026-W05`). Plain UTC date arithmetic: a planning week has no time zone.
 */

const DAY = 86_400_000;
const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const toIso = (d: Date) => d.toISOString().slice(0, 10);

/** The Monday of the ISO week of a date (`YYYY-MM-DD`). */
export function mondayOf(isoDate: string): string {
  const d = toDate(isoDate);
  const dow = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return toIso(new Date(d.getTime() - dow * DAY));
}

export function addDays(isoDate: string, days: number): string {
  return toIso(new Date(toDate(isoDate).getTime() + days * DAY));
}

export const addWeeks = (monday: string, weeks: number) => addDays(monday, weeks * 7);

/** Whole weeks from one Monday to another (negative when `to` is earlier). */
export const weeksBetween = (from: string, to: string) =>
  Math.round((toDate(to).getTime() - toDate(from).getTime()) / (7 * DAY));

/** `f` answering each distinct argument once (callers ask for thousands, of a few dozen distinct ones). */
export function once<K, V>(f: (k: K) => V): (k: K) => V {
  const made = new Map<K, V>();
  return (k) => {
    let v = made.get(k);
    if (v === undefined) {
      v = f(k);
      made.set(k, v);
    }
    return v;
  };
}

/** Weeks from `origin` to a Monday. */
export const weeksFrom = (origin: string) => once((monday: string) => weeksBetween(origin, monday));

/** A Monday to count weeks from (stored images, week lists read as numbers). */
export const WEEK_ORIGIN = '2000-01-03';

/** The Monday `n` weeks from `origin`. */
export const mondaysFrom = (origin: string) => once((n: number) => addWeeks(origin, n));

/** `2026-W05` for a Monday (or any day) of that week. */
export function weekKey(isoDate: string): string {
  const monday = toDate(mondayOf(isoDate));
  // The ISO year is the year of the week's Thursday.
  const thursday = new Date(monday.getTime() + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The Monday of `2026-W05`, or null for a week the year does not have (W53 of most years). */
export function mondayOfIsoWeek(week: string): string | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return null;
  const n = Number(m[2]);
  // 4 January is always in week 1.
  const monday = addWeeks(mondayOf(`${m[1]}-01-04`), n - 1);
  return n >= 1 && weekKey(monday) === week ? monday : null;
}

/** The Monday of `2026-W05`; a week the year does not have (W53) is refused at `path`. */
export function mondayOfWeek(week: string, path = 'query.week'): string {
  const monday = mondayOfIsoWeek(week);
  if (monday === null)
    throw new AppError('validation_failed', `${week} is not an ISO week`, {
      errors: [{ path, message: 'No such ISO week' }],
    });
  return monday;
}

/** The Mondays from `from` to `to` (ISO weeks, inclusive), at most `max` of them. */
export function mondaysBetween(from: string, to: string, max = 260): string[] {
  const first = mondayOfWeek(from, 'query.from');
  const last = mondayOfWeek(to, 'query.to');
  const count = weeksBetween(first, last) + 1;
  if (count < 1) {
    throw new AppError('validation_failed', 'The range ends before it starts', {
      errors: [{ path: 'query.to', message: 'Must not be before from' }],
    });
  }
  if (count > max) {
    throw new AppError('validation_failed', `At most ${max} weeks at a time`, {
      errors: [{ path: 'query.to', message: `At most ${max} weeks after from` }],
    });
  }
  return Array.from({ length: count }, (_, i) => addWeeks(first, i));
}

/** Monday to Friday of the week starting on `monday`. */
export const workingDaysOf = (monday: string) => [0, 1, 2, 3, 4].map((i) => addDays(monday, i));
export const WORKING_DAYS = 5;
