import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentsOf, renterWithBooking } from '../../../../test/factories/fleet-payments';
import { type StripeServer, startStripeServer } from '../../../../test/fakes/stripe-server';
import { createTestApp, type TestApp, testClock } from '../../../../test/helpers';
import { fleetPaymentNotices } from './payments.tables';

const clock = testClock();
const DAY = 86_400_000;
let stripe: StripeServer;
let t: TestApp;
const changes: Array<{ bookingId: string; status: string }> = [];

beforeAll(async () => {
  stripe = await startStripeServer();
  t = await createTestApp({
    clock,
    env: {
      STRIPE_SECRET_KEY: 'sk_test_fleet',
      STRIPE_WEBHOOK_SECRET: `whsec_${'w'.repeat(32)}`,
      STRIPE_API_URL: stripe.url,
    },
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
const paymentOf = async (bookingId: string) => (await svc().forBooking(bookingId))[0]!;

describe('authorisations and the 7-day hold', () => {
  it('authorises at once when the hold outlives pick-up', async () => {
    const { bookingId, customer } = await renterWithBooking(t);
    const startAt = new Date(clock.now().getTime() + 3 * DAY);
    const answer = await svc().authorizeBooking({
      bookingId,
      amountMinor: 12_000,
      currency: 'EUR',
      customer,
      startAt,
    });
    expect(answer.status).toBe('requires_action');
  });

  it('schedules a later booking, authorises it the lead time before pick-up and tells the renter when that fails', async () => {
    const { bookingId, customer } = await renterWithBooking(t);
    const late = await renterWithBooking(t);
    const startAt = new Date(clock.now().getTime() + 20 * DAY);
    const calls = stripe.calls.length;
    const scheduled = await svc().authorizeBooking({
      bookingId,
      amountMinor: 12_000,
      currency: 'EUR',
      customer,
      startAt,
    });
    await svc().authorizeBooking({
      bookingId: late.bookingId,
      amountMinor: 8_000,
      currency: 'EUR',
      customer: late.customer,
      startAt,
    });
    expect(scheduled).toEqual({ status: 'scheduled', authorizeAt: new Date(startAt.getTime() - DAY) });
    expect(stripe.calls.length).toBe(calls);

    clock.set(new Date(startAt.getTime() - DAY - 60_000));
    expect(await svc().authorizeDue()).toBe(0);
    clock.advance(60_000);
    stripe.declineNext('Your card has expired.');
    expect(await svc().authorizeDue()).toBe(2);
    const keys = stripe.calls.slice(calls).map((c) => c.idempotencyKey);
    expect(keys.sort()).toEqual(
      [`fleet-booking-${bookingId}-authorize`, `fleet-booking-${late.bookingId}-authorize`].sort(),
    );
    // The hold now lasts 7 days from here, past pick-up.
    const statuses = [(await paymentOf(bookingId)).status, (await paymentOf(late.bookingId)).status].sort();
    expect(statuses).toEqual(['failed', 'requires_action']);
    const failed = (await paymentOf(bookingId)).status === 'failed' ? bookingId : late.bookingId;
    const notices = await t.ctx.db
      .select()
      .from(fleetPaymentNotices)
      .where(eq(fleetPaymentNotices.bookingId, failed));
    expect(notices).toMatchObject([
      { kind: 'authorization_failed', message: expect.stringContaining('Your card has expired.') },
    ]);
    expect(changes.filter((c) => c.bookingId === failed).map((c) => c.status)).toEqual(['failed']);
    expect(await svc().authorizeDue()).toBe(0);
  });
});
