import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVehicle } from '../../../../test/factories/fleet';
import { deliverStripeEvent, paymentsOf } from '../../../../test/factories/fleet-payments';
import { type LoggedIn, loginAs, signIn } from '../../../../test/factories/identity';
import { type StripeServer, startStripeServer } from '../../../../test/fakes/stripe-server';
import { createTestApp, type TestApp, testClock } from '../../../../test/helpers';
import { request } from '../../../../test/http';

const clock = testClock();
const DAY = 86_400_000;
const SECRET = `whsec_${'w'.repeat(32)}`;
let stripe: StripeServer;
let t: TestApp;
let ann: LoggedIn;
let staff: LoggedIn;

beforeAll(async () => {
  stripe = await startStripeServer();
  t = await createTestApp({
    clock,
    env: { STRIPE_SECRET_KEY: 'sk_test_fleet', STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_URL: stripe.url },
  });
  ann = await loginAs(t, { role: 'customer' });
  staff = await loginAs(t, { role: 'manager' });
});
afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

/** A confirmed (or not) booking of a fresh vehicle for `ann`, starting `days` from now for two days. */
async function bookAndConfirm(days: number) {
  const v = await createVehicle(t, { dailyRateMinor: 5000, depositMinor: 20_000 });
  const startAt = new Date(clock.now().getTime() + days * DAY);
  const held = await request(t, ann, 'POST', '/fleet/bookings', {
    vehicleId: v.id,
    startAt: startAt.toISOString(),
    endAt: new Date(startAt.getTime() + 2 * DAY).toISOString(),
  });
  expect(held.status).toBe(201);
  const res = await request(t, ann, 'POST', `/fleet/bookings/${held.body.id}/confirm`);
  return { id: held.body.id as string, startAt, res };
}

