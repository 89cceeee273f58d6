import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVehicle, useTestProviders } from '../../../test/factories/fleet';
import { type LoggedIn, loginAs } from '../../../test/factories/identity';
import { createTestApp, moduleServices, type TestApp, testClock } from '../../../test/helpers';
import { errorPaths, request } from '../../../test/http';
import { AppError } from '../../platform/errors';

const clock = testClock(new Date('2026-11-23T09:00:00Z'));
let t: TestApp;
let providers: ReturnType<typeof useTestProviders>;
let staff: LoggedIn;
let ann: LoggedIn;
let bob: LoggedIn;

beforeAll(async () => {
  // Holds short enough that access tokens (15 minutes) outlive them when the clock moves on.
  t = await createTestApp({ clock, env: { FLEET_HOLD_MINUTES: '5' } });
  providers = useTestProviders(t);
  staff = await loginAs(t, { role: 'manager' });
  ann = await loginAs(t, { role: 'customer' });
  bob = await loginAs(t, { role: 'employee' });
});
afterAll(() => t.close());

const book = (as: LoggedIn, vehicleId: string, startAt: string, endAt: string, extra: object = {}) =>
  request(t, as, 'POST', '/fleet/bookings', { vehicleId, startAt, endAt, ...extra });

describe('holds', () => {
  it('holds the vehicle for the caller at the server’s price', async () => {
    const v = await createVehicle(t, { dailyRateMinor: 4500, depositMinor: 30_000, kmPerDay: 100 });
    const res = await book(ann, v.id, '2026-12-01T10:00:00Z', '2026-12-03T12:00:00Z', { extras: ['gps'] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      state: 'held',
      userId: ann.user.id,
      holdExpiresAt: '2026-11-23T09:05:00.000Z',
      busyUntil: '2026-12-03T13:00:00.000Z',
      // 50 hours: three started days.
      quote: {
        days: 3,
        rentalMinor: 13_500,
        extrasMinor: 1200,
        totalMinor: 14_700,
        authorizeMinor: 44_700,
        kmAllowance: 300,
      },
    });
  });

  it('refuses a price, an amount or any unknown field in the body', async () => {
    const v = await createVehicle(t);
    for (const extra of [{ totalMinor: 1 }, { price: 0 }, { quote: { totalMinor: 1 } }]) {
      const res = await book(ann, v.id, '2026-12-01T10:00:00Z', '2026-12-02T10:00:00Z', extra);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      // The platform's rule for a body its contract refuses: 400 validation_failed naming the key.
      expect(res.body.code).toBe('validation_failed');
      expect(JSON.stringify(res.body.errors)).toContain(Object.keys(extra)[0]);
    }
    const wrong = await book(ann, v.id, '2026-12-02T10:00:00Z', '2026-12-01T10:00:00Z');
    expect(errorPaths(wrong.body)).toEqual(['body.endAt']);
    const past = await book(ann, v.id, '2026-11-01T10:00:00Z', '2026-11-02T10:00:00Z');
    expect([past.status, errorPaths(past.body)]).toEqual([422, ['body.startAt']]);
  });

  it('answers 409 naming the booking that holds the vehicle, turnaround included', async () => {
    const v = await createVehicle(t);
    const first = await book(ann, v.id, '2026-12-05T10:00:00Z', '2026-12-06T10:00:00Z');
    // Starts 30 minutes after the first ends: inside the 60-minute turnaround.
    const second = await book(bob, v.id, '2026-12-06T10:30:00Z', '2026-12-07T10:00:00Z');
    expect(second.status).toBe(409);
    expect(second.body.detail).toContain(first.body.id);
    expect(second.body.conflict).toMatchObject({
      kind: 'booking',
      id: first.body.id,
      busyUntil: '2026-12-06T11:00:00.000Z',
    });
    // After the buffer it is free.
    expect((await book(bob, v.id, '2026-12-06T11:00:00Z', '2026-12-07T10:00:00Z')).status).toBe(201);
  });

  it('expires unpaid holds by the job and frees the vehicle', async () => {
    const v = await createVehicle(t);
    const held = await book(ann, v.id, '2026-12-10T10:00:00Z', '2026-12-11T10:00:00Z');
    clock.advance(6 * 60_000);
    try {
      expect(await moduleServices(t, 'fleet').bookings.expireHolds()).toBeGreaterThanOrEqual(1);
      const after = await request(t, ann, 'GET', `/fleet/bookings/${held.body.id}`);
      expect(after.body).toMatchObject({ state: 'expired', holdExpiresAt: null });
      expect((await book(bob, v.id, '2026-12-10T10:00:00Z', '2026-12-11T10:00:00Z')).status).toBe(201);
      const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/clockpilot_fleet_holds_expired_total [1-9]/);
      expect(metrics.body).toMatch(/clockpilot_fleet_bookings\{state="expired"\} [1-9]/);
    } finally {
      clock.set('2026-11-23T09:00:00Z');
    }
  });

  it('does not let a lapsed hold block a new booking before the sweep runs', async () => {
    const v = await createVehicle(t);
    const held = await book(ann, v.id, '2026-12-12T10:00:00Z', '2026-12-13T10:00:00Z');
    clock.advance(5 * 60_000);
    try {
      expect((await book(bob, v.id, '2026-12-12T10:00:00Z', '2026-12-13T10:00:00Z')).status).toBe(201);
      expect((await request(t, ann, 'GET', `/fleet/bookings/${held.body.id}`)).body.state).toBe('expired');
    } finally {
      clock.set('2026-11-23T09:00:00Z');
    }
  });
});

