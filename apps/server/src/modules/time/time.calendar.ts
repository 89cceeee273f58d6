import type {
  TRoundingMode,
  TTimeSettingsBody,
  TTimesheetDay,
  TTimesheetTotals,
} from '@clockpilot/contracts';
import { DateTime } from 'luxon';
import { AppError } from '../../platform/errors';

/**
 * Calendar arithmetic of the time module, free of I/O: ISO weeks and days in a person's zone, splitting
 * entries at local midnight, rounding and overtime. All durations are real elapsed seconds, computed
 * from UTC instants, so a 22:00–06:00 shift over the autumn DST change counts 9 hours.
 */

export type Interval = { start: Date; end: Date };
/** An entry's times; `end` null while open. */
export type EntryTimes = { start: Date; end: Date | null; breaks: Array<{ start: Date; end: Date | null }> };

const seconds = (ms: number) => Math.round(ms / 1000);

/** The ISO week (`2026-W48`) an instant falls in, in a zone. */
export function isoWeekOf(at: Date, zone: string): string {
  return localDayAt(at, zone).week;
}

/** The local calendar day (`2026-11-23`) of an instant in a zone. */
export function localDate(at: Date, zone: string): string {
  return localDayAt(at, zone).date;
}

/**
 * A pure function of strings, answered from memory after the first call. Zone rules do not change
 * while the process runs, and parsing a date in a zone costs luxon 80–250 µs: most of the clock
 * status's CPU before this. Bounded: emptied when full.
 */
function remembered<A extends string[], R>(fn: (...args: A) => R): (...args: A) => R {
  const answers = new Map<string, R>();
  return (...args) => {
    const key = args.join(' ');
    let answer = answers.get(key);
    if (answer === undefined) {
      if (answers.size >= 20_000) answers.clear();
      answer = fn(...args);
      answers.set(key, answer);
    }
    return answer;
  };
}

const localDayStartMs = remembered((date: string, zone: string) =>
  DateTime.fromISO(date, { zone }).startOf('day').toMillis(),
);

/** The first instant of a local day in a zone. */
export function startOfLocalDay(date: string, zone: string): Date {
  return new Date(localDayStartMs(date, zone));
}

type LocalDay = { date: string; week: string; startMs: number; endMs: number };
/** The last local day asked for in each zone: instants of the same day need no luxon at all. */
const lastDayOfZone = new Map<string, LocalDay>();

function localDayAt(at: Date, zone: string): LocalDay {
  const ms = at.getTime();
  const last = lastDayOfZone.get(zone);
  if (last && ms >= last.startMs && ms < last.endMs) return last;
  const local = DateTime.fromJSDate(at, { zone });
  const date = local.toISODate()!;
  const day = {
    date,
    week: local.toFormat("kkkk-'W'WW"),
    startMs: localDayStartMs(date, zone),
    endMs: localDayStartMs(nextDay(date), zone),
  };
  if (lastDayOfZone.size >= 1_000) lastDayOfZone.clear();
  lastDayOfZone.set(zone, day);
  return day;
}

/** An ISO week's bounds and days in a zone, or null for a week its year lacks. */
const isoWeek = remembered((week: string, zone: string) => {
  const start = DateTime.fromISO(week, { zone }).startOf('day');
  if (!start.isValid || start.toFormat("kkkk-'W'WW") !== week) return null;
  const days = Array.from({ length: 7 }, (_, i) => start.plus({ days: i }).toISODate()!);
  return { startMs: start.toMillis(), endMs: start.plus({ weeks: 1 }).toMillis(), days };
});

/** Monday 00:00 to the next Monday 00:00 of an ISO week in a zone; 422 for a week the year lacks. */
export function weekBounds(week: string, zone: string, path = 'week'): Interval & { days: string[] } {
  const found = isoWeek(week, zone);
  if (!found) {
    throw new AppError('unprocessable', `${week} is not a week of the ISO calendar`, {
      errors: [{ path, message: 'No such ISO week' }],
    });
  }
  // Fresh objects: callers own what they get.
  return { start: new Date(found.startMs), end: new Date(found.endMs), days: [...found.days] };
}