describe('authorisations and the 7-day hold', () => {
  it('authorises a booking that starts within the window at confirmation', async () => {
    const calls = stripe.calls.length;
    const { res } = await bookAndConfirm(3);
    // Stripe's card asks its holder (3-D Secure) here: still held, with the client secret.
    expect(res.body).toMatchObject({ state: 'held', payment: { clientSecret: expect.any(String) } });
    expect(stripe.calls.length).toBe(calls + 1);
  });

  it('confirms a later booking at once, authorises it the lead time before pick-up, and cancels it when the card is declined', async () => {
    const calls = stripe.calls.length;
    const first = await bookAndConfirm(20);
    const second = await bookAndConfirm(20);
    const authorizeAt = new Date(first.startAt.getTime() - DAY).toISOString();
    expect(first.res.body).toMatchObject({
      state: 'confirmed',
      holdExpiresAt: null,
      payment: { intentId: null, authorizedMinor: 0, message: expect.stringContaining(authorizeAt) },
    });
    expect(stripe.calls.length).toBe(calls);

    clock.set(new Date(first.startAt.getTime() - DAY - 60_000));
    const job = () => paymentsOf(t).payments.authorizeDue();
    expect(await job()).toBe(0);
    clock.advance(60_000);
    stripe.declineNext('Your card has expired.');
    // Two runs at once (the job on another replica, say) authorise each booking once between them.
    const [x, y] = await Promise.all([job(), job()]);
    expect(x + y).toBe(2);
    expect(await job()).toBe(0);
    const keys = stripe.calls.slice(calls).map((c) => c.idempotencyKey);
    expect(keys.sort()).toEqual(
      [`fleet-booking-${first.id}-authorize`, `fleet-booking-${second.id}-authorize`].sort(),
    );

    ann = await signIn(t, ann.user);
    staff = await signIn(t, staff.user);
    const [a, b] = await Promise.all(
      [first.id, second.id].map(async (id) => (await request(t, ann, 'GET', `/fleet/bookings/${id}`)).body),
    );
    const [declined, asked] = a.state === 'cancelled' ? [a, b] : [b, a];
    // The declined one lets its vehicle go and the renter is told.
    expect(declined).toMatchObject({
      state: 'cancelled',
      payment: { message: expect.stringContaining('Your card has expired.') },
    });
    const notices = await request(t, ann, 'GET', '/fleet/payment-notices');
    expect(notices.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ bookingId: declined.id, message: expect.stringContaining('cancelled') }),
        expect.objectContaining({ bookingId: asked.id, message: expect.stringContaining('confirm it') }),
      ]),
    );
    // The other needs its holder: still confirmed, but it cannot leave before the card is held.
    expect(asked).toMatchObject({
      state: 'confirmed',
      payment: { intentId: expect.any(String), authorizedMinor: 0 },
    });
    const early = await request(t, staff, 'POST', `/fleet/bookings/${asked.id}/checkout`, {
      odometerKm: 10_000,
      fuelEighths: 8,
      photoIds: Object.fromEntries(['front', 'rear', 'left', 'right'].map((a) => [a, randomUUID()])),
    });
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/not authorised yet/);

    const held = await deliverStripeEvent(
      t,
      { type: 'payment_intent.amount_capturable_updated', object: stripe.authorize(asked.payment.intentId) },
      { secret: SECRET },
    );
    expect(held.body.outcome).toBe('applied');
    const after = await request(t, ann, 'GET', `/fleet/bookings/${asked.id}`);
    expect(after.body).toMatchObject({
      state: 'confirmed',
      payment: { authorizedMinor: 30_000, message: null },
    });
  });

  it('never authorises a booking cancelled before its scheduled authorisation', async () => {
    const { id, startAt } = await bookAndConfirm(20);
    ann = await signIn(t, ann.user);
    const cancelled = await request(t, ann, 'POST', `/fleet/bookings/${id}/cancel`);
    expect(cancelled.body).toMatchObject({ state: 'cancelled', payment: { capturedMinor: 0 } });

    const calls = stripe.calls.length;
    clock.set(new Date(startAt.getTime() - DAY + 60_000));
    expect(await paymentsOf(t).payments.authorizeDue()).toBe(0);
    expect(stripe.calls.length).toBe(calls);
    ann = await signIn(t, ann.user);
    const notices = await request(t, ann, 'GET', '/fleet/payment-notices');
    expect(notices.body.items.filter((n: { bookingId: string }) => n.bookingId === id)).toEqual([]);
  });

  it('charges nothing for a late cancellation or a no-show when no card was held, and releases the intent', async () => {
    ann = await signIn(t, ann.user);
    const late = await bookAndConfirm(20);
    const absent = await bookAndConfirm(20);
    clock.set(new Date(late.startAt.getTime() - DAY + 60_000));
    expect(await paymentsOf(t).payments.authorizeDue()).toBe(2);
    ann = await signIn(t, ann.user);
    const intentOf = async (id: string) =>
      (await request(t, ann, 'GET', `/fleet/bookings/${id}`)).body.payment.intentId as string;
    const [lateIntent, absentIntent] = [await intentOf(late.id), await intentOf(absent.id)];

    // Within the free-cancellation window, but there is no hold to take a fee from.
    const cancelled = await request(t, ann, 'POST', `/fleet/bookings/${late.id}/cancel`);
    expect(cancelled).toMatchObject({
      status: 200,
      body: { state: 'cancelled', payment: { capturedMinor: 0, message: null } },
    });
    expect(stripe.intents.get(lateIntent)!.status).toBe('canceled');

    clock.set(new Date(absent.startAt.getTime() + 2 * 3600_000));
    staff = await signIn(t, staff.user);
    const noShow = await request(t, staff, 'POST', `/fleet/bookings/${absent.id}/no-show`);
    expect(noShow).toMatchObject({ status: 200, body: { state: 'no_show', payment: { capturedMinor: 0 } } });
    expect(stripe.intents.get(absentIntent)!.status).toBe('canceled');
    expect(stripe.calls.filter((c) => c.path.endsWith('/capture'))).toEqual([]);
  });
});
