import type { AppContext } from '../../../platform/context';
import type { Tx } from '../../../platform/db';
import { AppError, unprocessable } from '../../../platform/errors';
import type { PaymentMetrics } from './payments.metrics';
import { paymentsRepo } from './payments.repo';
import { AUTHORIZATION_LIFETIME_MS, canMove } from './payments.states';
import type { PaymentRow, PaymentStatus } from './payments.tables';
import type { PaymentPort } from './port';

/** How long a run holds the due authorisations it claimed: an unreachable provider is retried after it. */
const CLAIM_MS = 10 * 60_000;

declare module '../../../platform/events' {
  interface Events {
    /** A booking's payment moved (an authorisation held, failed, was captured, cancelled, refunded); sent after the commit. */
    'fleet.payment.changed': {
      bookingId: string;
      /** What the authorisation holds (rental and deposit). */
      amountMinor: number;
      userId: string;
      status: PaymentStatus;
      intentId: string | null;
      message?: string;
    };
  }
}

type AuthorizeInput = Parameters<PaymentPort['authorize']>[0];
export type ProviderName = 'stripe' | 'local';

/**
 * Payments of bookings: the provider does the money, this records what it answered. The provider is
 * always called before the database is written and every call is idempotent per booking and action,
 * so a crash between the two is repaired by simply calling again.
 */
