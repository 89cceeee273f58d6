import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { moduleServices, type TestApp } from '../helpers';
import { createUser } from './identity';

/** The fleet module's payment parts of a test app. */
export const paymentsOf = (t: TestApp) => moduleServices(t, 'fleet').integrations;

/** A renter and the id of a booking of theirs (bookings themselves are the fleet core's). */
export async function renterWithBooking(t: TestApp) {
  const user = await createUser(t, { role: 'employee' });
  return { user, customer: { userId: user.id, email: user.email }, bookingId: randomUUID() };
}

/**
 * Posts one Stripe event to the webhook endpoint, signed by the SDK's own signer with `secret` at
 * `timestamp` (seconds; the test clock's now by default).
 */
export async function deliverStripeEvent(
  t: TestApp,
  event: { id?: string; type: string; object: unknown; created?: number },
  sign: { secret: string; timestamp?: number; signature?: string },
) {
  const created = event.created ?? Math.floor(t.ctx.clock.now().getTime() / 1000);
  const payload = JSON.stringify({
    id: event.id ?? `evt_${randomUUID().replace(/-/g, '')}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created,
    livemode: false,
    type: event.type,
    data: { object: event.object },
  });
  const timestamp = sign.timestamp ?? Math.floor(t.ctx.clock.now().getTime() / 1000);
  const signature =
    sign.signature ?? Stripe.webhooks.generateTestHeaderString({ payload, secret: sign.secret, timestamp });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/stripe/webhook',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    payload,
  });
  return { status: res.statusCode, body: res.json() as { outcome?: string; code?: string }, payload };
}
