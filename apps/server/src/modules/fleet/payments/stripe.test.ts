import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverStripeEvent, paymentsOf, renterWithBooking } from '../../../../test/factories/fleet-payments';
import { loginAs } from '../../../../test/factories/identity';
import { type StripeServer, startStripeServer } from '../../../../test/fakes/stripe-server';
import { createTestApp, freePort, type TestApp, testClock } from '../../../../test/helpers';
import { request } from '../../../../test/http';
import { createPaymentsService } from './payments.service';
import { fleetPaymentEvents, fleetPaymentNotices } from './payments.tables';
import { stripeClient, stripePayments } from './stripe.provider';

const WHSEC = `whsec_${'k'.repeat(32)}`;
const clock = testClock();
const DAY = 86_400_000;
let stripe: StripeServer;
let t: TestApp;
const changes: Array<{ bookingId: string; status: string }> = [];

beforeAll(async () => {
  stripe = await startStripeServer();
  t = await createTestApp({
    clock,
    env: { STRIPE_SECRET_KEY: 'sk_test_fleet', STRIPE_WEBHOOK_SECRET: WHSEC, STRIPE_API_URL: stripe.url },
  });
  t.ctx.events.on(
    'fleet.payment.changed',
    ({ bookingId, status }) => void changes.push({ bookingId, status }),
  );
});
afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

const svc = () => paymentsOf(t).payments;
const send = (
  type: string,
  object: unknown,
  sign: { timestamp?: number; secret?: string; signature?: string } = {},
  id?: string,
) => deliverStripeEvent(t, { type, object, id }, { secret: WHSEC, ...sign });
const paymentOf = async (bookingId: string) => (await svc().forBooking(bookingId))[0]!;

/** A booking whose card the renter has confirmed: authorised for 45 000 minor units. */
async function authorised() {
  const r = await renterWithBooking(t);
  const answer = await svc().port.authorize({
    bookingId: r.bookingId,
    amountMinor: 45_000,
    currency: 'EUR',
    customer: r.customer,
  });
  const pi = stripe.authorize(answer.intentId);
  expect((await send('payment_intent.amount_capturable_updated', pi)).body.outcome).toBe('applied');
  return { ...r, intentId: answer.intentId };
}