describe('confirmation', () => {
  it('confirms once rental and deposit are authorised', async () => {
    const v = await createVehicle(t, { dailyRateMinor: 5000, depositMinor: 20_000 });
    const held = await book(ann, v.id, '2026-12-15T10:00:00Z', '2026-12-17T10:00:00Z');
    const res = await request(t, ann, 'POST', `/fleet/bookings/${held.body.id}/confirm`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      state: 'confirmed',
      holdExpiresAt: null,
      payment: { authorizedMinor: 30_000 },
    });
    expect(providers.payments.calls.at(-1)).toMatchObject({
      op: 'authorize',
      bookingId: held.body.id,
      amountMinor: 30_000,
      currency: 'EUR',
      customer: { userId: ann.user.id, email: ann.user.email },
    });
  });

  it('keeps the booking held with the reason when the card is declined or the provider is down', async () => {
    const v = await createVehicle(t);
    const held = await book(ann, v.id, '2026-12-18T10:00:00Z', '2026-12-19T10:00:00Z');
    const url = `/fleet/bookings/${held.body.id}/confirm`;
    try {
      providers.payments.state.mode = 'decline';
      const declined = await request(t, ann, 'POST', url);
      expect([declined.status, declined.body.detail]).toEqual([422, expect.stringContaining('declined')]);
      providers.payments.state.mode = 'down';
      const down = await request(t, ann, 'POST', url);
      expect(down.status).toBe(503);
      expect(down.headers['retry-after']).toBe('30');
      const now = await request(t, ann, 'GET', `/fleet/bookings/${held.body.id}`);
      expect(now.body).toMatchObject({
        state: 'held',
        payment: { authorizedMinor: 0, message: expect.stringContaining('could not be reached') },
      });
    } finally {
      providers.payments.state.mode = 'ok';
    }
    expect((await request(t, ann, 'POST', url)).body.state).toBe('confirmed');
  });

  it('does not confirm a hold that has lapsed', async () => {
    const v = await createVehicle(t);
    const held = await book(ann, v.id, '2026-12-20T10:00:00Z', '2026-12-21T10:00:00Z');
    clock.advance(7 * 60_000);
    try {
      const res = await request(t, ann, 'POST', `/fleet/bookings/${held.body.id}/confirm`);
      expect(res.status).toBe(409);
    } finally {
      clock.set('2026-11-23T09:00:00Z');
    }
  });
});

