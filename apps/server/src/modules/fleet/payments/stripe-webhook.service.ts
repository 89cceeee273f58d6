import Stripe from 'stripe';
import { z } from 'zod';
import type { AppContext } from '../../../platform/context';
import type { Tx } from '../../../platform/db';
import { AppError } from '../../../platform/errors';
import type { PaymentMetrics } from './payments.metrics';
import { paymentsRepo } from './payments.repo';
import type { PaymentsService } from './payments.service';
import type { PaymentRow } from './payments.tables';

/** Signatures older than this are refused, so a captured delivery cannot be replayed later. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export type WebhookOutcome = 'applied' | 'stale' | 'unknown_intent' | 'unhandled' | 'duplicate';
type Request = { ip: string; reqId: string };

/** The parts of an event's envelope every delivery is filed by; a body without them is no Stripe event. */
const ZStripeEnvelope = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  created: z.number().int().nonnegative(),
  data: z.object({ object: z.looseObject({ id: z.string().max(255).optional() }) }),
});

const intentOf = (o: { payment_intent?: string | { id: string } | null }) =>
  typeof o.payment_intent === 'string' ? o.payment_intent : o.payment_intent?.id;

/**
 * Stripe's webhook deliveries: the signature is checked against the raw body, each event id is
 * stored once, and an event only moves a payment forward.
 */
