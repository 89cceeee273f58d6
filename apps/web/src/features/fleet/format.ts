import type { TBooking, TBookingState } from '@clockpilot/contracts/fleet';
import { dateTimeText } from '../../app/format';
import { resolveLocale } from '../../app/preferences';

/** An amount in minor units as the renter reads it: "€1,234.50". */
export function money(minor: number, currency: string): string {
  return new Intl.NumberFormat(resolveLocale(), { style: 'currency', currency }).format(minor / 100);
}

/** A date and time, short, in `timeZone` (a vehicle's location) or else the browser's zone. */
export const when = (iso: string, timeZone?: string): string => dateTimeText(iso, timeZone);

type Conflict = { kind: 'booking' | 'maintenance'; startAt: string; endAt: string; busyUntil: string };

/**
 * The refusal of a booking whose vehicle was taken meanwhile, in the renter's own time: the server's
 * 409 names what holds the vehicle (`conflict`), and a renter needs its dates, not its id.
 */
export function takenMessage(c: Conflict): string {
  const what = c.kind === 'maintenance' ? 'in maintenance' : 'already booked';
  return `This vehicle is ${what} from ${when(c.startAt)} to ${when(c.endAt)} and free again from ${when(c.busyUntil)}.`;
}

/** "12:05" left on a hold; "0:00" once it has run out. */
export function countdown(untilIso: string, now: number): string {
  const s = Math.max(0, Math.floor((Date.parse(untilIso) - now) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export const STATE_LABEL: Record<TBookingState, string> = {
  held: 'Held',
  confirmed: 'Confirmed',
  checked_out: 'Picked up',
  returned: 'Returned',
  closed: 'Closed',
  cancelled: 'Cancelled',
  expired: 'Expired',
  no_show: 'No-show',
};

export const STATE_COLOR: Record<TBookingState, string> = {
  held: 'yellow',
  confirmed: 'teal',
  checked_out: 'blue',
  returned: 'indigo',
  closed: 'gray',
  cancelled: 'red',
  expired: 'gray',
  no_show: 'red',
};

/**
 * Where a booking's payment stands, as the server reports it (never guessed on the client):
 * - `pay`: held, nothing asked of the card yet;
 * - `card`: held, the provider waits for the renter's card (test card, 3-D Secure);
 * - `scheduled`: confirmed, the card is authorised shortly before pick-up;
 * - `authorised`, `captured`: the card holds or paid the amount;
 * - `none`: the booking ended without money changing hands.
 */
export type PaymentStep = 'pay' | 'card' | 'scheduled' | 'authorised' | 'captured' | 'none';

export function paymentStep(b: Pick<TBooking, 'state' | 'payment'>): PaymentStep {
  const p = b.payment;
  if (p.capturedMinor > 0) return 'captured';
  if (b.state === 'held') return p.intentId ? 'card' : 'pay';
  if (p.authorizedMinor > 0) return 'authorised';
  if (b.state === 'confirmed') return 'scheduled';
  return 'none';
}

/** Whether the renter may still cancel (the server decides the fee). */
export const cancellable = (b: Pick<TBooking, 'state'>) => b.state === 'held' || b.state === 'confirmed';

/** `datetime-local` input value (local time) for an instant, and back. */
export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export const fromLocalInput = (v: string): string | null => {
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

/** Where an item sits on a timeline of `days` days from `from`: first day index and length, clipped. */
export function dayBars(i: { startAt: string; busyUntil: string }, from: Date, days: number) {
  const DAY = 86_400_000;
  const start = Math.max(0, Math.floor((Date.parse(i.startAt) - from.getTime()) / DAY));
  const end = Math.min(days, Math.ceil((Date.parse(i.busyUntil) - from.getTime()) / DAY));
  return { startDay: Math.min(start, days - 1), days: Math.max(1, end - start) };
}