describe('cancellation', () => {
  it('releases the authorisation when early and charges one day when late', async () => {
    const v = await createVehicle(t, { dailyRateMinor: 6000 });
    const early = await book(ann, v.id, '2026-12-22T10:00:00Z', '2026-12-23T10:00:00Z');
    await request(t, ann, 'POST', `/fleet/bookings/${early.body.id}/confirm`);
    const cancelled = await request(t, ann, 'POST', `/fleet/bookings/${early.body.id}/cancel`, {
      reason: 'Plans changed',
    });
    expect(cancelled.body).toMatchObject({ state: 'cancelled', payment: { capturedMinor: 0 } });
    expect(providers.payments.intents.get(cancelled.body.payment.intentId)?.state).toBe('canceled');

    const late = await book(ann, v.id, '2026-11-24T08:00:00Z', '2026-11-25T08:00:00Z');
    await request(t, ann, 'POST', `/fleet/bookings/${late.body.id}/confirm`);
    const charged = await request(t, ann, 'POST', `/fleet/bookings/${late.body.id}/cancel`);
    expect(charged.body).toMatchObject({ state: 'cancelled', payment: { capturedMinor: 6000 } });
    // Cancelled bookings free the vehicle.
    expect((await book(bob, v.id, '2026-11-24T08:00:00Z', '2026-11-25T08:00:00Z')).status).toBe(201);
  });

  it('says the provider’s refusal as it is, not as an outage to retry', async () => {
    const v = await createVehicle(t);
    const held = await book(ann, v.id, '2026-12-26T10:00:00Z', '2026-12-27T10:00:00Z');
    await request(t, ann, 'POST', `/fleet/bookings/${held.body.id}/confirm`);
    const refusal = 'The payment cannot be cancelled: it has a status of succeeded';
    const cancel = vi
      .spyOn(providers.payments.port, 'cancel')
      .mockRejectedValueOnce(new AppError('conflict', refusal));
    try {
      const res = await request(t, ann, 'POST', `/fleet/bookings/${held.body.id}/cancel`);
      expect([res.status, res.body.detail, res.headers['retry-after']]).toEqual([409, refusal, undefined]);
      const now = await request(t, ann, 'GET', `/fleet/bookings/${held.body.id}`);
      expect(now.body).toMatchObject({ state: 'confirmed', payment: { message: refusal } });
    } finally {
      cancel.mockRestore();
    }
  });
});

describe('who sees what', () => {
  it('shows renters their own bookings only and staff all of them', async () => {
    const v = await createVehicle(t);
    const mine = await book(ann, v.id, '2027-01-05T10:00:00Z', '2027-01-06T10:00:00Z');
    const his = await book(bob, v.id, '2027-01-08T10:00:00Z', '2027-01-09T10:00:00Z');
    const annList = await request(t, ann, 'GET', `/fleet/bookings?vehicleId=${v.id}`);
    expect(annList.body.items.map((b: { id: string }) => b.id)).toEqual([mine.body.id]);
    // Asking for someone else's does not widen a renter's view.
    const probe = await request(t, ann, 'GET', `/fleet/bookings?vehicleId=${v.id}&userId=${bob.user.id}`);
    expect(probe.body.items.map((b: { id: string }) => b.id)).toEqual([mine.body.id]);
    expect((await request(t, ann, 'GET', `/fleet/bookings/${his.body.id}`)).status).toBe(404);
    expect((await request(t, ann, 'POST', `/fleet/bookings/${his.body.id}/cancel`)).status).toBe(404);
    const staffList = await request(t, staff, 'GET', `/fleet/bookings?vehicleId=${v.id}`);
    expect(staffList.body.items.map((b: { id: string }) => b.id).sort()).toEqual(
      [mine.body.id, his.body.id].sort(),
    );
  });
});
