/** `7 h 05 min`; negative balances get a minus sign. */
export function hoursMinutes(seconds: number): string {
  const sign = seconds < 0 ? '−' : '';
  const total = Math.round(Math.abs(seconds) / 60);
  const h = Math.floor(total / 60);
  const m = total % 60;
  return `${sign}${h} h ${String(m).padStart(2, '0')} min`;
}

/** `7:05` — compact, for grids. */
export function hm(seconds: number): string {
  const sign = seconds < 0 ? '−' : '';
  const total = Math.round(Math.abs(seconds) / 60);
  return `${sign}${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** `07:05:09` — the running timer. */
export function clockFace(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Spoken form for screen readers: `7 hours 5 minutes`. */
export function spokenDuration(seconds: number): string {
  const total = Math.floor(Math.max(0, seconds) / 60);
  const h = Math.floor(total / 60);
  const m = total % 60;
  return `${h} hour${h === 1 ? '' : 's'} ${m} minute${m === 1 ? '' : 's'}`;
}

export function timeOfDay(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone, hour: '2-digit', minute: '2-digit' }).format(
    new Date(iso),
  );
}

export function longDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(undefined, {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function shortDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', weekday: 'short', day: 'numeric' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

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