export function createStripeWebhooks(
  ctx: AppContext,
  deps: { payments: PaymentsService; secret: string | undefined; metrics: PaymentMetrics },
) {
  const { payments, secret, metrics } = deps;

  function verify(raw: Buffer, signature: string | undefined, req: Request): Stripe.Event {
    if (!secret)
      throw new AppError('unavailable', 'Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET)');
    try {
      // The SDK takes the receiving time in milliseconds; the injected clock keeps tests in control.
      const receivedAt = ctx.clock.now().getTime();
      return Stripe.webhooks.constructEvent(
        raw,
        signature ?? '',
        secret,
        WEBHOOK_TOLERANCE_SECONDS,
        undefined,
        receivedAt,
      );
    } catch (e) {
      ctx.metrics.securityEvents.inc({ type: 'webhook_signature_invalid' });
      metrics.webhooks.inc({ provider: 'stripe', type: 'unverified', outcome: 'rejected' });
      ctx.log.security.warn(
        {
          event: 'webhook_signature_invalid',
          provider: 'stripe',
          reqId: req.reqId,
          ip: req.ip,
          reason: (e as Error).message,
        },
        'stripe webhook refused: signature invalid or too old',
      );
      throw new AppError('bad_request', 'The webhook signature is invalid or too old');
    }
  }

  /** A signed body is Stripe's, yet it is read only when it has the shape of an event. */
  function parse(raw: Buffer, signature: string | undefined, req: Request): Stripe.Event {
    const event = verify(raw, signature, req);
    if (!ZStripeEnvelope.safeParse(event).success)
      throw new AppError('bad_request', 'The webhook body is not a Stripe event');
    return event;
  }

  /** What one event does to its payment; the outcome is recorded beside the event id. */
  async function apply(
    tx: Tx,
    moves: PaymentRow[],
    event: Stripe.Event,
  ): Promise<Exclude<WebhookOutcome, 'duplicate'>> {
    const object = event.data.object as { object: string; id: string };
    const intentId =
      object.object === 'payment_intent' ? object.id : intentOf(object as { payment_intent?: string | null });
    const handled = [
      'payment_intent.amount_capturable_updated',
      'payment_intent.succeeded',
      'payment_intent.payment_failed',
      'payment_intent.canceled',
      'charge.refunded',
      'charge.dispute.created',
    ];
    if (!handled.includes(event.type)) return 'unhandled';
    const row = intentId ? await paymentsRepo.byIntent(tx, intentId) : undefined;
    if (!row) return 'unknown_intent';
    const moved = (next: PaymentRow) => (next === row ? 'stale' : 'applied');
    switch (event.type) {
      case 'payment_intent.amount_capturable_updated': {
        const pi = event.data.object;
        if (pi.amount_capturable <= 0) return 'stale';
        return moved(
          await payments.move(tx, moves, row, 'authorized', {
            lastError: null,
            captureBefore: captureBefore(pi, ctx),
          }),
        );
      }
      case 'payment_intent.succeeded':
        return moved(
          await payments.move(tx, moves, row, 'captured', {
            amountCaptured: event.data.object.amount_received,
          }),
        );
      case 'payment_intent.payment_failed': {
        const message = event.data.object.last_payment_error?.message ?? 'The card was declined';
        const next = await payments.move(tx, moves, row, 'failed', { lastError: message });
        if (next === row) return 'stale';
        metrics.failures.inc({ stage: 'webhook', reason: 'declined' });
        await paymentsRepo.notify(tx, {
          userId: row.userId,
          bookingId: row.bookingId,
          kind: 'payment_failed',
          message: `Your payment failed: ${message}`,
          at: ctx.clock.now(),
        });
        return 'applied';
      }
      case 'payment_intent.canceled':
        return moved(await payments.move(tx, moves, row, 'canceled'));
      case 'charge.refunded': {
        const charge = event.data.object;
        if (charge.amount_refunded <= row.amountRefunded) return 'stale';
        // A refund proves the capture, whose own event may not have arrived yet.
        const amountCaptured = Math.max(row.amountCaptured, charge.amount_captured);
        await payments.move(tx, moves, row, 'captured', { amountCaptured });
        const next = await paymentsRepo.update(tx, row.id, {
          amountRefunded: charge.amount_refunded,
          updatedAt: ctx.clock.now(),
        });
        if (charge.amount_refunded >= amountCaptured) await payments.move(tx, moves, next, 'refunded');
        return 'applied';
      }
      case 'charge.dispute.created': {
        if (row.disputedAt) return 'stale';
        await paymentsRepo.update(tx, row.id, { disputedAt: ctx.clock.now(), updatedAt: ctx.clock.now() });
        await paymentsRepo.notify(tx, {
          userId: row.userId,
          bookingId: row.bookingId,
          kind: 'dispute_opened',
          message: 'A dispute was opened on this payment with your bank.',
          at: ctx.clock.now(),
        });
        ctx.log.audit.info(
          { event: 'fleet.payment.disputed', bookingId: row.bookingId, intentId },
          'payment disputed',
        );
        return 'applied';
      }
    }
    return 'unhandled';
  }

  return {
    /** Verifies, stores once and applies one delivery; throws 400 for a bad signature. */
    async receive(raw: Buffer, signature: string | undefined, req: Request): Promise<WebhookOutcome> {
      const event = parse(raw, signature, req);
      const outcome = await payments.changing(async (tx, moves) => {
        const fresh = await paymentsRepo.recordEvent(tx, {
          id: event.id,
          type: event.type,
          intentId: (event.data.object as { id?: string }).id,
          createdAt: new Date(event.created * 1000),
          receivedAt: ctx.clock.now(),
        });
        if (!fresh) return 'duplicate' as const;
        const result = await apply(tx, moves, event);
        await paymentsRepo.setEventOutcome(tx, event.id, result);
        return result;
      });
      metrics.webhooks.inc({ provider: 'stripe', type: event.type, outcome });
      const level = outcome === 'applied' || outcome === 'duplicate' || outcome === 'stale' ? 'info' : 'warn';
      ctx.log.app[level](
        { eventId: event.id, type: event.type, outcome, reqId: req.reqId },
        'stripe webhook',
      );
      return outcome;
    },
  };
}

/** Stripe states when the hold lapses on the charge (`capture_before`); else about 7 days from now. */
function captureBefore(pi: Stripe.PaymentIntent, ctx: AppContext): Date {
  const charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
  const at = charge?.payment_method_details?.card?.capture_before;
  return at ? new Date(at * 1000) : new Date(ctx.clock.now().getTime() + 7 * 24 * 3600_000);
}
