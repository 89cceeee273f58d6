/**
 * Wall-clock and ISO-week arithmetic in a named IANA zone, with Intl only (no zone database shipped).
 * A "wall" time is `YYYY-MM-DD HH:mm:ss` as a clock in that zone shows it.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
function parts(utcMs: number, timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(utcMs))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

/** Milliseconds the zone is ahead of UTC at that instant. */
function offsetAt(utcMs: number, timeZone: string): number {
  const p = parts(utcMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `2026-11-23T08:00:00.000Z` in Europe/Berlin → `2026-11-23 09:00:00`. */
export function toWall(iso: string | Date, timeZone: string): string {
  const p = parts(typeof iso === 'string' ? Date.parse(iso) : iso.getTime(), timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/**
 * `2026-11-23 09:00` in Europe/Berlin → `2026-11-23T08:00:00.000Z`. A wall time skipped by a DST
 * change moves forward by the gap; a repeated one takes the first occurrence.
 */
export function fromWall(wall: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(wall);
  if (!m) throw new Error(`Not a wall time: ${wall}`);
  const [, y, mo, d, h, mi, s] = m;
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  // The offsets in force a day either side cover both sides of any DST change.
  const before = asUtc - offsetAt(asUtc - 86_400_000, timeZone);
  const after = asUtc - offsetAt(asUtc + 86_400_000, timeZone);
  const wanted = `${wall.slice(0, 10)} ${wall.slice(11, 16)}`;
  const matches = [before, after].filter((t) => toWall(new Date(t), timeZone).startsWith(wanted));
  return new Date(matches.length > 0 ? Math.min(...matches) : before).toISOString();
}

/**
 * A wall time as an instant: `known` when it shows that same wall time, else `fromWall`. In the hour an
 * autumn DST change repeats, a wall time alone cannot say which of its two occurrences is meant.
 */
export function wallInstant(wall: string, timeZone: string, known?: string | null): string {
  const minute = (w: string) => w.replace('T', ' ').slice(0, 16);
  if (known && minute(toWall(known, timeZone)) === minute(wall)) return new Date(known).toISOString();
  return fromWall(wall, timeZone);
}

/** The calendar day (`YYYY-MM-DD`) of an instant in a zone. */
export function dayOf(iso: string | Date, timeZone: string): string {
  return toWall(iso, timeZone).slice(0, 10);
}

function dateUtc(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}
const dayString = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

export function addDays(day: string, n: number): string {
  const d = dateUtc(day);
  d.setUTCDate(d.getUTCDate() + n);
  return dayString(d);
}

/** The ISO week (`2026-W48`) a calendar day belongs to. */
export function isoWeekOf(day: string): string {
  const d = dateUtc(day);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
  d.setUTCDate(d.getUTCDate() - weekday + 3); // Thursday of the same week decides the year
  const year = d.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((d.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
  return `${year}-W${pad(week)}`;
}

/** The Monday of an ISO week. */
export function weekStart(isoWeek: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(isoWeek);
  if (!m) throw new Error(`Not an ISO week: ${isoWeek}`);
  const jan4 = new Date(Date.UTC(Number(m[1]), 0, 4));
  const monday1 = new Date(jan4);
  monday1.setUTCDate(jan4.getUTCDate() - ((jan4.getUTCDay() + 6) % 7));
  monday1.setUTCDate(monday1.getUTCDate() + (Number(m[2]) - 1) * 7);
  return dayString(monday1);
}

/** The seven days, Monday first, of an ISO week. */
export function weekDays(isoWeek: string): string[] {
  const start = weekStart(isoWeek);
  return Array.from({ length: 7 }, (_, i) => addDays(start, i));
}

export function shiftWeek(isoWeek: string, n: number): string {
  return isoWeekOf(addDays(weekStart(isoWeek), n * 7));
}

/** Today in a zone. */
export function today(timeZone: string, now: Date = new Date()): string {
  return dayOf(now, timeZone);
}

const HOUR = 3_600_000;

/**
 * Wall times a new entry of a day starts with: right after the day's last entry (09:00 on an empty
 * day), as long as the copied entry, else one hour after earlier work or a full day's 8 h.
 */
export function newEntryTimes(
  day: string,
  dayEntries: Array<{ startedAt: string; endedAt: string | null }>,
  timeZone: string,
  copy?: { startedAt: string; endedAt: string | null },
): { startedAt: string; endedAt: string } {
  const ends = dayEntries.flatMap((e) => (e.endedAt ? [Date.parse(e.endedAt)] : []));
  const start = ends.length > 0 ? Math.max(...ends) : Date.parse(fromWall(`${day} 09:00:00`, timeZone));
  const length =
    copy?.endedAt !== undefined && copy.endedAt !== null
      ? Date.parse(copy.endedAt) - Date.parse(copy.startedAt)
      : ends.length > 0
        ? HOUR
        : 8 * HOUR;
  return {
    startedAt: toWall(new Date(start), timeZone),
    endedAt: toWall(new Date(start + length), timeZone),
  };
}
