import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVehicle, randomVin, vehicleInput } from '../../../test/factories/fleet';
import { type LoggedIn, loginAs } from '../../../test/factories/identity';
import { auditTrail, createTestApp, type TestApp, testClock } from '../../../test/helpers';
import { errorPaths, request } from '../../../test/http';
import { isValidVin } from './vin';

const clock = testClock(new Date('2026-11-23T09:00:00Z'));
let t: TestApp;
let admin: LoggedIn;
let renter: LoggedIn;

beforeAll(async () => {
  t = await createTestApp({ clock });
  admin = await loginAs(t, { role: 'admin' });
  renter = await loginAs(t, { role: 'customer' });
});
afterAll(() => t.close());

describe('vehicles', () => {
  it('knows real VIN check digits', () => {
    expect(isValidVin('1M8GDM9AXKP042788')).toBe(true);
    expect(isValidVin('1M8GDM9A1KP042788')).toBe(false);
    expect(isValidVin('11111111111111111')).toBe(true);
  });

  it('creates a vehicle with a normalised plate, audited', async () => {
    const body = vehicleInput({ plate: 'ab-123 cd' });
    const res = await request(t, admin, 'POST', '/fleet/vehicles', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      plate: 'AB123CD',
      status: 'available',
      serviceDue: false,
      photoIds: [],
    });
    expect(await auditTrail(t, res.body.id, 'fleet.vehicle.created')).toHaveLength(1);
    const again = await request(t, admin, 'POST', '/fleet/vehicles', {
      ...vehicleInput(),
      plate: 'AB 123 CD',
    });
    expect([again.status, errorPaths(again.body)]).toEqual([409, ['body.plate']]);
    const sameVin = await request(t, admin, 'POST', '/fleet/vehicles', { ...vehicleInput(), vin: body.vin });
    expect([sameVin.status, errorPaths(sameVin.body)]).toEqual([409, ['body.vin']]);
  });

  it('refuses a VIN whose check digit is wrong, or with letters no VIN has', async () => {
    const vin = randomVin();
    const wrong = `${vin.slice(0, 8)}${vin[8] === '0' ? '1' : '0'}${vin.slice(9)}`;
    const res = await request(t, admin, 'POST', '/fleet/vehicles', vehicleInput({ vin: wrong }));
    expect([res.status, errorPaths(res.body)]).toEqual([422, ['body.vin']]);
    const letters = await request(
      t,
      admin,
      'POST',
      '/fleet/vehicles',
      vehicleInput({ vin: 'IOQ45678901234567' }),
    );
    expect([letters.status, errorPaths(letters.body)]).toEqual([400, ['body.vin']]);
  });

  it('lets renters read the catalogue but not change it', async () => {
    const v = await createVehicle(t);
    expect((await request(t, renter, 'GET', `/fleet/vehicles/${v.id}`)).status).toBe(200);
    expect((await request(t, renter, 'POST', '/fleet/vehicles', vehicleInput())).status).toBe(403);
    expect((await request(t, renter, 'PATCH', `/fleet/vehicles/${v.id}`, { status: 'retired' })).status).toBe(
      403,
    );
    expect(
      (
        await request(
          t,
          renter,
          'GET',
          `/fleet/vehicles/${v.id}/calendar?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z`,
        )
      ).status,
    ).toBe(403);
  });

  it('sorts the catalogue by daily rate both ways, page by page', async () => {
    const location = `Sortville ${Date.now()}`;
    for (const rate of [7000, 3000, 5000, 3000]) await createVehicle(t, { location, dailyRateMinor: rate });
    const walk = async (dir: string) => {
      const seen: number[] = [];
      let cursor = '';
      do {
        const q = `location=${encodeURIComponent(location)}&sort=rate&dir=${dir}&limit=3${cursor}`;
        const res = await request(t, renter, 'GET', `/fleet/vehicles?${q}`);
        seen.push(...res.body.items.map((v: { dailyRateMinor: number }) => v.dailyRateMinor));
        cursor = res.body.nextCursor ? `&cursor=${res.body.nextCursor}` : '';
      } while (cursor);
      return seen;
    };
    expect(await walk('asc')).toEqual([3000, 3000, 5000, 7000]);
    expect(await walk('desc')).toEqual([7000, 5000, 3000, 3000]);
    expect((await request(t, renter, 'GET', '/fleet/vehicles?sort=price')).status).toBe(400);
  });

  it('marks service due by odometer or date, and a maintenance record moves both on', async () => {
    const v = await createVehicle(t, { odometerKm: 30_500, serviceDueKm: 30_000 });
    expect((await request(t, admin, 'GET', `/fleet/vehicles/${v.id}`)).body.serviceDue).toBe(true);
    const rec = await request(t, admin, 'POST', `/fleet/vehicles/${v.id}/maintenance`, {
      performedOn: '2026-11-20',
      odometerKm: 30_700,
      description: 'Oil and filters',
      costMinor: 15_000,
      nextServiceDueKm: 45_000,
      nextServiceDueOn: '2026-11-22',
    });
    expect(rec.status).toBe(201);
    const after = await request(t, admin, 'GET', `/fleet/vehicles/${v.id}`);
    expect(after.body).toMatchObject({ odometerKm: 30_700, serviceDueKm: 45_000, serviceDue: true });
    expect((await request(t, admin, 'GET', `/fleet/vehicles/${v.id}/maintenance`)).body.items).toHaveLength(
      1,
    );
    // A partial update changes what it names and nothing else.
    const patched = await request(t, admin, 'PATCH', `/fleet/vehicles/${v.id}`, { status: 'maintenance' });
    expect(patched.body).toMatchObject({ status: 'maintenance', odometerKm: 30_700, serviceDueKm: 45_000 });
  });
});