export function createPaymentsService(
  ctx: AppContext,
  deps: { provider: PaymentPort; providerName: ProviderName; metrics: PaymentMetrics },
) {
  const { provider, providerName, metrics } = deps;
  const db = ctx.db;
  const leadMs = ctx.config.payments.authorizeLeadHours * 3600_000;

  /** A booking's payment before its authorisation: due at `authorizeAt`, or being authorised now (null). */
  const scheduled = (i: AuthorizeInput, authorizeAt: Date | null, now: Date) => ({
    bookingId: i.bookingId,
    userId: i.customer.userId,
    customerEmail: i.customer.email,
    provider: providerName,
    intentId: null,
    status: 'scheduled' as const,
    currency: i.currency,
    amountAuthorized: i.amountMinor,
    authorizeAt,
    at: now,
  });

  /** Moves a payment forward (never back); the move is announced once its transaction commits. */
  async function move(
    tx: Tx,
    moves: PaymentRow[],
    row: PaymentRow,
    status: PaymentStatus,
    set: Partial<PaymentRow> = {},
  ) {
    if (!canMove(row.status, status)) return row;
    const next = await paymentsRepo.update(tx, row.id, { ...set, status, updatedAt: ctx.clock.now() });
    moves.push(next);
    return next;
  }

  /**
   * Runs `fn` in a transaction, then tells the bookings about each move. After the commit, because a
   * listener (confirming a booking) runs transactions of its own; a listener's failure is logged and
   * the booking is confirmed again by the next call that finds the payment authorised.
   */
  async function changing<T>(fn: (tx: Tx, moves: PaymentRow[]) => Promise<T>): Promise<T> {
    const moves: PaymentRow[] = [];
    const out = await db.transaction((tx) => fn(tx, moves));
    for (const p of moves) {
      const change = {
        bookingId: p.bookingId,
        userId: p.userId,
        status: p.status,
        intentId: p.intentId,
        amountMinor: p.amountAuthorized,
        message: p.lastError ?? undefined,
      };
      await ctx.events.emit('fleet.payment.changed', change).catch((err: unknown) => {
        ctx.log.app.error({ err, ...change }, 'a listener of a payment change failed');
      });
    }
    return out;
  }

  async function paymentOf(intentId: string, bookingId: string) {
    const row = await paymentsRepo.byIntent(db, intentId);
    if (!row || row.bookingId !== bookingId) throw new AppError('not_found', 'Payment not found');
    return row;
  }

  /** A provider call that could not reach the provider is counted as such (its answers are counted where read). */
  async function counted<T>(stage: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof AppError && err.code === 'unavailable')
        metrics.failures.inc({ stage, reason: 'unreachable' });
      throw err;
    }
  }

  const port: PaymentPort = {
    async authorize(i) {
      const live = await paymentsRepo.liveForBooking(db, i.bookingId);
      if (live?.intentId && live.status !== 'scheduled') {
        if (live.status === 'authorized') return { intentId: live.intentId, status: 'authorized' };
        if (live.status !== 'requires_action')
          throw new AppError('conflict', `The booking's payment is already ${live.status}`);
      }
      // Stripe answers a declined attempt the same again under its key, so each new attempt has its own.
      const ended = (await paymentsRepo.forBooking(db, i.bookingId)).filter(
        (p) => p.status === 'failed' || p.status === 'canceled',
      );
      const stage = live?.status === 'scheduled' ? 'scheduled_authorize' : 'authorize';
      const answer = await counted(stage, () => provider.authorize({ ...i, attempt: ended.length + 1 }));
      const now = ctx.clock.now();
      const status = answer.status === 'authorized' ? 'authorized' : answer.status;
      if (status === 'failed') metrics.failures.inc({ stage, reason: 'declined' });
      await changing(async (tx, moves) => {
        const fields = {
          lastError: answer.message ?? null,
          captureBefore: status === 'authorized' ? new Date(now.getTime() + AUTHORIZATION_LIFETIME_MS) : null,
        };
        const row =
          (await paymentsRepo.liveForBooking(tx, i.bookingId)) ??
          (await paymentsRepo.insert(tx, scheduled(i, null, now)));
        const withIntent = await paymentsRepo.update(tx, row.id, {
          intentId: answer.intentId || null,
          updatedAt: now,
        });
        await move(tx, moves, withIntent, status, fields);
      });
      return answer;
    },

    async capture(i) {
      const row = await paymentOf(i.intentId, i.bookingId);
      if (row.status === 'captured' || row.status === 'refunded') {
        if (row.amountCaptured === i.amountMinor) return { status: 'captured' };
        throw new AppError('conflict', 'The payment was already captured with another amount');
      }
      if (i.amountMinor > row.amountAuthorized)
        throw unprocessable('amountMinor', 'The final amount is more than the card authorisation holds');
      const answer = await counted('capture', () => provider.capture(i));
      await changing(async (tx, moves) => {
        const locked = (await paymentsRepo.byIntent(tx, i.intentId))!;
        if (answer.status === 'captured')
          await move(tx, moves, locked, 'captured', { amountCaptured: i.amountMinor });
        else {
          metrics.failures.inc({ stage: 'capture', reason: 'declined' });
          await paymentsRepo.update(tx, locked.id, {
            lastError: answer.message ?? 'capture failed',
            updatedAt: ctx.clock.now(),
          });
        }
      });
      return answer;
    },

    async cancel(i) {
      const row = await paymentOf(i.intentId, i.bookingId);
      if (row.status === 'canceled') return;
      await counted('cancel', () => provider.cancel(i));
      await changing(async (tx, moves) => {
        await move(tx, moves, (await paymentsRepo.byIntent(tx, i.intentId))!, 'canceled');
      });
    },

    async refund(i) {
      const row = await paymentOf(i.intentId, i.bookingId);
      if (i.amountMinor <= 0 || i.amountMinor > row.amountCaptured - row.amountRefunded)
        throw unprocessable(
          'amountMinor',
          'A refund must be positive and at most what was captured and not yet refunded',
        );
      await counted('refund', () => provider.refund({ ...i, refundedMinor: row.amountRefunded }));
      await changing(async (tx, moves) => {
        const locked = (await paymentsRepo.byIntent(tx, i.intentId))!;
        const refunded = locked.amountRefunded + i.amountMinor;
        await paymentsRepo.update(tx, locked.id, { amountRefunded: refunded, updatedAt: ctx.clock.now() });
        if (refunded >= locked.amountCaptured)
          await move(tx, moves, { ...locked, amountRefunded: refunded }, 'refunded');
      });
    },
  };

  return {
    port,
    move,
    changing,
    providerName,

    /**
     * Schedules the authorisation of a booking that starts later than an authorisation lasts, for
     * `FLEET_AUTHORIZE_LEAD_HOURS` before pick-up (the `fleet.payments.authorize-due` job). Answers when
     * it will run, or null when the booking is to be authorised now.
     */
    async scheduleIfFar(i: AuthorizeInput & { startAt: Date }): Promise<Date | null> {
      const now = ctx.clock.now();
      const authorizeAt = new Date(i.startAt.getTime() - leadMs);
      // The hold must outlive the rental's start by the lead time; otherwise authorise when pick-up nears.
      if (i.startAt.getTime() - now.getTime() + leadMs < AUTHORIZATION_LIFETIME_MS || authorizeAt <= now)
        return null;
      const existing = await paymentsRepo.liveForBooking(db, i.bookingId);
      if (existing) return existing.authorizeAt ?? authorizeAt;
      await paymentsRepo.insert(db, scheduled(i, authorizeAt, now));
      return authorizeAt;
    },

    /** A booking cancelled (or absent) before its scheduled authorisation: it is dropped, never run. */
    async unschedule(bookingId: string): Promise<void> {
      await changing(async (tx, moves) => {
        const row = await paymentsRepo.liveForBooking(tx, bookingId);
        if (row?.status === 'scheduled') await move(tx, moves, row, 'canceled');
      });
    },

    /**
     * The scheduled authorisations that are due. A failure leaves a notice for the renter and emits
     * the change, so bookings can release the vehicle; an unreachable provider is tried next run.
     */
    async authorizeDue() {
      const now = ctx.clock.now();
      const due = await paymentsRepo.claimDue(db, now, 50, new Date(now.getTime() + CLAIM_MS));
      let done = 0;
      for (const p of due) {
        try {
          const answer = await port.authorize({
            bookingId: p.bookingId,
            amountMinor: p.amountAuthorized,
            currency: p.currency,
            customer: { userId: p.userId, email: p.customerEmail },
          });
          if (answer.status !== 'authorized') {
            await paymentsRepo.notify(db, {
              userId: p.userId,
              bookingId: p.bookingId,
              kind: 'authorization_failed',
              message:
                answer.status === 'failed'
                  ? `Your card could not be authorised before pick-up: ${answer.message ?? 'declined'}. The booking was cancelled; nothing was charged.`
                  : 'Your bank asks you to confirm the payment before pick-up. Please open the booking and confirm it.',
              at: ctx.clock.now(),
            });
          }
          done++;
        } catch (e) {
          if (!(e instanceof AppError && e.code === 'unavailable')) throw e;
          ctx.log.app.warn(
            { bookingId: p.bookingId, err: e.message },
            'payment provider unreachable; authorisation retried next run',
          );
        }
      }
      return done;
    },

    forBooking: (bookingId: string) => paymentsRepo.forBooking(db, bookingId),
    notices: (userId: string) => paymentsRepo.notices(db, userId),
  };
}
export type PaymentsService = ReturnType<typeof createPaymentsService>;
