import type { TTimesheetStatus } from '@clockpilot/contracts';
import { DateTime } from 'luxon';
import { AppError } from '../../platform/errors';

/**
 * The sentences of the time module's refusals, in the person's zone and in words: "Overlaps the entry
 * 09:00–12:30 on Mon 30 Nov", never an id or a UTC instant. The body keeps the machine-readable fields
 * beside them (`conflict`, `lockedBefore`, `week`) and a `reason` naming the refusal, from which the web
 * app words them in the person's language.
 */

const LOCALE = 'en-GB';
const at = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).setLocale(LOCALE);
const dayOf = (d: DateTime) => d.toFormat('ccc d LLL');

/** `09:00–12:30 on Mon 30 Nov`; across midnight `Mon 30 Nov 22:00 – Tue 1 Dec 06:00`; open `from 09:00 on Mon 30 Nov`. */
export function spanText(start: Date, end: Date | null, zone: string): string {
  const s = at(start, zone);
  if (!end) return `from ${s.toFormat('HH:mm')} on ${dayOf(s)}`;
  const e = at(end, zone);
  // An entry ending at midnight still reads as one day: `18:00–00:00 on Mon 30 Nov`.
  const sameDay = s.hasSame(e.minus({ milliseconds: 1 }), 'day');
  return sameDay
    ? `${s.toFormat('HH:mm')}–${e.toFormat('HH:mm')} on ${dayOf(s)}`
    : `${dayOf(s)} ${s.toFormat('HH:mm')} – ${dayOf(e)} ${e.toFormat('HH:mm')}`;
}

/** `Mon 30 Nov 2026` for a local calendar day (`2026-11-30`). */
export function dayText(day: string): string {
  return DateTime.fromISO(day).setLocale(LOCALE).toFormat('ccc d LLL yyyy');
}

/** `the week of 23–29 Nov 2026` for `2026-W48`. */
export function weekText(week: string): string {
  const monday = DateTime.fromISO(week).setLocale(LOCALE);
  const sunday = monday.plus({ days: 6 });
  const from = monday.hasSame(sunday, 'month') ? monday.toFormat('d') : monday.toFormat('d LLL');
  return `the week of ${from}–${sunday.toFormat('d LLL yyyy')}`;
}

const STATUS_WORDS: Record<TTimesheetStatus, string> = {
  draft: 'still a draft',
  submitted: 'submitted for approval',
  approved: 'approved',
  rejected: 'rejected',
};

/** `The week of 23–29 Nov 2026 is approved and cannot be changed`. */
function weekRefusal(week: string, status: TTimesheetStatus, verb = 'changed'): string {
  return `The ${weekText(week).slice(4)} is ${STATUS_WORDS[status]} and cannot be ${verb}`;
}

/**
 * 409 for a week whose status refuses the write; `step` is the timesheet step refused (submit, approve,
 * …), none for a change of the week's time.
 */
export function weekClosedError(
  week: string,
  status: TTimesheetStatus,
  step?: { action: string; verb: string },
): AppError {
  return new AppError('conflict', weekRefusal(week, status, step?.verb), {
    reason: 'week_closed',
    extra: { week, weekStatus: status, ...(step ? { action: step.action } : {}) },
  });
}

/** 423 for time before the effective lock. */
export function lockedError(lockedBefore: string): AppError {
  return new AppError('locked', `Time before ${dayText(lockedBefore)} is locked`, {
    reason: 'period_locked',
    extra: { lockedBefore },
  });
}
