import { HANDOVER_ANGLES, type TBooking, type THandoverInput } from '@clockpilot/contracts';
import { type Actor, recordAudit } from '../../platform/audit';
import type { AppContext } from '../../platform/context';
import type { DbOrTx } from '../../platform/db';
import { AppError, notFound, unprocessable } from '../../platform/errors';
import { bookingsRepo } from './bookings.repo';
import type { FleetMetrics } from './fleet.metrics';
import { toBooking } from './fleet.present';
import type { BookingRow, HandoverRecord } from './fleet.tables';
import type { FleetPorts } from './ports';
import { finalCharges } from './pricing';
import { vehiclesRepo } from './vehicles.repo';

export type HandoverService = ReturnType<typeof createHandoverService>;

/** Check-out and return at the counter (staff), and the final capture. */
export function createHandoverService(ctx: AppContext, ports: FleetPorts, metrics: FleetMetrics) {
  const { db, clock, config } = ctx;

  async function lockedIn(tx: DbOrTx, id: string, state: BookingRow['state']) {
    const b = await bookingsRepo.byId(tx, id, true);
    if (!b) throw notFound('Booking');
    if (b.state !== state)
      throw new AppError(
        'conflict',
        `The booking is ${b.state.replace('_', ' ')}, not ${state.replace('_', ' ')}`,
      );
    return b;
  }

  /** Every required angle has a photo taken for this booking from that angle. */
  async function checkPhotos(tx: DbOrTx, b: BookingRow, input: THandoverInput) {
    const photos = new Map((await vehiclesRepo.photos(tx, b.id)).map((p) => [p.id, p]));
    for (const angle of HANDOVER_ANGLES) {
      const photo = photos.get(input.photoIds[angle]);
      if (!photo || photo.angle !== angle) {
        throw unprocessable(`body.photoIds.${angle}`, `Upload a ${angle} photo of this booking first`);
      }
    }
  }

  async function save(tx: DbOrTx, actor: Actor, before: BookingRow, patch: Partial<BookingRow>) {
    const after = await bookingsRepo.update(tx, before.id, { ...patch, updatedAt: clock.now() });
    await recordAudit(tx, actor, {
      action: `fleet.booking.${after.state}`,
      entityType: 'booking',
      entityId: before.id,
      before,
      after,
    });
    if (after.state !== before.state) metrics.transitions.inc({ from: before.state, to: after.state });
    return after;
  }

  const service = {
    /**
     * Hands the vehicle over: the renter's verification must be approved and their licence valid
     * until the booking ends; odometer, fuel, the four photos and existing damage are recorded.
     */
    async checkout(actor: Actor, id: string, input: THandoverInput): Promise<TBooking> {
      const b = await bookingsRepo.byId(db, id);
      if (!b) throw notFound('Booking');
      // A booking confirmed ahead of its scheduled authorisation leaves only once the card is held.
      if (b.state === 'confirmed' && b.authorizedMinor === 0)
        throw new AppError(
          'conflict',
          "The renter's card is not authorised yet; the renter must confirm the payment",
        );
      const v = await ports.verification.status(b.userId);
      if (v.state !== 'approved') {
        throw new AppError('conflict', `The renter's identity and licence are not verified (${v.state})`);
      }
      const lastDay = b.endAt.toISOString().slice(0, 10);
      if (!v.licenceExpiresOn || v.licenceExpiresOn < lastDay) {
        throw new AppError(
          'conflict',
          `The renter's driving licence ${v.licenceExpiresOn ? `expires on ${v.licenceExpiresOn}` : 'has no known expiry'}, before the booking ends`,
        );
      }
      const after = await db.transaction(async (tx) => {
        const cur = await lockedIn(tx, id, 'confirmed');
        await checkPhotos(tx, cur, input);
        const vehicle = await vehiclesRepo.byId(tx, cur.vehicleId, true);
        if (input.odometerKm < vehicle!.odometerKm) {
          throw unprocessable(
            'body.odometerKm',
            `The odometer cannot read less than the last known ${vehicle!.odometerKm} km`,
          );
        }
        await vehiclesRepo.update(tx, cur.vehicleId, {
          odometerKm: input.odometerKm,
          updatedAt: clock.now(),
        });
        const checkout: HandoverRecord = { ...input, at: clock.now().toISOString(), by: actor.userId };
        return save(tx, actor, cur, { state: 'checked_out', checkout });
      });
      return toBooking(after);
    },

    /**
     * Takes the vehicle back: records it like the check-out, computes the final bill (extra km, late
     * fee, new damage) and captures it, at most what was authorised; the rest of the hold is released.
     */
    async return(actor: Actor, id: string, input: THandoverInput): Promise<TBooking> {
      const now = clock.now();
      await db.transaction(async (tx) => {
        const cur = await lockedIn(tx, id, 'checked_out');
        await checkPhotos(tx, cur, input);
        if (input.odometerKm < cur.checkout!.odometerKm) {
          throw unprocessable(
            'body.odometerKm',
            `The odometer read ${cur.checkout!.odometerKm} km at check-out`,
          );
        }
        const back: HandoverRecord = { ...input, at: now.toISOString(), by: actor.userId };
        const charges = finalCharges(cur, cur.checkout!, back, now, config.fleet.lateGraceMinutes);
        await vehiclesRepo.update(tx, cur.vehicleId, { odometerKm: input.odometerKm, updatedAt: now });
        // Back early: the rest of the booked time is free again after the turnaround.
        await bookingsRepo.shorten(tx, id, new Date(now.getTime() + config.fleet.turnaroundMinutes * 60_000));
        await save(tx, actor, cur, { state: 'returned', returnRecord: back, charges });
      });
      return service.settle(actor, id);
    },

    /** Captures the final bill of a returned booking; on failure it stays returned with the reason. */
    async settle(actor: Actor, id: string): Promise<TBooking> {
      const b = await bookingsRepo.byId(db, id);
      if (!b) throw notFound('Booking');
      if (b.state !== 'returned') throw new AppError('conflict', `The booking is ${b.state}, not returned`);
      const amountMinor = b.charges!.capturedMinor;
      let message: string | null = null;
      try {
        const r = await ports.payments.capture({
          bookingId: b.id,
          intentId: b.paymentIntentId!,
          amountMinor,
        });
        if (r.status !== 'captured')
          message = `The final amount could not be captured${r.message ? `: ${r.message}` : ''}`;
      } catch (err) {
        ctx.log.app.warn({ err, bookingId: b.id }, 'capture failed');
        message = 'The payment provider could not be reached; the final amount will be captured on retry';
      }
      const after = await db.transaction(async (tx) => {
        const cur = await lockedIn(tx, id, 'returned');
        return save(
          tx,
          actor,
          cur,
          message
            ? { paymentMessage: message }
            : { state: 'closed', capturedMinor: amountMinor, paymentMessage: null },
        );
      });
      return toBooking(after);
    },
  };
  return service;
}
