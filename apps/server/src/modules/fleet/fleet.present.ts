import type { TBooking, TCalendarItem, TVehicle } from '@clockpilot/contracts';
import type { BookingRow, HandoverRecord, VehicleRow } from './fleet.tables';
import { quote } from './pricing';
import type { vehiclesRepo } from './vehicles.repo';

/** Due by date or by odometer, whichever comes first. */
export const serviceDue = (v: VehicleRow, today: string) =>
  (v.serviceDueOn !== null && v.serviceDueOn <= today) ||
  (v.serviceDueKm !== null && v.odometerKm >= v.serviceDueKm);

export function toVehicle(v: VehicleRow, photoIds: string[], now: Date): TVehicle {
  return {
    ...v,
    serviceDue: serviceDue(v, now.toISOString().slice(0, 10)),
    photoIds,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
}

const handover = (h: HandoverRecord | null) =>
  h && {
    at: h.at,
    odometerKm: h.odometerKm,
    fuelEighths: h.fuelEighths,
    photoIds: h.photoIds,
    damage: h.damage,
    notes: h.notes,
  };

export function toBooking(b: BookingRow): TBooking {
  const q = quote(b, b.startAt, b.endAt, []);
  const totalMinor = b.rentalMinor + b.extrasMinor;
  return {
    id: b.id,
    vehicleId: b.vehicleId,
    userId: b.userId,
    state: b.state,
    startAt: b.startAt.toISOString(),
    endAt: b.endAt.toISOString(),
    busyUntil: b.busyUntil.toISOString(),
    holdExpiresAt: b.holdExpiresAt?.toISOString() ?? null,
    extras: b.extras as TBooking['extras'],
    // The booking's own figures, as quoted when it was made.
    quote: {
      ...q,
      days: b.days,
      rentalMinor: b.rentalMinor,
      extrasMinor: b.extrasMinor,
      totalMinor,
      authorizeMinor: totalMinor + b.depositMinor,
      kmAllowance: b.kmPerDay * b.days,
    },
    payment: {
      intentId: b.paymentIntentId,
      authorizedMinor: b.authorizedMinor,
      capturedMinor: b.capturedMinor,
      refundedMinor: b.refundedMinor,
      message: b.paymentMessage,
      clientSecret: b.state === 'held' ? b.clientSecret : null,
    },
    checkout: handover(b.checkout),
    return: handover(b.returnRecord),
    charges: b.charges,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}

type CalendarRow = Awaited<ReturnType<typeof vehiclesRepo.calendar>>[number];
/** A busy row as the calendar shows it: a held booking is a hold, a window is maintenance. */
export function toCalendarItem(r: CalendarRow): TCalendarItem {
  const isBooking = r.busy.bookingId !== null;
  const state = isBooking ? r.bookingState! : null;
  return {
    kind: !isBooking ? 'maintenance' : state === 'held' ? 'hold' : 'booking',
    id: (r.busy.bookingId ?? r.busy.maintenanceId)!,
    startAt: (isBooking ? r.bookingStart! : r.windowStart!).toISOString(),
    endAt: (isBooking ? r.bookingEnd! : r.windowEnd!).toISOString(),
    busyUntil: r.busy.endsAt.toISOString(),
    state,
    label: isBooking ? `Booking (${state})` : r.reason!,
  };
}
