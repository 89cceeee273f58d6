import { addDays, fromWall, toWall } from './calendar';

/**
 * Where time sits on the calendar week view: a column per local day and 24 wall-clock hours down it.
 * The axis is the wall clock, as on a paper calendar: on the spring DST day the hour the clocks skip is
 * an empty band, on the autumn day the repeated hour shares its pixels. A pointer position turns back
 * into an instant in the person's zone (a skipped wall time moves forward, a repeated one takes the
 * first occurrence, as `fromWall` does).
 */

export const HOUR_PX = 48;
export const DAY_PX = 24 * HOUR_PX;
/** Drags land on quarter hours. */
export const SNAP_MINUTES = 15;

/** Wall-clock minutes since local midnight of `day` (0–1440), clamped to that day. */
export function minutesInDay(iso: string, day: string, timeZone: string): number {
  const wall = toWall(iso, timeZone);
  const date = wall.slice(0, 10);
  if (date < day) return 0;
  if (date > day) return 24 * 60;
  return Number(wall.slice(11, 13)) * 60 + Number(wall.slice(14, 16)) + Number(wall.slice(17, 19)) / 60;
}

export const pxOf = (minutes: number) => (minutes / 60) * HOUR_PX;

/** Pixel offset → minutes of the day, snapped to the quarter hour and kept inside the day. */
export function minutesAt(px: number): number {
  const minutes = Math.round((px / HOUR_PX) * (60 / SNAP_MINUTES)) * SNAP_MINUTES;
  return Math.min(24 * 60, Math.max(0, minutes));
}

/** The instant at `minutes` of the wall clock on `day` (1440 is the next midnight). */
export function instantAt(day: string, minutes: number, timeZone: string): string {
  const whole = Math.round(minutes);
  const date = whole >= 24 * 60 ? addDays(day, 1) : day;
  const m = whole % (24 * 60);
  const hh = String(Math.floor(m / 60)).padStart(2, '0');
  const mm = String(m % 60).padStart(2, '0');
  return fromWall(`${date} ${hh}:${mm}:00`, timeZone);
}

/** A span's box in the column of `day`, or null when it does not touch that day. */
export function boxOf(
  span: { startedAt: string; endedAt: string | null },
  day: string,
  timeZone: string,
  now: string,
): { top: number; height: number; startsHere: boolean; endsHere: boolean } | null {
  const end = span.endedAt ?? now;
  const dayStart = fromWall(`${day} 00:00:00`, timeZone);
  const dayEnd = fromWall(`${addDays(day, 1)} 00:00:00`, timeZone);
  if (Date.parse(end) <= Date.parse(dayStart) || Date.parse(span.startedAt) >= Date.parse(dayEnd))
    return null;
  const from = minutesInDay(span.startedAt, day, timeZone);
  const to = Date.parse(end) >= Date.parse(dayEnd) ? 24 * 60 : minutesInDay(end, day, timeZone);
  return {
    top: pxOf(from),
    // The autumn day's repeated hour can make a real span look shorter; never less than a sliver.
    height: Math.max(pxOf(to - from), 4),
    startsHere: Date.parse(span.startedAt) >= Date.parse(dayStart),
    endsHere: Date.parse(end) <= Date.parse(dayEnd),
  };
}

/**
 * An entry moved by a drag: its start goes to the wall-clock place the pointer left it at (another
 * day and `deltaPx` further down), its length in real time stays.
 */
export function moved(
  entry: { startedAt: string; endedAt: string },
  toDay: string,
  startPx: number,
  timeZone: string,
): { startedAt: string; endedAt: string } {
  const start = instantAt(toDay, minutesAt(startPx), timeZone);
  const length = Date.parse(entry.endedAt) - Date.parse(entry.startedAt);
  return { startedAt: start, endedAt: new Date(Date.parse(start) + length).toISOString() };
}

/** A span dragged out on an empty part of a day, at least one snap long. */
export function drawn(day: string, fromPx: number, toPx: number, timeZone: string) {
  const a = Math.min(minutesAt(Math.min(fromPx, toPx)), 24 * 60 - SNAP_MINUTES);
  const b = Math.max(minutesAt(Math.max(fromPx, toPx)), a + SNAP_MINUTES);
  return { startedAt: instantAt(day, a, timeZone), endedAt: instantAt(day, Math.min(b, 24 * 60), timeZone) };
}
