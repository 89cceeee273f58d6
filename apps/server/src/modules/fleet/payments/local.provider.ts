import { createHmac, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import type { AppContext } from '../../../platform/context';
import { AppError } from '../../../platform/errors';
import { fleetLocalIntents, type LocalIntentRow } from './payments.tables';
import type { PaymentPort } from './port';
import { idempotencyKey } from './stripe.provider';

export const LOCAL_WEBHOOK_QUEUE = 'fleet.payments.local-webhook';

/** Delivers one signed event to the webhook endpoint; throws when it is not accepted. */
export type Deliver = (payload: string, signature: string) => Promise<void>;

/** The local provider signs with STRIPE_WEBHOOK_SECRET when set, else with a secret derived from the app's key. */
export const localWebhookSecret = (ctx: AppContext) =>
  ctx.config.payments.stripeWebhookSecret ??
  `whsec_${createHmac('sha256', ctx.secret).update('fleet-local-stripe-webhook').digest('hex')}`;

const newId = (prefix: string) => `${prefix}_local_${randomBytes(12).toString('hex')}`;

/** The intent in Stripe's JSON shape, as the webhook endpoint reads it. */
function asStripe(row: LocalIntentRow, lastError?: string) {
  return {
    id: row.id,
    object: 'payment_intent',
    amount: row.amount,
    amount_capturable: row.status === 'requires_capture' ? row.amount : 0,
    amount_received: row.amountReceived,
    capture_method: 'manual',
    currency: row.currency.toLowerCase(),
    metadata: { booking_id: row.bookingId, user_id: row.userId },
    status: row.status,
    last_payment_error: lastError ? { message: lastError } : null,
    latest_charge: null,
    livemode: false,
  };
}

/**
 * Stripe's PaymentIntent states without Stripe: the renter "pays" on a test-card page, and every
 * change is announced by the same signed webhook, delivered to the same endpoint by a job (so it is
 * retried like Stripe's deliveries).
 */
export function createLocalPayments(ctx: AppContext) {
  const db = ctx.db;
  const secret = localWebhookSecret(ctx);
  let deliver: Deliver | undefined;

  async function announce(type: string, object: unknown) {
    const event = {
      id: newId('evt'),
      object: 'event',
      api_version: null,
      created: Math.floor(ctx.clock.now().getTime() / 1000),
      livemode: false,
      type,
      data: { object },
    };
    await ctx.jobs.send(LOCAL_WEBHOOK_QUEUE, { payload: JSON.stringify(event) });
  }

  async function load(intentId: string): Promise<LocalIntentRow> {
    const [row] = await db
      .select()
      .from(fleetLocalIntents)
      .where(eq(fleetLocalIntents.id, intentId))
      .for('update');
    if (!row) throw new AppError('not_found', 'Payment not found');
    return row;
  }

  async function save(row: LocalIntentRow, set: Partial<LocalIntentRow>) {
    const [next] = await db
      .update(fleetLocalIntents)
      .set(set)
      .where(eq(fleetLocalIntents.id, row.id))
      .returning();
    return next!;
  }

  const port: PaymentPort = {
    async authorize(i) {
      const key = idempotencyKey(i.bookingId, 'authorize', i.attempt);
      await db
        .insert(fleetLocalIntents)
        .values({
          id: newId('pi'),
          bookingId: i.bookingId,
          userId: i.customer.userId,
          idempotencyKey: key,
          status: 'requires_payment_method',
          currency: i.currency,
          amount: i.amountMinor,
          createdAt: ctx.clock.now(),
        })
        .onConflictDoNothing();
      const [row] = await db
        .select()
        .from(fleetLocalIntents)
        .where(eq(fleetLocalIntents.idempotencyKey, key));
      if (row!.status === 'requires_capture') return { intentId: row!.id, status: 'authorized' };
      return { intentId: row!.id, status: 'requires_action', clientSecret: `${row!.id}_secret_local` };
    },

    async capture(i) {
      const row = await load(i.intentId);
      if (row.status === 'succeeded' && row.amountReceived === i.amountMinor) return { status: 'captured' };
      if (row.status !== 'requires_capture')
        return { status: 'failed', message: `This payment cannot be captured because it is ${row.status}` };
      if (i.amountMinor > row.amount)
        return { status: 'failed', message: 'The amount is more than was authorised' };
      const next = await save(row, { status: 'succeeded', amountReceived: i.amountMinor });
      await announce('payment_intent.succeeded', asStripe(next));
      return { status: 'captured' };
    },

    async cancel(i) {
      const row = await load(i.intentId);
      if (row.status === 'canceled') return;
      if (row.status === 'succeeded')
        throw new AppError('conflict', 'A captured payment is refunded, not cancelled');
      await announce('payment_intent.canceled', asStripe(await save(row, { status: 'canceled' })));
    },

    async refund(i) {
      const row = await load(i.intentId);
      if (row.status !== 'succeeded' || i.amountMinor > row.amountReceived - row.amountRefunded)
        throw new AppError('conflict', 'The payment cannot be refunded by this amount');
      const next = await save(row, { amountRefunded: row.amountRefunded + i.amountMinor });
      await announce('charge.refunded', {
        id: `ch_${next.id}`,
        object: 'charge',
        payment_intent: next.id,
        amount: next.amount,
        amount_captured: next.amountReceived,
        amount_refunded: next.amountRefunded,
        refunded: next.amountRefunded >= next.amountReceived,
        currency: next.currency.toLowerCase(),
      });
    },
  };

  return {
    port,
    /** What the test-card page does: the renter's card is held, or declined. Only the renter may. */
    async complete(intentId: string, userId: string, outcome: 'succeed' | 'fail') {
      const row = await load(intentId);
      if (row.userId !== userId) throw new AppError('not_found', 'Payment not found');
      if (row.status !== 'requires_payment_method')
        throw new AppError('conflict', `This payment is already ${row.status}`);
      if (outcome === 'fail') {
        await announce(
          'payment_intent.payment_failed',
          asStripe(row, 'Your card was declined (local test card).'),
        );
        return { status: row.status };
      }
      const next = await save(row, { status: 'requires_capture' });
      await announce('payment_intent.amount_capturable_updated', asStripe(next));
      return { status: next.status };
    },
    setDeliver(fn: Deliver) {
      deliver = fn;
    },
    /** The job that sends one event, signed at the moment of sending as Stripe does. */
    async send(payload: string) {
      if (!deliver) throw new Error('the webhook endpoint is not mounted in this process');
      const timestamp = Math.floor(ctx.clock.now().getTime() / 1000);
      await deliver(payload, Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }));
    },
  };
}
export type LocalPayments = ReturnType<typeof createLocalPayments>;
