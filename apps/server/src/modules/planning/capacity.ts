import { WORKING_DAYS, workingDaysOf } from './planning.weeks';

export type TimeOffSpan = { startDate: string; endDate: string; dayFraction: number };

/**
 * Hours a person can be planned in the week starting on `monday`: the weekly capacity pro rata over the
 * working days (Monday to Friday) left after holidays and time off. Overlapping time off never takes
 * more than the whole day.
 */
export function weekCapacity(
  weeklyCapacity: number,
  monday: string,
  holidays: ReadonlySet<string>,
  timeOff: readonly TimeOffSpan[],
): number {
  let left = 0;
  for (const day of workingDaysOf(monday)) {
    if (holidays.has(day)) continue;
    let off = 0;
    for (const t of timeOff) if (t.startDate <= day && day <= t.endDate) off += t.dayFraction;
    left += Math.max(0, 1 - off);
  }
  return Math.round(((weeklyCapacity * left) / WORKING_DAYS) * 100) / 100;
}