describe('Stripe provider through the real SDK', () => {
  it('authorises rental and deposit as one manual-capture PaymentIntent, once per booking', async () => {
    const { bookingId, customer } = await renterWithBooking(t);
    const input = { bookingId, amountMinor: 45_000, currency: 'EUR', customer };
    const first = await svc().port.authorize(input);
    const again = await svc().port.authorize(input);

    expect(first).toMatchObject({
      status: 'requires_action',
      clientSecret: expect.stringMatching(/_secret_/),
    });
    expect(again.intentId).toBe(first.intentId);
    const creates = stripe.calls.filter(
      (c) =>
        c.path === '/v1/payment_intents' &&
        c.params.metadata &&
        (c.params.metadata as { booking_id: string }).booking_id === bookingId,
    );
    expect(creates).toHaveLength(2);
    expect(creates.map((c) => c.idempotencyKey)).toEqual([
      `fleet-booking-${bookingId}-authorize`,
      `fleet-booking-${bookingId}-authorize`,
    ]);
    expect(creates[0]!.params).toMatchObject({
      amount: '45000',
      currency: 'eur',
      capture_method: 'manual',
      receipt_email: customer.email,
      metadata: { booking_id: bookingId, user_id: customer.userId },
    });
    expect([...stripe.intents.values()].filter((pi) => pi.metadata.booking_id === bookingId)).toHaveLength(1);
    expect(await paymentOf(bookingId)).toMatchObject({
      status: 'requires_action',
      amountAuthorized: 45_000,
      intentId: first.intentId,
    });
  });

  it('captures the final amount, at most what is held, and refunds, each with a key of its own', async () => {
    const { bookingId, intentId } = await authorised();
    const held = await paymentOf(bookingId);
    expect(held.status).toBe('authorized');
    expect(held.captureBefore!.getTime() - clock.now().getTime()).toBe(7 * DAY);

    await expect(svc().port.capture({ bookingId, intentId, amountMinor: 45_001 })).rejects.toMatchObject({
      status: 422,
    });
    expect(await svc().port.capture({ bookingId, intentId, amountMinor: 30_000 })).toEqual({
      status: 'captured',
    });
    const capture = stripe.calls.filter((c) => c.path === `/v1/payment_intents/${intentId}/capture`);
    expect(capture).toEqual([
      {
        method: 'POST',
        path: `/v1/payment_intents/${intentId}/capture`,
        params: { amount_to_capture: '30000' },
        idempotencyKey: `fleet-booking-${bookingId}-capture`,
      },
    ]);
    expect(await paymentOf(bookingId)).toMatchObject({ status: 'captured', amountCaptured: 30_000 });

    // A second refund of the same amount is a refund of its own, not Stripe's replay of the first.
    await svc().port.refund({ bookingId, intentId, amountMinor: 5_000 });
    await svc().port.refund({ bookingId, intentId, amountMinor: 5_000 });
    const refunds = stripe.calls.filter(
      (c) => c.path === '/v1/refunds' && c.params.payment_intent === intentId,
    );
    expect(refunds.map((c) => [c.params.amount, c.idempotencyKey])).toEqual([
      ['5000', `fleet-booking-${bookingId}-refund`],
      ['5000', `fleet-booking-${bookingId}-refund-after-5000`],
    ]);
    expect(await paymentOf(bookingId)).toMatchObject({ status: 'captured', amountRefunded: 10_000 });
    expect(changes.filter((c) => c.bookingId === bookingId).map((c) => c.status)).toEqual([
      'requires_action',
      'authorized',
      'captured',
    ]);
  });

  it('cancels a hold that is no longer needed', async () => {
    const { bookingId, intentId } = await authorised();
    await svc().port.cancel({ bookingId, intentId });
    expect(stripe.calls.at(-1)).toMatchObject({
      path: `/v1/payment_intents/${intentId}/cancel`,
      idempotencyKey: `fleet-booking-${bookingId}-cancel`,
    });
    expect((await paymentOf(bookingId)).status).toBe('canceled');
    expect(stripe.intents.get(intentId)!.status).toBe('canceled');
  });

  it('records a declined card as failed and tries again under a new key', async () => {
    const { bookingId, customer } = await renterWithBooking(t);
    stripe.declineNext('Your card has insufficient funds.');
    const declined = await svc().port.authorize({ bookingId, amountMinor: 9_900, currency: 'EUR', customer });
    expect(declined).toMatchObject({ status: 'failed', message: 'Your card has insufficient funds.' });
    expect((await paymentOf(bookingId)).status).toBe('failed');

    const retry = await svc().port.authorize({ bookingId, amountMinor: 9_900, currency: 'EUR', customer });
    expect(retry.status).toBe('requires_action');
    expect(stripe.calls.at(-1)!.idempotencyKey).toBe(`fleet-booking-${bookingId}-authorize-2`);
    expect(
      await t.ctx.metrics.registry.getSingleMetricAsString('clockpilot_fleet_payment_failures_total'),
    ).toMatch(/stage="authorize",reason="declined"} [1-9]/);
  });

  it('leaves nothing behind when Stripe cannot be reached, and says so', async () => {
    const { bookingId, customer } = await renterWithBooking(t);
    const down = stripePayments(
      stripeClient({
        secretKey: 'sk_test_fleet',
        apiUrl: `http://127.0.0.1:${await freePort()}`,
        timeoutMs: 2000,
      }),
    );
    const p = paymentsOf(t);
    const service = createPaymentsService(t.ctx, {
      provider: down,
      providerName: 'stripe',
      metrics: p.metrics,
    });
    await expect(
      service.port.authorize({ bookingId, amountMinor: 100, currency: 'EUR', customer }),
    ).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/cannot be reached.*try again/),
    });
    expect(await svc().forBooking(bookingId)).toEqual([]);
    expect(
      await t.ctx.metrics.registry.getSingleMetricAsString('clockpilot_fleet_payment_failures_total'),
    ).toMatch(/stage="authorize",reason="unreachable"} [1-9]/);
  });
});

