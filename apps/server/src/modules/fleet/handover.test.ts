import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANDOVER_ANGLES } from '@clockpilot/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVehicle, useTestProviders } from '../../../test/factories/fleet';
import { type LoggedIn, loginAs } from '../../../test/factories/identity';
import { createTestApp, type TestApp, testClock } from '../../../test/helpers';
import { errorPaths, request } from '../../../test/http';

const clock = testClock(new Date('2026-11-23T09:00:00Z'));
const dataDir = mkdtempSync(join(tmpdir(), 'fleet-photos-'));
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 1)]);
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.alloc(64, 2)]);
let t: TestApp;
let providers: ReturnType<typeof useTestProviders>;
let staff: LoggedIn;
let renter: LoggedIn;
let other: LoggedIn;

beforeAll(async () => {
  t = await createTestApp({ clock, env: { DATA_DIR: dataDir, FLEET_PHOTO_MAX_BYTES: '4096' } });
  providers = useTestProviders(t);
  staff = await loginAs(t, { role: 'manager' });
  renter = await loginAs(t, { role: 'customer' });
  other = await loginAs(t, { role: 'customer' });
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Sends one file as multipart/form-data, named and typed as the client claims. */
function upload(as: LoggedIn, url: string, data: Buffer, claimedType = 'image/png') {
  const boundary = '----fleet-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.png"\r\nContent-Type: ${claimedType}\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/fleet${url}`,
    headers: { ...as.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
}

async function photosFor(bookingId: string) {
  const ids: Record<string, string> = {};
  for (const angle of HANDOVER_ANGLES) {
    const res = await upload(staff, `/bookings/${bookingId}/photos?angle=${angle}`, JPEG);
    expect(res.statusCode).toBe(201);
    ids[angle] = res.json().id;
  }
  return ids;
}

async function confirmedBooking(vehicle: { id: string }, startAt: string, endAt: string) {
  const held = await request(t, renter, 'POST', '/fleet/bookings', { vehicleId: vehicle.id, startAt, endAt });
  expect(held.status).toBe(201);
  const confirmed = await request(t, renter, 'POST', `/fleet/bookings/${held.body.id}/confirm`);
  expect(confirmed.body.state).toBe('confirmed');
  return confirmed.body as { id: string; payment: { intentId: string; authorizedMinor: number } };
}

describe('photos', () => {
  it('stores an image under the data folder and serves it with safe headers to those allowed', async () => {
    const v = await createVehicle(t);
    const res = await upload(staff, `/vehicles/${v.id}/photos`, PNG, 'image/jpeg');
    expect(res.statusCode).toBe(201);
    // The type comes from the content, not from what the client claimed.
    expect(res.json()).toMatchObject({ contentType: 'image/png', bytes: PNG.length, bookingId: null });
    expect(readdirSync(join(dataDir, 'fleet-photos'))).toContain(res.json().id);

    const got = await t.app.inject({
      method: 'GET',
      url: `/api/v1/fleet/photos/${res.json().id}`,
      headers: renter.headers,
    });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['cache-control']).toBe('private, max-age=86400, immutable');
    expect(got.rawPayload.equals(PNG)).toBe(true);
    expect((await request(t, null, 'GET', `/fleet/photos/${res.json().id}`)).status).toBe(401);
    expect((await request(t, renter, 'GET', `/fleet/vehicles/${v.id}`)).body.photoIds).toEqual([
      res.json().id,
    ]);
  });

  it('refuses what is not an image (415), what is too large (413) and non-staff uploads', async () => {
    const v = await createVehicle(t);
    const html = await upload(
      staff,
      `/vehicles/${v.id}/photos`,
      Buffer.from('<html><script>alert(1)</script></html>'),
    );
    expect([html.statusCode, html.json().code]).toEqual([415, 'unsupported_media_type']);
    const big = await upload(staff, `/vehicles/${v.id}/photos`, Buffer.concat([PNG, Buffer.alloc(5000)]));
    expect(big.statusCode).toBe(413);
    const json = await request(t, staff, 'POST', `/fleet/vehicles/${v.id}/photos`, { file: 'x' });
    expect(json.status).toBe(415);
    expect((await upload(renter, `/vehicles/${v.id}/photos`, PNG)).statusCode).toBe(403);
    expect(readdirSync(join(dataDir, 'fleet-photos'))).toHaveLength(1);
  });
});

describe('check-out and return', () => {
  it('needs an approved verification with a licence valid to the end', async () => {
    const v = await createVehicle(t);
    const b = await confirmedBooking(v, '2026-11-23T10:00:00Z', '2026-11-25T10:00:00Z');
    const photoIds = await photosFor(b.id);
    const body = { odometerKm: 10_000, fuelEighths: 8, photoIds };
    const unverified = await request(t, staff, 'POST', `/fleet/bookings/${b.id}/checkout`, body);
    expect([unverified.status, unverified.body.detail]).toEqual([
      409,
      expect.stringContaining('not verified'),
    ]);
    providers.verification.approve(renter.user.id, '2026-11-24');
    const expiring = await request(t, staff, 'POST', `/fleet/bookings/${b.id}/checkout`, body);
    expect([expiring.status, expiring.body.detail]).toEqual([409, expect.stringContaining('2026-11-24')]);
    providers.verification.approve(renter.user.id);
    const missing = await request(t, staff, 'POST', `/fleet/bookings/${b.id}/checkout`, {
      ...body,
      photoIds: { ...photoIds, rear: photoIds.front },
    });
    expect([missing.status, errorPaths(missing.body)]).toEqual([422, ['body.photoIds.rear']]);
    expect((await request(t, renter, 'POST', `/fleet/bookings/${b.id}/checkout`, body)).status).toBe(403);
    const out = await request(t, staff, 'POST', `/fleet/bookings/${b.id}/checkout`, body);
    expect(out.body).toMatchObject({
      state: 'checked_out',
      checkout: { odometerKm: 10_000, fuelEighths: 8 },
    });
    // The renter sees their hand-over photos; another renter does not.
    expect((await request(t, renter, 'GET', `/fleet/photos/${photoIds.front}`)).status).toBe(200);
    expect((await request(t, other, 'GET', `/fleet/photos/${photoIds.front}`)).status).toBe(404);
  });

  it('bills extra kilometres, lateness and new damage, and captures at most what was authorised', async () => {
    providers.verification.approve(renter.user.id);
    const v = await createVehicle(t, {
      dailyRateMinor: 4000,
      depositMinor: 50_000,
      kmPerDay: 200,
      extraKmMinor: 30,
    });
    const b = await confirmedBooking(v, '2026-11-23T10:00:00Z', '2026-11-25T10:00:00Z');
    expect(b.payment.authorizedMinor).toBe(58_000);
    await request(t, staff, 'POST', `/fleet/bookings/${b.id}/checkout`, {
      odometerKm: 10_000,
      fuelEighths: 8,
      photoIds: await photosFor(b.id),
      damage: [{ area: 'rear bumper', severity: 'scratch' }],
    });
    // Back 2 h 10 min late, 500 km driven (100 over), a new dent; the old scratch is not billed again.
    clock.set('2026-11-25T12:10:00Z');
    staff = await loginAs(t, { role: 'manager' });
    try {
      const back = await request(t, staff, 'POST', `/fleet/bookings/${b.id}/return`, {
        odometerKm: 10_500,
        fuelEighths: 6,
        photoIds: await photosFor(b.id),
        damage: [
          { area: 'Rear bumper', severity: 'scratch' },
          { area: 'driver door', severity: 'dent', note: 'parking' },
        ],
      });
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({
        state: 'closed',
        charges: {
          rentalMinor: 8000,
          extraKmMinor: 3000,
          lateFeeMinor: 3000,
          damageMinor: 15_000,
          totalMinor: 29_000,
          capturedMinor: 29_000,
          outstandingMinor: 0,
        },
        payment: { capturedMinor: 29_000 },
      });
      expect(providers.payments.intents.get(b.payment.intentId)).toMatchObject({
        state: 'captured',
        capturedMinor: 29_000,
      });
    } finally {
      clock.set('2026-11-23T09:00:00Z');
      staff = await loginAs(t, { role: 'manager' });
    }
  });

  it('stays returned with the reason when the capture fails, and settles on retry', async () => {
    providers.verification.approve(renter.user.id);
    const v = await createVehicle(t);
    const b = await confirmedBooking(v, '2026-11-23T10:00:00Z', '2026-11-24T10:00:00Z');
    await request(t, staff, 'POST', `/fleet/bookings/${b.id}/checkout`, {
      odometerKm: 10_000,
      fuelEighths: 8,
      photoIds: await photosFor(b.id),
    });
    const photoIds = await photosFor(b.id);
    providers.payments.state.mode = 'down';
    try {
      const back = await request(t, staff, 'POST', `/fleet/bookings/${b.id}/return`, {
        odometerKm: 10_100,
        fuelEighths: 8,
        photoIds,
      });
      expect(back.body).toMatchObject({
        state: 'returned',
        payment: { capturedMinor: 0, message: expect.stringContaining('retry') },
      });
    } finally {
      providers.payments.state.mode = 'ok';
    }
    const settled = await request(t, staff, 'POST', `/fleet/bookings/${b.id}/settle`);
    expect(settled.body).toMatchObject({ state: 'closed', payment: { capturedMinor: 4000, message: null } });
  });
});
