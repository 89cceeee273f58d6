import { addDays, WORKING_DAYS, workingDaysOf } from './planning.weeks';

export type TimeOffSpan = { startDate: string; endDate: string; dayFraction: number };

/**
 * Capacity of people over a run of weeks: a person's weekly capacity pro rata over the working days
 * (Monday to Friday) left after holidays and time off. Overlapping time off never takes more than the
 * whole day. The weeks' days and holidays are worked out once, so a large company costs one
 * multiplication per person and week unless the person has time off.
 */
export function capacityCalendar(mondays: readonly string[], holidays: ReadonlySet<string>) {
  const days = mondays.map((m) => workingDaysOf(m).filter((d) => !holidays.has(d)));
  const first = mondays[0] ?? '';
  const last = mondays.length > 0 ? addDays(mondays.at(-1)!, 4) : '';
  return {
    /** Capacity per week, aligned with `mondays`. */
    of(weeklyCapacity: number, timeOff: readonly TimeOffSpan[] = []): number[] {
      const relevant = timeOff.filter((t) => t.endDate >= first && t.startDate <= last);
      return days.map((open) => {
        let left = open.length;
        if (relevant.length > 0) {
          for (const day of open) {
            let off = 0;
            for (const t of relevant) if (t.startDate <= day && day <= t.endDate) off += t.dayFraction;
            left -= Math.min(1, off);
          }
        }
        return Math.round(((weeklyCapacity * left) / WORKING_DAYS) * 100) / 100;
      });
    },
  };
}

/** Capacity in the single week starting on `monday`. */
export function weekCapacity(
  weeklyCapacity: number,
  monday: string,
  holidays: ReadonlySet<string>,
  timeOff: readonly TimeOffSpan[],
): number {
  return capacityCalendar([monday], holidays).of(weeklyCapacity, timeOff)[0]!;
}