describe('availability and calendar', () => {
  it('lists only vehicles free for the whole range, turnaround included, with a quote', async () => {
    const location = `Station ${Date.now()}`;
    const free = await createVehicle(t, { location, dailyRateMinor: 3000 });
    const booked = await createVehicle(t, { location, dailyRateMinor: 3500 });
    const serviced = await createVehicle(t, { location, dailyRateMinor: 4000 });
    const retired = await createVehicle(t, { location });
    await request(t, admin, 'PATCH', `/fleet/vehicles/${retired.id}`, { status: 'retired' });
    // Ends 30 minutes before the search starts: still in its turnaround.
    const b = await request(t, renter, 'POST', '/fleet/bookings', {
      vehicleId: booked.id,
      startAt: '2026-12-01T08:00:00Z',
      endAt: '2026-12-02T09:30:00Z',
    });
    expect(b.status).toBe(201);
    const w = await request(t, admin, 'POST', `/fleet/vehicles/${serviced.id}/maintenance-windows`, {
      startAt: '2026-12-03T08:00:00Z',
      endAt: '2026-12-03T12:00:00Z',
      reason: 'Brake pads',
    });
    expect(w.status).toBe(201);

    const q = `from=2026-12-02T10:00:00Z&to=2026-12-04T10:00:00Z&location=${encodeURIComponent(location)}`;
    const res = await request(t, renter, 'GET', `/fleet/availability?${q}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { vehicle: { id: string } }) => i.vehicle.id)).toEqual([free.id]);
    expect(res.body.items[0].quote).toMatchObject({
      days: 2,
      rentalMinor: 6000,
      totalMinor: 6000,
      depositMinor: 50_000,
    });

    // A booking over the maintenance window is refused, naming the window.
    const over = await request(t, renter, 'POST', '/fleet/bookings', {
      vehicleId: serviced.id,
      startAt: '2026-12-03T11:00:00Z',
      endAt: '2026-12-04T10:00:00Z',
    });
    expect(over.status).toBe(409);
    expect(over.body.conflict).toMatchObject({ kind: 'maintenance', id: w.body.id });
    // …and a window over a booking likewise.
    const clash = await request(t, admin, 'POST', `/fleet/vehicles/${booked.id}/maintenance-windows`, {
      startAt: '2026-12-01T12:00:00Z',
      endAt: '2026-12-01T14:00:00Z',
      reason: 'Recall',
    });
    expect(clash.status).toBe(409);
    expect(clash.body.conflict).toMatchObject({ kind: 'booking', id: b.body.id });

    const cal = await request(
      t,
      admin,
      'GET',
      `/fleet/vehicles/${booked.id}/calendar?from=2026-11-30T00:00:00Z&to=2026-12-05T00:00:00Z`,
    );
    expect(cal.body.items).toEqual([
      expect.objectContaining({
        kind: 'hold',
        id: b.body.id,
        state: 'held',
        busyUntil: '2026-12-02T10:30:00.000Z',
      }),
    ]);
    const scal = await request(
      t,
      admin,
      'GET',
      `/fleet/vehicles/${serviced.id}/calendar?from=2026-11-30T00:00:00Z&to=2026-12-05T00:00:00Z`,
    );
    expect(scal.body.items).toEqual([expect.objectContaining({ kind: 'maintenance', label: 'Brake pads' })]);
  });

  it('refuses a range that ends before it starts', async () => {
    const res = await request(
      t,
      renter,
      'GET',
      '/fleet/availability?from=2026-12-02T10:00:00Z&to=2026-12-01T10:00:00Z',
    );
    expect([res.status, errorPaths(res.body)]).toEqual([400, ['query.to']]);
  });
});
