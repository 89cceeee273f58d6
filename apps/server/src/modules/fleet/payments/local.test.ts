import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVehicle } from '../../../../test/factories/fleet';
import { paymentsOf, renterWithBooking } from '../../../../test/factories/fleet-payments';
import { type LoggedIn, loginAs, signIn } from '../../../../test/factories/identity';
import { createTestApp, type TestApp } from '../../../../test/helpers';
import { request } from '../../../../test/http';
import { paymentProblems } from '../../../config/options/payments';
import { fleetPaymentEvents } from './payments.tables';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({});
});
afterAll(() => t?.close());

const svc = () => paymentsOf(t).payments;
const statusOf = async (bookingId: string) => (await svc().forBooking(bookingId))[0]?.status;
/** The local provider's webhooks arrive through a job, like Stripe's deliveries: wait for them. */
const arrives = (bookingId: string, status: string) =>
  vi.waitFor(async () => expect(await statusOf(bookingId)).toBe(status), { timeout: 20_000, interval: 200 });

async function renter() {
  const r = await renterWithBooking(t);
  return { ...r, me: await signIn(t, r.user) };
}

describe('local payment provider', () => {
  it('holds the card on the test-card page and reports it through the signed webhook', async () => {
    const { bookingId, customer, me } = await renter();
    expect((await request(t, me, 'GET', '/fleet/payment-settings')).body).toEqual({
      provider: 'local',
      verificationProvider: 'local',
    });
    const answer = await svc().port.authorize({ bookingId, amountMinor: 30_000, currency: 'EUR', customer });
    expect(answer).toMatchObject({
      status: 'requires_action',
      clientSecret: `${answer.intentId}_secret_local`,
    });

    const stranger: LoggedIn = await loginAs(t);
    expect(
      (await request(t, stranger, 'POST', `/fleet/local-payments/${answer.intentId}/succeed`)).status,
    ).toBe(404);
    expect((await request(t, me, 'POST', `/fleet/local-payments/${answer.intentId}/succeed`)).body).toEqual({
      status: 'requires_capture',
    });
    await arrives(bookingId, 'authorized');
    expect((await request(t, me, 'POST', `/fleet/local-payments/${answer.intentId}/fail`)).status).toBe(409);

    expect(await svc().port.capture({ bookingId, intentId: answer.intentId, amountMinor: 21_000 })).toEqual({
      status: 'captured',
    });
    // The provider's own succeeded event follows, by a job: it finds the capture recorded (stale), or,
    // when the job runs before the capture's answer is stored, records it itself (as Stripe's may).
    await vi.waitFor(
      async () => {
        const events = await t.ctx.db
          .select()
          .from(fleetPaymentEvents)
          .where(eq(fleetPaymentEvents.intentId, answer.intentId));
        const outcomes = events.map((e) => [e.type, e.outcome]).sort();
        expect(outcomes).toHaveLength(2);
        expect(outcomes[0]).toEqual(['payment_intent.amount_capturable_updated', 'applied']);
        expect(outcomes[1]?.[0]).toBe('payment_intent.succeeded');
        expect(['stale', 'applied']).toContain(outcomes[1]?.[1]);
      },
      { timeout: 20_000, interval: 200 },
    );
    expect((await svc().forBooking(bookingId))[0]).toMatchObject({
      status: 'captured',
      amountCaptured: 21_000,
    });
  });

  it('declines on the test-card page, tells the renter and lets them try again', async () => {
    const { bookingId, customer, me } = await renter();
    const { intentId } = await svc().port.authorize({
      bookingId,
      amountMinor: 5_000,
      currency: 'EUR',
      customer,
    });
    expect((await request(t, me, 'POST', `/fleet/local-payments/${intentId}/fail`)).status).toBe(200);
    await arrives(bookingId, 'failed');
    expect((await request(t, me, 'GET', '/fleet/payment-notices')).body.items).toMatchObject([
      { bookingId, kind: 'payment_failed' },
    ]);
    const retry = await svc().port.authorize({ bookingId, amountMinor: 5_000, currency: 'EUR', customer });
    expect(retry.intentId).not.toBe(intentId);
  });

  it('refuses ids that are not local payments', async () => {
    const me = await loginAs(t);
    expect((await request(t, me, 'POST', '/fleet/local-payments/pi_123/succeed')).status).toBe(400);
    expect(
      (await request(t, me, 'POST', `/fleet/local-payments/pi_local_${'0'.repeat(24)}/refund`)).status,
    ).toBe(400);
  });
});