describe('POST /api/v1/stripe/webhook', () => {
  it('applies a signed event once; a duplicate delivery changes nothing', async () => {
    const { bookingId, customer } = await renterWithBooking(t);
    const { intentId } = await svc().port.authorize({
      bookingId,
      amountMinor: 20_000,
      currency: 'EUR',
      customer,
    });
    const pi = stripe.authorize(intentId);
    const id = `evt_${randomUUID().replace(/-/g, '')}`;
    expect(await send('payment_intent.amount_capturable_updated', pi, {}, id)).toMatchObject({
      status: 200,
      body: { outcome: 'applied' },
    });
    expect(await send('payment_intent.amount_capturable_updated', pi, {}, id)).toMatchObject({
      status: 200,
      body: { outcome: 'duplicate' },
    });
    expect(
      await t.ctx.db.select().from(fleetPaymentEvents).where(eq(fleetPaymentEvents.id, id)),
    ).toHaveLength(1);
    expect(changes.filter((c) => c.bookingId === bookingId).map((c) => c.status)).toEqual([
      'requires_action',
      'authorized',
    ]);
  });

  it('only moves forward: a late authorisation never undoes a capture', async () => {
    const { bookingId, intentId } = await authorised();
    const heldPi = { ...stripe.intents.get(intentId)! };
    await svc().port.capture({ bookingId, intentId, amountMinor: 45_000 });
    const succeeded = stripe.intents.get(intentId)!;
    expect((await send('payment_intent.succeeded', succeeded)).body.outcome).toBe('stale');
    expect((await send('payment_intent.amount_capturable_updated', heldPi)).body.outcome).toBe('stale');
    expect((await send('payment_intent.canceled', { ...heldPi, status: 'canceled' })).body.outcome).toBe(
      'stale',
    );
    expect(
      (await send('payment_intent.payment_failed', { ...heldPi, last_payment_error: { message: 'late' } }))
        .body.outcome,
    ).toBe('stale');
    expect(await paymentOf(bookingId)).toMatchObject({ status: 'captured', amountCaptured: 45_000 });

    const charge = {
      id: 'ch_1',
      object: 'charge',
      payment_intent: intentId,
      amount_captured: 45_000,
      amount_refunded: 45_000,
    };
    expect((await send('charge.refunded', charge)).body.outcome).toBe('applied');
    expect(await paymentOf(bookingId)).toMatchObject({ status: 'refunded', amountRefunded: 45_000 });
  });

  it('takes a refund that arrives before the capture it refunds', async () => {
    const { bookingId, intentId } = await authorised();
    const charge = { id: 'ch_2', object: 'charge', payment_intent: intentId, amount_captured: 30_000 };
    expect(await send('charge.refunded', { ...charge, amount_refunded: 30_000 })).toMatchObject({
      status: 200,
      body: { outcome: 'applied' },
    });
    const pi = stripe.intents.get(intentId)!;
    const succeeded = { ...pi, status: 'succeeded', amount_received: 30_000, amount_capturable: 0 };
    expect((await send('payment_intent.succeeded', succeeded)).body.outcome).toBe('stale');
    expect(await paymentOf(bookingId)).toMatchObject({
      status: 'refunded',
      amountCaptured: 30_000,
      amountRefunded: 30_000,
    });
  });

  it('records a failed payment and a dispute, and tells the renter', async () => {
    const { bookingId, customer } = await renterWithBooking(t);
    const { intentId } = await svc().port.authorize({
      bookingId,
      amountMinor: 7_000,
      currency: 'EUR',
      customer,
    });
    const pi = {
      ...stripe.intents.get(intentId)!,
      last_payment_error: { message: 'Your card was declined.' },
    };
    expect((await send('payment_intent.payment_failed', pi)).body.outcome).toBe('applied');
    expect(await paymentOf(bookingId)).toMatchObject({
      status: 'failed',
      lastError: 'Your card was declined.',
    });
    const dispute = {
      id: 'dp_1',
      object: 'dispute',
      payment_intent: intentId,
      amount: 7_000,
      reason: 'fraudulent',
    };
    expect((await send('charge.dispute.created', dispute)).body.outcome).toBe('applied');
    const notices = await t.ctx.db
      .select()
      .from(fleetPaymentNotices)
      .where(eq(fleetPaymentNotices.bookingId, bookingId));
    expect(notices.map((n) => n.kind).sort()).toEqual(['dispute_opened', 'payment_failed']);
  });

  it('answers 200 for unknown intents and unknown event types, and logs them', async () => {
    expect(
      await send('payment_intent.succeeded', {
        id: 'pi_unknown',
        object: 'payment_intent',
        amount_received: 1,
      }),
    ).toMatchObject({ status: 200, body: { outcome: 'unknown_intent' } });
    expect(await send('customer.created', { id: 'cus_1', object: 'customer' })).toMatchObject({
      status: 200,
      body: { outcome: 'unhandled' },
    });
    const metrics = await t.ctx.metrics.registry.getSingleMetricAsString(
      'clockpilot_fleet_webhook_events_total',
    );
    expect(metrics).toContain('type="customer.created",outcome="unhandled"');
    expect(metrics).toContain('type="payment_intent.succeeded",outcome="unknown_intent"');
  });

  it('refuses forged, tampered, expired and unsigned deliveries with 400 and a security event', async () => {
    const { bookingId, intentId } = await authorised();
    const pi = { ...stripe.intents.get(intentId)!, status: 'canceled' };
    const before = await t.ctx.metrics.registry.getSingleMetricAsString('clockpilot_security_events_total');
    const now = Math.floor(clock.now().getTime() / 1000);
    const forged = await send('payment_intent.canceled', pi, { secret: `whsec_${'x'.repeat(32)}` });
    const expired = await send('payment_intent.canceled', pi, { timestamp: now - 301 });
    const unsigned = await send('payment_intent.canceled', pi, { signature: '' });
    // A valid signature of one body does not carry over to another.
    const body = JSON.stringify({
      id: 'evt_tampered',
      object: 'event',
      created: now,
      type: 'payment_intent.amount_capturable_updated',
      data: { object: pi },
    });
    const tampered = await t.app.inject({
      method: 'POST',
      url: '/api/v1/stripe/webhook',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': Stripe.webhooks.generateTestHeaderString({
          payload: body,
          secret: WHSEC,
          timestamp: now,
        }),
      },
      payload: body.replace('amount_capturable_updated', 'canceled'),
    });
    for (const res of [forged, expired, unsigned])
      expect(res).toMatchObject({ status: 400, body: { code: 'bad_request' } });
    expect(tampered.statusCode).toBe(400);
    expect((await paymentOf(bookingId)).status).toBe('authorized');
    const after = await t.ctx.metrics.registry.getSingleMetricAsString('clockpilot_security_events_total');
    const count = (s: string) => Number(/type="webhook_signature_invalid"} (\d+)/.exec(s)?.[1] ?? 0);
    expect(count(after) - count(before)).toBe(4);
    // Within the tolerance a signature made 299 s ago still counts.
    expect((await send('customer.updated', {}, { timestamp: now - 299 })).status).toBe(200);
  });

  it('refuses a signed body that is not a Stripe event with 400', async () => {
    const timestamp = Math.floor(clock.now().getTime() / 1000);
    const bodies = ['null', '[]', '{"id":"evt_bare","type":"customer.created"}'];
    bodies.push(JSON.stringify({ id: 'evt_nodate', type: 'customer.created', data: { object: {} } }));
    for (const payload of bodies) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/stripe/webhook',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: WHSEC, timestamp }),
        },
        payload,
      });
      expect([res.statusCode, res.json().code]).toEqual([400, 'bad_request']);
    }
  });

  it('lists the renter their own payment notices only', async () => {
    const me = await loginAs(t);
    const other = await renterWithBooking(t);
    const { intentId } = await svc().port.authorize({
      bookingId: other.bookingId,
      amountMinor: 500,
      currency: 'EUR',
      customer: other.customer,
    });
    await send('payment_intent.payment_failed', {
      ...stripe.intents.get(intentId)!,
      last_payment_error: { message: 'no' },
    });
    const res = await request(t, me, 'GET', '/fleet/payment-notices');
    expect(res).toMatchObject({ status: 200, body: { items: [] } });
    expect((await request(t, null, 'GET', '/fleet/payment-notices')).status).toBe(401);
  });
});
