import Stripe from 'stripe';
import { AppError } from '../../../platform/errors';
import type { PaymentPort } from './port';

/** The idempotency key of one action on one booking: a retried call can never charge twice. */
export const idempotencyKey = (
  bookingId: string,
  action: 'authorize' | 'capture' | 'cancel' | 'refund',
  attempt = 1,
) => `fleet-booking-${bookingId}-${action}${attempt > 1 ? `-${attempt}` : ''}`;

export type StripeOptions = { secretKey: string; apiUrl?: string; timeoutMs?: number };

export function stripeClient(o: StripeOptions): Stripe {
  const url = o.apiUrl ? new URL(o.apiUrl) : undefined;
  return new Stripe(o.secretKey, {
    ...(url && {
      host: url.hostname,
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      protocol: url.protocol.replace(':', '') as 'http' | 'https',
    }),
    timeout: o.timeoutMs ?? 20_000,
    maxNetworkRetries: 2,
    appInfo: { name: 'ClockPilot fleet' },
  });
}

/** Stripe could not be asked: the caller keeps its state and says to try again. */
function unreachable(e: unknown): never {
  throw new AppError(
    'unavailable',
    'The payment service cannot be reached right now; nothing was charged, try again',
    {
      extra: { reason: e instanceof Error ? e.message : String(e) },
    },
  );
}

/** A refusal about the card (declined, expired, …) is an answer; anything else means Stripe was not reached. */
const isCardAnswer = (e: unknown): e is Stripe.errors.StripeError =>
  e instanceof Stripe.errors.StripeCardError || e instanceof Stripe.errors.StripeInvalidRequestError;

/**
 * The Stripe provider: one PaymentIntent per booking with `capture_method=manual` holds rental and
 * deposit on the card; the final amount is captured on return and Stripe releases the rest.
 */
export function stripePayments(stripe: Stripe): PaymentPort {
  return {
    async authorize(i) {
      let intent: Stripe.PaymentIntent;
      try {
        intent = await stripe.paymentIntents.create(
          {
            amount: i.amountMinor,
            currency: i.currency.toLowerCase(),
            capture_method: 'manual',
            // Only cards can hold an amount for later capture.
            allowed_payment_method_types: ['card'],
            receipt_email: i.customer.email,
            description: `Vehicle booking ${i.bookingId} (rental and deposit)`,
            metadata: { booking_id: i.bookingId, user_id: i.customer.userId },
          },
          { idempotencyKey: idempotencyKey(i.bookingId, 'authorize', i.attempt) },
        );
      } catch (e) {
        if (e instanceof Stripe.errors.StripeCardError)
          return { intentId: e.payment_intent?.id ?? '', status: 'failed', message: e.message };
        unreachable(e);
      }
      if (intent.status === 'requires_capture') return { intentId: intent.id, status: 'authorized' };
      if (intent.status === 'canceled' || intent.status === 'succeeded')
        return { intentId: intent.id, status: 'failed', message: `The payment is already ${intent.status}` };
      return {
        intentId: intent.id,
        status: 'requires_action',
        clientSecret: intent.client_secret ?? undefined,
      };
    },

    async capture(i) {
      try {
        const intent = await stripe.paymentIntents.capture(
          i.intentId,
          { amount_to_capture: i.amountMinor },
          { idempotencyKey: idempotencyKey(i.bookingId, 'capture') },
        );
        return intent.status === 'succeeded'
          ? { status: 'captured' }
          : { status: 'failed', message: `The payment is ${intent.status}, not captured` };
      } catch (e) {
        if (isCardAnswer(e)) return { status: 'failed', message: e.message };
        unreachable(e);
      }
    },

    async cancel(i) {
      try {
        await stripe.paymentIntents.cancel(
          i.intentId,
          { cancellation_reason: 'requested_by_customer' },
          { idempotencyKey: idempotencyKey(i.bookingId, 'cancel') },
        );
      } catch (e) {
        // Already cancelled (a retry, or Stripe lapsed it): the hold is gone either way.
        if (e instanceof Stripe.errors.StripeInvalidRequestError && e.payment_intent?.status === 'canceled')
          return;
        if (isCardAnswer(e)) throw new AppError('conflict', `The payment cannot be cancelled: ${e.message}`);
        unreachable(e);
      }
    },

    async refund(i) {
      try {
        await stripe.refunds.create(
          { payment_intent: i.intentId, amount: i.amountMinor, reason: 'requested_by_customer' },
          // One key per refund: a later refund of the same amount must not get the first one's answer.
          {
            idempotencyKey: `${idempotencyKey(i.bookingId, 'refund')}${i.refundedMinor ? `-after-${i.refundedMinor}` : ''}`,
          },
        );
      } catch (e) {
        if (isCardAnswer(e)) throw new AppError('conflict', `The payment cannot be refunded: ${e.message}`);
        unreachable(e);
      }
    },
  };
}
