import {
  type DAMAGE_SEVERITIES,
  type FUELS,
  minorUnitDigits,
  type TBooking,
  type TBookingState,
  type TRANSMISSIONS,
  type TVehicle,
  type VEHICLE_STATUSES,
} from '@clockpilot/contracts/fleet';
import { dateTimeText, numberText } from '../../app/format';
import { type MessageKey, t, tn } from '../../app/i18n';
import { resolveLocale } from '../../app/preferences';

/** Minor units in the currency's major unit: 4550 EUR is 45.5, 8000 JPY is 8000 (a yen has no cents). */
export const majorUnits = (minor: number, currency: string): number =>
  minor / 10 ** minorUnitDigits(currency);

/** A major-unit amount as typed ("45.50") in the minor units every amount is kept in. */
export const minorUnits = (major: number | string, currency: string): number =>
  Math.round(Number(major) * 10 ** minorUnitDigits(currency));

/** An amount in minor units as the renter reads it: "€1,234.50", "¥8,000". */
export function money(minor: number, currency: string): string {
  return new Intl.NumberFormat(resolveLocale(), { style: 'currency', currency }).format(
    majorUnits(minor, currency),
  );
}

/** "1,200 km included", or unlimited when the allowance is 0. */
export const kmAllowance = (km: number): string =>
  km > 0 ? t('fleet.kmIncluded', { km: numberText(km) }) : t('fleet.unlimitedKm');

/** A date and time, short, in `timeZone` (a vehicle's location) or else the browser's zone. */
export const when = (iso: string, timeZone?: string): string => dateTimeText(iso, timeZone);

type Conflict = { kind: 'booking' | 'maintenance'; startAt: string; endAt: string; busyUntil: string };

/**
 * The refusal of a booking whose vehicle was taken meanwhile, in the renter's own time: the server's
 * 409 names what holds the vehicle (`conflict`), and a renter needs its dates, not its id.
 */
export function takenMessage(c: Conflict): string {
  const dates = { from: when(c.startAt), to: when(c.endAt), free: when(c.busyUntil) };
  return t(c.kind === 'maintenance' ? 'fleet.takenMaintenance' : 'fleet.takenBooked', dates);
}

/** "12:05" left on a hold; "0:00" once it has run out. */
export function countdown(untilIso: string, now: number): string {
  const s = Math.max(0, Math.floor((Date.parse(untilIso) - now) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export const STATE_LABEL: Record<TBookingState, MessageKey> = {
  held: 'fleet.state.held',
  confirmed: 'fleet.state.confirmed',
  checked_out: 'fleet.state.checked_out',
  returned: 'fleet.state.returned',
  closed: 'fleet.state.closed',
  cancelled: 'fleet.state.cancelled',
  expired: 'fleet.state.expired',
  no_show: 'fleet.state.no_show',
};

export const TRANSMISSION_LABEL: Record<(typeof TRANSMISSIONS)[number], MessageKey> = {
  manual: 'fleet.transmission.manual',
  automatic: 'fleet.transmission.automatic',
};

export const FUEL_LABEL: Record<(typeof FUELS)[number], MessageKey> = {
  petrol: 'fleet.fuel.petrol',
  diesel: 'fleet.fuel.diesel',
  hybrid: 'fleet.fuel.hybrid',
  electric: 'fleet.fuel.electric',
  lpg: 'fleet.fuel.lpg',
};

/** What holds a vehicle on a calendar or timeline, and its colour. */
export const KIND_COLOR = { booking: 'teal', hold: 'yellow', maintenance: 'orange' } as const;
export const KIND_LABEL: Record<keyof typeof KIND_COLOR, MessageKey> = {
  booking: 'fleet.kind.booking',
  hold: 'fleet.kind.hold',
  maintenance: 'fleet.kind.maintenance',
};

export const VEHICLE_STATUS_LABEL: Record<(typeof VEHICLE_STATUSES)[number], MessageKey> = {
  available: 'fleet.status.available',
  maintenance: 'fleet.status.maintenance',
  retired: 'fleet.status.retired',
};

/** A select's options: each value with its label in the current language. */
export const options = <T extends string>(values: readonly T[], labels: Record<T, MessageKey>) =>
  values.map((value) => ({ value, label: t(labels[value]) }));

/** "SUV · 5 seats · automatic · diesel": what a renter compares vehicles by. */
export const specs = (v: Pick<TVehicle, 'category' | 'seats' | 'transmission' | 'fuel'>): string =>
  [v.category, tn('fleet.seats', v.seats), t(TRANSMISSION_LABEL[v.transmission]), t(FUEL_LABEL[v.fuel])].join(
    ' · ',
  );

export const SEVERITY_LABEL: Record<(typeof DAMAGE_SEVERITIES)[number], MessageKey> = {
  scratch: 'fleet.severity.scratch',
  dent: 'fleet.severity.dent',
  major: 'fleet.severity.major',
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