describe('bookings with the local provider', () => {
  it("confirms a held booking once the renter's card is held on the test-card page", async () => {
    const v = await createVehicle(t, { dailyRateMinor: 5000, depositMinor: 20_000 });
    const renter = await loginAs(t, { role: 'customer' });
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
    const held = await request(t, renter, 'POST', '/fleet/bookings', {
      vehicleId: v.id,
      startAt: day(2),
      endAt: day(4),
    });
    expect(held.status).toBe(201);
    const asked = await request(t, renter, 'POST', `/fleet/bookings/${held.body.id}/confirm`);
    expect(asked.body).toMatchObject({
      state: 'held',
      payment: { clientSecret: expect.stringMatching(/^pi_local_\w+_secret_local$/) },
    });
    const intentId = asked.body.payment.clientSecret.replace('_secret_local', '');
    expect((await request(t, renter, 'POST', `/fleet/local-payments/${intentId}/succeed`)).status).toBe(200);
    await vi.waitFor(
      async () =>
        expect((await request(t, renter, 'GET', `/fleet/bookings/${held.body.id}`)).body.state).toBe(
          'confirmed',
        ),
      { timeout: 20_000, interval: 200 },
    );
    expect(await statusOf(held.body.id)).toBe('authorized');
  });
});

describe('local verification provider', () => {
  it('lets the renter (or an admin) approve with a licence date, through the signed webhook', async () => {
    const me = await loginAs(t);
    const started = await request(t, me, 'POST', '/fleet/verification');
    expect(started.body).toMatchObject({
      state: 'pending',
      url: expect.stringContaining(`/fleet/verification/local/${started.body.inquiryId}`),
    });
    const path = `/fleet/local-verifications/${started.body.inquiryId}/approve`;
    expect(
      (await request(t, await loginAs(t), 'POST', path, { licenceExpiresOn: '2032-01-31' })).status,
    ).toBe(404);
    expect((await request(t, me, 'POST', path, { licenceExpiresOn: '2032-01-31', amount: 1 })).status).toBe(
      400,
    );
    const approved = await request(t, me, 'POST', path, { licenceExpiresOn: '2032-01-31' });
    expect(approved.body).toEqual({ state: 'approved', licenceExpiresOn: '2032-01-31' });
    const admin = await loginAs(t, { role: 'admin' });
    const declined = await request(
      t,
      admin,
      'POST',
      `/fleet/local-verifications/${started.body.inquiryId}/decline`,
    );
    expect(declined.body).toEqual({ state: 'declined', licenceExpiresOn: '2032-01-31' });
  });
});

describe('production refuses what would take or check nothing for real', () => {
  const base = {
    payments: { allowLocalProviders: false },
    verification: {},
  };
  it('refuses the local providers unless allowed', () => {
    expect(paymentProblems(base, true)).toEqual([
      expect.stringMatching(/^FLEET_PAYMENTS_PROVIDER: the local provider takes no money/),
      expect.stringMatching(/^FLEET_VERIFICATION_PROVIDER: the local provider checks nobody/),
    ]);
    expect(paymentProblems({ ...base, payments: { allowLocalProviders: true } }, true)).toEqual([]);
    expect(paymentProblems(base, false)).toEqual([]);
  });

  it('refuses live payments and verifications without their webhook secrets', () => {
    const live = {
      payments: { stripeSecretKey: 'sk_live_x', allowLocalProviders: false },
      verification: { personaApiKey: 'k', personaTemplateId: 'itmpl_x' },
    };
    expect(paymentProblems(live, true)).toEqual([
      expect.stringMatching(/^STRIPE_WEBHOOK_SECRET: required in production/),
      expect.stringMatching(/^PERSONA_WEBHOOK_SECRET: required in production/),
    ]);
    const signed = {
      payments: { ...live.payments, stripeWebhookSecret: 'whsec_x' },
      verification: { ...live.verification, personaWebhookSecret: 's' },
    };
    expect(paymentProblems(signed, true)).toEqual([]);
  });

  it('stops the boot with the list', async () => {
    await expect(
      createTestApp({
        env: {
          APP_MODE: 'production',
          ALLOW_EMBEDDED_DB: 'true',
          PUBLIC_URL: 'https://fleet.example.com',
          STRIPE_SECRET_KEY: 'sk_live_abc',
        },
      }),
    ).rejects.toThrow(/STRIPE_WEBHOOK_SECRET: required in production[\s\S]*FLEET_VERIFICATION_PROVIDER/);
  });
});
