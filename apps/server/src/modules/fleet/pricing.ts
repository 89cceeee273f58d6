import type { DAMAGE_SEVERITIES, FLEET_EXTRAS, TQuote } from '@clockpilot/contracts';
import type { ChargesRecord, HandoverRecord } from './fleet.tables';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Per day, in the vehicle's currency's minor units. */
export const EXTRA_PRICES: Record<(typeof FLEET_EXTRAS)[number], number> = {
  child_seat: 500,
  gps: 400,
  additional_driver: 800,
  full_insurance: 1500,
};
/** New damage at return, as a share of the deposit; the total is capped at the deposit. */
export const DAMAGE_SHARE: Record<(typeof DAMAGE_SEVERITIES)[number], number> = {
  scratch: 0.1,
  dent: 0.3,
  major: 1,
};

type Rates = { currency: string; dailyRateMinor: number; depositMinor: number; kmPerDay: number };

/** Started 24-hour periods, at least one. */
export const rentalDays = (start: Date, end: Date) =>
  Math.max(1, Math.ceil((end.getTime() - start.getTime()) / DAY_MS));

export function quote(
  v: Rates,
  start: Date,
  end: Date,
  extras: readonly (keyof typeof EXTRA_PRICES)[],
): TQuote {
  const days = rentalDays(start, end);
  const rentalMinor = days * v.dailyRateMinor;
  const extrasMinor = days * extras.reduce((sum, e) => sum + EXTRA_PRICES[e], 0);
  const totalMinor = rentalMinor + extrasMinor;
  return {
    currency: v.currency,
    days,
    rentalMinor,
    extrasMinor,
    totalMinor,
    depositMinor: v.depositMinor,
    authorizeMinor: totalMinor + v.depositMinor,
    kmAllowance: v.kmPerDay * days,
  };
}

type Booked = {
  endAt: Date;
  days: number;
  rentalMinor: number;
  extrasMinor: number;
  dailyRateMinor: number;
  depositMinor: number;
  kmPerDay: number;
  extraKmMinor: number;
  authorizedMinor: number;
};

/**
 * The final bill at return: rental and extras as quoted, kilometres above the allowance (none when
 * the vehicle's allowance is 0, i.e. unlimited), a late fee per started hour after the grace period
 * (a quarter day's rate each, never more than a day's rate per started late day) and new damage.
 */
export function finalCharges(
  b: Booked,
  out: HandoverRecord,
  back: HandoverRecord,
  returnedAt: Date,
  graceMinutes: number,
): ChargesRecord {
  const driven = Math.max(0, back.odometerKm - out.odometerKm);
  const allowance = b.kmPerDay * b.days;
  const extraKmMinor = b.kmPerDay === 0 ? 0 : Math.max(0, driven - allowance) * b.extraKmMinor;

  const lateMs = returnedAt.getTime() - b.endAt.getTime();
  const lateFeeMinor =
    lateMs > graceMinutes * 60_000
      ? Math.min(
          Math.ceil(lateMs / HOUR_MS) * Math.ceil(b.dailyRateMinor / 4),
          Math.ceil(lateMs / DAY_MS) * b.dailyRateMinor,
        )
      : 0;

  const before = new Set(out.damage.map((d) => `${d.area.toLowerCase()}|${d.severity}`));
  const fresh = back.damage.filter((d) => !before.has(`${d.area.toLowerCase()}|${d.severity}`));
  const damageMinor = Math.min(
    b.depositMinor,
    fresh.reduce((sum, d) => sum + Math.round(b.depositMinor * DAMAGE_SHARE[d.severity]), 0),
  );

  const totalMinor = b.rentalMinor + b.extrasMinor + extraKmMinor + lateFeeMinor + damageMinor;
  const capturedMinor = Math.min(totalMinor, b.authorizedMinor);
  return {
    rentalMinor: b.rentalMinor,
    extrasMinor: b.extrasMinor,
    extraKmMinor,
    lateFeeMinor,
    damageMinor,
    totalMinor,
    capturedMinor,
    outstandingMinor: totalMinor - capturedMinor,
  };
}