/** The part of `a` inside `b`, in seconds. */
export function overlapSeconds(a: Interval, b: Interval): number {
  const ms = Math.min(a.end.getTime(), b.end.getTime()) - Math.max(a.start.getTime(), b.start.getTime());
  return ms > 0 ? seconds(ms) : 0;
}

/** Worked and break seconds of an entry inside a window; open ends count up to `now`. */
export function entrySecondsWithin(entry: EntryTimes, window: Interval, now: Date) {
  const span = { start: entry.start, end: entry.end ?? now };
  const elapsed = overlapSeconds(span, window);
  const breakSeconds = entry.breaks.reduce(
    (sum, b) => sum + overlapSeconds({ start: b.start, end: b.end ?? now }, window),
    0,
  );
  return { worked: Math.max(0, elapsed - breakSeconds), breaks: breakSeconds };
}

/** Applies a rounding rule to a duration. */
export function roundSeconds(value: number, mode: TRoundingMode, minutes: number): number {
  if (mode === 'none') return value;
  const step = minutes * 60;
  const fn = mode === 'nearest' ? Math.round : mode === 'up' ? Math.ceil : Math.floor;
  return fn(value / step) * step;
}

export type OvertimeRules = TTimeSettingsBody['overtime'];

/**
 * Overtime of a week: per day beyond the daily threshold, plus the week's time beyond the contracted
 * target that was not already counted as daily overtime (nothing is paid twice).
 */
export function overtimeOf(dailyWorked: number[], targetSeconds: number, rules: OvertimeRules) {
  const threshold = rules.dailyThresholdMinutes === null ? null : rules.dailyThresholdMinutes * 60;
  const daily = dailyWorked.map((w) => (threshold === null ? 0 : Math.max(0, w - threshold)));
  const dailyTotal = daily.reduce((a, b) => a + b, 0);
  const worked = dailyWorked.reduce((a, b) => a + b, 0);
  const weekly = rules.weekly ? Math.max(0, worked - dailyTotal - targetSeconds) : 0;
  return { daily, dailyTotal, weekly, total: dailyTotal + weekly };
}

/** Daily rows and totals of one ISO week from the entries that touch it. */
export function summariseWeek(
  entries: EntryTimes[],
  week: { days: string[] },
  zone: string,
  opts: { now: Date; targetSeconds: number; overtime: OvertimeRules },
): { days: TTimesheetDay[]; totals: TTimesheetTotals } {
  const days = week.days.map((date) => ({
    date,
    window: { start: startOfLocalDay(date, zone), end: startOfLocalDay(nextDay(date), zone) },
    workedSeconds: 0,
    breakSeconds: 0,
    entryCount: 0,
  }));
  for (const entry of entries) {
    for (const day of days) {
      const { worked, breaks } = entrySecondsWithin(entry, day.window, opts.now);
      const end = entry.end ?? opts.now;
      if (end > day.window.start && entry.start < day.window.end) {
        day.workedSeconds += worked;
        day.breakSeconds += breaks;
        day.entryCount += 1;
      }
    }
  }
  const ot = overtimeOf(
    days.map((d) => d.workedSeconds),
    opts.targetSeconds,
    opts.overtime,
  );
  const worked = days.reduce((a, d) => a + d.workedSeconds, 0);
  return {
    days: days.map(({ window: _w, ...d }, i) => ({ ...d, overtimeSeconds: ot.daily[i]! })),
    totals: {
      workedSeconds: worked,
      breakSeconds: days.reduce((a, d) => a + d.breakSeconds, 0),
      targetSeconds: opts.targetSeconds,
      dailyOvertimeSeconds: ot.dailyTotal,
      weeklyOvertimeSeconds: ot.weekly,
      overtimeSeconds: ot.total,
      balanceSeconds: worked - opts.targetSeconds,
    },
  };
}

export const nextDay = remembered(
  (date: string): string => DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!,
);
