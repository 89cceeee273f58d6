import type { TBooking, TPage } from '@clockpilot/contracts';
import { type Actor, recordAudit } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import { type AppContext, moduleApi } from '../../platform/context';
import type { DbOrTx } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { keyset } from '../../platform/pagination';
import { createHolds } from './bookings.holds';
import { BOOKING_KEYSET, bookingsRepo } from './bookings.repo';
import type { FleetMetrics } from './fleet.metrics';
import type { FleetPolicy } from './fleet.policy';
import { toBooking } from './fleet.present';
import type { BookingRow } from './fleet.tables';
import type { FleetPorts } from './ports';

export type BookingsService = ReturnType<typeof createBookingsService>;

const MINUTE = 60_000;

/** Bookings: holds (bookings.holds.ts), confirmation (card authorisation), cancellation, no-shows. */
export function createBookingsService(
  ctx: AppContext,
  policy: FleetPolicy,
  ports: FleetPorts,
  metrics: FleetMetrics,
) {
  const { db, clock, config } = ctx;
  const holds = createHolds(ctx, ports, metrics);

  /** Moves a locked booking on, with its audit record and metric; releases the vehicle when it lets go. */
  async function transition(tx: DbOrTx, actor: Actor, before: BookingRow, patch: Partial<BookingRow>) {
    const after = await bookingsRepo.update(tx, before.id, { ...patch, updatedAt: clock.now() });
    if (['cancelled', 'expired', 'no_show'].includes(after.state)) await bookingsRepo.release(tx, before.id);
    await recordAudit(tx, actor, {
      action: `fleet.booking.${after.state === before.state ? 'updated' : after.state}`,
      entityType: 'booking',
      entityId: before.id,
      before,
      after,
    });
    if (after.state !== before.state) metrics.transitions.inc({ from: before.state, to: after.state });
    return after;
  }

  /** Locks the booking and checks it is still in one of `states`; a concurrent change answers 409. */
  async function locked(tx: DbOrTx, id: string, states: BookingRow['state'][]) {
    const b = await bookingsRepo.byId(tx, id, true);
    if (!b) throw notFound('Booking');
    if (!states.includes(b.state)) {
      throw new AppError(
        'conflict',
        `The booking is ${b.state.replace('_', ' ')}; this needs it ${states.join(' or ')}`,
      );
    }
    return b;
  }

  /** Payment provider calls: a refusal or an outage leaves the booking as it was, with a message. */
  async function pay<T>(step: string, b: BookingRow, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      ctx.log.app.warn({ err, bookingId: b.id, step }, 'payment provider call failed');
      // The provider's own answer (an intent in a state that refuses the step) is said as it is: trying
      // again shortly would not change it.
      const refused = err instanceof AppError && err.status < 500;
      const message = refused
        ? err.message
        : 'The payment provider could not be reached; nothing was charged. Please try again shortly.';
      await bookingsRepo.update(db, b.id, { paymentMessage: message, updatedAt: clock.now() });
      if (refused) throw err;
      throw new AppError('unavailable', message, { headers: { 'retry-after': '30' } });
    }
  }

  /**
   * Lets the card go: the intent is cancelled, or an authorisation still scheduled before pick-up is
   * dropped, so it never runs for a booking that is gone. Nothing is charged (0).
   */
  async function releaseHold(b: BookingRow): Promise<number> {
    const intentId = b.paymentIntentId;
    if (intentId) await pay('cancel', b, () => ports.payments.cancel({ bookingId: b.id, intentId }));
    else await ports.unscheduleAuthorization(b.id);
    return 0;
  }

  /**
   * A fee of one day's rate, captured from the card hold (the rest is released). A booking whose
   * authorisation before pick-up never went through holds nothing to take it from: it is released.
   */
  async function chargeDay(b: BookingRow, fee: string): Promise<number> {
    const amountMinor = Math.min(b.dailyRateMinor, b.authorizedMinor);
    const intentId = b.paymentIntentId;
    if (amountMinor === 0 || !intentId) return releaseHold(b);
    const r = await pay('capture', b, () =>
      ports.payments.capture({ bookingId: b.id, intentId, amountMinor }),
    );
    if (r.status !== 'captured')
      throw new AppError('unavailable', r.message ?? `The ${fee} fee could not be charged`);
    return amountMinor;
  }

  const service = {
    async get(p: Principal, id: string): Promise<TBooking> {
      return toBooking(await policy.booking(p, id));
    },

    async list(
      p: Principal,
      q: { limit: number; cursor?: string; state?: BookingRow['state']; vehicleId?: string; userId?: string },
    ): Promise<TPage<TBooking>> {
      const page = keyset({
        ...BOOKING_KEYSET,
        sort: 'start',
        dir: 'desc',
        cursor: q.cursor,
        limit: q.limit,
      });
      const userId = policy.scope(p) ?? q.userId ?? null;
      const rows = await bookingsRepo.list(db, { userId, state: q.state, vehicleId: q.vehicleId }, page);
      return page.page(rows.map((r) => ({ ...toBooking(r.row), _k: r._k })));
    },

    /**
     * Authorises rental plus deposit on the renter's card, then confirms. A declined card or an
     * unreachable provider leaves the booking held (until its hold expires) with the reason.
     */
    async confirm(p: Principal, actor: Actor, id: string): Promise<TBooking> {
      const b = await policy.booking(p, id);
      if (b.state !== 'held') throw new AppError('conflict', `The booking is ${b.state}, not held`);
      if (b.holdExpiresAt && b.holdExpiresAt <= clock.now()) {
        throw new AppError('conflict', 'The hold has expired; please book again');
      }
      const renter = await moduleApi(ctx, 'identity').getUser(b.userId);
      const amountMinor = b.rentalMinor + b.extrasMinor + b.depositMinor;
      const charge = {
        bookingId: b.id,
        amountMinor,
        currency: b.currency,
        customer: { userId: b.userId, email: renter?.email ?? '' },
      };
      // An authorisation lapses after about 7 days: a booking further off is confirmed now and its
      // card authorised shortly before pick-up; it stays confirmed only if that succeeds.
      const authorizeAt = await ports.scheduleAuthorization({ ...charge, startAt: b.startAt });
      if (authorizeAt) {
        const after = await db.transaction(async (tx) =>
          transition(tx, actor, await locked(tx, b.id, ['held']), {
            state: 'confirmed',
            holdExpiresAt: null,
            paymentMessage: `Your card will be authorised on ${authorizeAt.toISOString()}, before pick-up`,
          }),
        );
        return toBooking(after);
      }
      const result = await pay('authorize', b, () => ports.payments.authorize(charge));
      if (result.status === 'authorized')
        return toBooking(await service.authorized(actor, b.id, result.intentId, amountMinor));
      const message =
        result.status === 'requires_action'
          ? 'The card needs to be confirmed by its holder to complete the payment'
          : `The card was not authorised${result.message ? `: ${result.message}` : ''}; nothing was charged`;
      const after = await db.transaction(async (tx) => {
        const held = await locked(tx, b.id, ['held']);
        return transition(tx, actor, held, {
          paymentIntentId: result.intentId,
          paymentMessage: message,
          clientSecret: result.clientSecret ?? null,
        });
      });
      if (result.status === 'requires_action') return toBooking(after);
      throw new AppError('unprocessable', message, { extra: { booking: toBooking(after) } });
    },

    /**
     * The authorisation went through (at confirmation, or later by the provider's webhook). A hold
     * that expired meanwhile is not revived: the authorisation is cancelled and 409 answered.
     */
    async authorized(actor: Actor, id: string, intentId: string, amountMinor: number): Promise<BookingRow> {
      const outcome = await db.transaction(async (tx) => {
        const b = await bookingsRepo.byId(tx, id, true);
        if (!b) throw notFound('Booking');
        // A booking confirmed ahead of its scheduled authorisation: the card is now held.
        if (b.state === 'confirmed' && b.authorizedMinor === 0)
          return transition(tx, actor, b, {
            paymentIntentId: intentId,
            authorizedMinor: amountMinor,
            paymentMessage: null,
            clientSecret: null,
          });
        if (b.state === 'confirmed' && b.paymentIntentId === intentId) return b;
        if (b.state !== 'held') return null;
        return transition(tx, actor, b, {
          state: 'confirmed',
          holdExpiresAt: null,
          paymentIntentId: intentId,
          authorizedMinor: amountMinor,
          paymentMessage: null,
          clientSecret: null,
        });
      });
      if (outcome) return outcome;
      await ports.payments.cancel({ bookingId: id, intentId }).catch((err) => {
        ctx.log.app.error(
          { err, bookingId: id, intentId },
          'could not release the authorisation of a lapsed hold',
        );
      });
      throw new AppError('conflict', 'The hold expired before the payment went through; nothing was charged');
    },

    /**
     * The authorisation scheduled before pick-up did not go through. Declined: the booking is
     * cancelled and the vehicle released (the renter has a notice). The bank wants the renter: the
     * booking keeps the intent to pay on, and check-out waits until the card is held.
     */
    async deferredAuthorizationMissed(
      actor: Actor,
      c: { bookingId: string; status: string; intentId: string | null; message?: string },
    ) {
      await db.transaction(async (tx) => {
        const b = await bookingsRepo.byId(tx, c.bookingId, true);
        if (b?.state !== 'confirmed' || b.authorizedMinor > 0) return;
        if (c.status === 'failed')
          return transition(tx, actor, b, {
            state: 'cancelled',
            cancelReason: 'The card authorisation before pick-up failed',
            paymentIntentId: c.intentId,
            paymentMessage: `The card could not be authorised before pick-up${c.message ? `: ${c.message}` : ''}; nothing was charged`,
          });
        return transition(tx, actor, b, {
          paymentIntentId: c.intentId,
          paymentMessage: 'Your bank asks you to confirm the payment before pick-up',
        });
      });
    },

    /**
     * Cancels by the policy: a hold or a confirmed booking at least FLEET_FREE_CANCEL_HOURS before
     * pick-up is free (the authorisation is released); later, one day's rate is captured.
     */
    async cancel(p: Principal, actor: Actor, id: string, reason?: string): Promise<TBooking> {
      const b = await policy.booking(p, id);
      if (!['held', 'confirmed'].includes(b.state))
        throw new AppError('conflict', `A ${b.state} booking cannot be cancelled`);
      const free = b.startAt.getTime() - clock.now().getTime() >= config.fleet.freeCancelHours * 3_600_000;
      const capturedMinor =
        b.state === 'confirmed' && !free ? await chargeDay(b, 'cancellation') : await releaseHold(b);
      const after = await db.transaction(async (tx) => {
        const cur = await locked(tx, id, ['held', 'confirmed']);
        return transition(tx, actor, cur, {
          state: 'cancelled',
          holdExpiresAt: null,
          capturedMinor,
          cancelReason: reason ?? null,
          paymentMessage: capturedMinor ? `A late-cancellation fee of one day was charged` : null,
        });
      });
      return toBooking(after);
    },

    /** Staff: the renter did not come. One day's rate is captured and the vehicle released. */
    async noShow(actor: Actor, id: string): Promise<TBooking> {
      const b = await bookingsRepo.byId(db, id);
      if (!b) throw notFound('Booking');
      if (b.state !== 'confirmed') throw new AppError('conflict', `A ${b.state} booking cannot be a no-show`);
      if (clock.now() < new Date(b.startAt.getTime() + config.fleet.lateGraceMinutes * MINUTE)) {
        throw new AppError('conflict', 'The pick-up time (and its grace period) has not passed yet');
      }
      const fee = await chargeDay(b, 'no-show');
      const after = await db.transaction(async (tx) =>
        transition(tx, actor, await locked(tx, id, ['confirmed']), { state: 'no_show', capturedMinor: fee }),
      );
      return toBooking(after);
    },

    ...holds,
  };
  return service;
}
