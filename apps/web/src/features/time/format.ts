// Durations, days and times are formatted by the app's one layer, in the person's locale and style.
export {
  clockFace,
  duration as hoursMinutes,
  hm,
  longDay,
  shortDay,
  spokenDuration,
  timeOfDay,
} from '../../app/format';

/**
 * A typed duration in seconds: `1:30`, `1.5` or `1,5` (hours), `90m`, `1h 30m`, `2h`; null when it is
 * none of these or not positive. A bare number is hours, as people type them in timesheets.
 */
export function parseDuration(text: string): number | null {
  const s = text.trim().toLowerCase().replace(',', '.');
  let minutes: number | null = null;
  const clock = /^(\d{1,3}):([0-5]\d)$/.exec(s);
  const units = /^(?:(\d+(?:\.\d+)?)\s*h(?:ours?)?)?\s*(?:(\d+)\s*m(?:in)?)?$/.exec(s);
  if (clock) minutes = Number(clock[1]) * 60 + Number(clock[2]);
  else if (/^\d+(?:\.\d+)?$/.test(s)) minutes = Number(s) * 60;
  else if (units && (units[1] || units[2])) minutes = Number(units[1] ?? 0) * 60 + Number(units[2] ?? 0);
  if (minutes === null || !(minutes > 0)) return null;
  return Math.round(minutes) * 60;
}
