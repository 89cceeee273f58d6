import { t, tn } from './i18n';
import { getPreferences, type Preferences, resolveLocale } from './preferences';

/**
 * The one place dates, times, numbers and durations become text: in the person's locale, with their
 * clock (24 h / 12 h) and duration style (Profile → Language and formats). Pages never call
 * `toLocaleString` themselves. Days (`YYYY-MM-DD`) are calendar days and formatted as such (UTC),
 * instants in the zone given or the browser's.
 */

const cache = new Map<string, Intl.DateTimeFormat>();
function dateFormat(
  options: Intl.DateTimeFormatOptions,
  hourCycle: Preferences['hourCycle'] = getPreferences().hourCycle,
): Intl.DateTimeFormat {
  const locale = resolveLocale();
  const withClock =
    (options.hour !== undefined || options.timeStyle !== undefined) && hourCycle !== 'auto'
      ? { ...options, hourCycle }
      : options;
  const key = `${locale}|${JSON.stringify(withClock)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, withClock);
    cache.set(key, f);
  }
  return f;
}

function dayDate(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}
const instant = (at: string | Date) => (typeof at === 'string' ? new Date(at) : at);

/**
 * `09:05` or `9:05 AM` (`seconds`: `09:05:07`); `hourCycle` overrides the person's clock, to show what
 * a choice looks like.
 */
export function timeOfDay(
  at: string | Date,
  timeZone?: string,
  hourCycle?: Preferences['hourCycle'],
  seconds = false,
): string {
  const options: Intl.DateTimeFormatOptions = { timeZone, hour: '2-digit', minute: '2-digit' };
  if (seconds) options.second = '2-digit';
  return dateFormat(options, hourCycle).format(instant(at));
}

/** Whether the person's clock counts 12 hours (AM/PM): their choice, else their locale's habit. */
export function uses12Hours(): boolean {
  const cycle = dateFormat({ hour: 'numeric' }).resolvedOptions().hourCycle;
  return cycle === 'h11' || cycle === 'h12';
}

/** `Monday, 23 November` / `Montag, 23. November`. */
export function longDay(day: string): string {
  return dateFormat({ timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(dayDate(day));
}

/** `Mon 23` / `Mo., 23.`. */
export function shortDay(day: string): string {
  return dateFormat({ timeZone: 'UTC', weekday: 'short', day: 'numeric' }).format(dayDate(day));
}

/** `23 Nov` / `23. Nov.`. */
export function dayMonth(day: string): string {
  return dateFormat({ timeZone: 'UTC', day: 'numeric', month: 'short' }).format(dayDate(day));
}

/** A calendar day: `23 Nov 2026` (medium) or `23 November 2026` (long). */
export function dateText(day: string, style: 'medium' | 'long' = 'medium'): string {
  return dateFormat({ timeZone: 'UTC', dateStyle: style }).format(dayDate(day));
}

/** The calendar day of an instant: `23 Nov 2026`. */
export function instantDate(at: string | Date, timeZone?: string): string {
  return dateFormat({ timeZone, dateStyle: 'medium' }).format(instant(at));
}

/** An instant with its time: `23 Nov 2026, 09:05`; `seconds` adds them (audit trails). */
export function dateTimeText(at: string | Date, timeZone?: string, seconds = false): string {
  return dateFormat({ timeZone, dateStyle: 'medium', timeStyle: seconds ? 'medium' : 'short' }).format(
    instant(at),
  );
}

/** The locale's decimal mark, for number inputs: `.` or `,`. */
export function decimalSeparator(): string {
  return (
    new Intl.NumberFormat(resolveLocale()).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.'
  );
}

/** A decimal number in the locale: `7.5` / `7,5`. */
export function numberText(n: number, maximumFractionDigits = 2): string {
  return new Intl.NumberFormat(resolveLocale(), { maximumFractionDigits }).format(n);
}

function split(seconds: number) {
  const total = Math.round(Math.abs(seconds) / 60);
  return { sign: seconds < 0 ? '−' : '', h: Math.floor(total / 60), m: total % 60 };
}

/** `7:05` — compact, for grids and cells, whatever the style. */
export function hm(seconds: number): string {
  const { sign, h, m } = split(seconds);
  return `${sign}${h}:${String(m).padStart(2, '0')}`;
}

/** A duration in the person's style: `7:05` or `7 h 05 min` (`7 Std. 05 Min.`); negatives signed. */
export function duration(seconds: number): string {
  if (getPreferences().durationStyle === 'clock') return hm(seconds);
  const { sign, h, m } = split(seconds);
  return `${sign}${t('format.hoursMinutes', { h, m: String(m).padStart(2, '0') })}`;
}

/** `07:05:09` — the running timer. */
export function clockFace(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** For screen readers: `7 hours 5 minutes`. */
export function spokenDuration(seconds: number): string {
  const total = Math.floor(Math.max(0, seconds) / 60);
  const h = Math.floor(total / 60);
  const m = total % 60;
  return `${tn('format.hours', h)} ${tn('format.minutes', m)}`;
}

/** A share (0–1) as a percentage in the locale: `88%` / `88 %`; `digits` decimals at most. */
export function percentText(share: number, digits = 0): string {
  return new Intl.NumberFormat(resolveLocale(), { style: 'percent', maximumFractionDigits: digits }).format(
    share,
  );
}
