import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVehicle, useTestProviders } from '../../../test/factories/fleet';
import { type LoggedIn, loginAs } from '../../../test/factories/identity';
import { createTestApp, type TestApp, testClock } from '../../../test/helpers';
import { errorPaths, request } from '../../../test/http';

const clock = testClock(new Date('2026-11-23T09:00:00Z'));
const location = 'Nantes';
let t: TestApp;
let staff: LoggedIn;
let renter: LoggedIn;
const v: Record<'a' | 'b' | 'c', { id: string; plate: string }> = {} as never;

beforeAll(async () => {
  t = await createTestApp({ clock });
  useTestProviders(t);
  staff = await loginAs(t, { role: 'manager' });
  renter = await loginAs(t, { role: 'customer' });
  // a: due by odometer soon; b: due by date in 3 days; c: nothing due; a retired car is left out everywhere.
  v.a = await createVehicle(t, { location, plate: 'OPSA1', odometerKm: 10_000, serviceDueKm: 10_500 });
  v.b = await createVehicle(t, { location, plate: 'OPSB2', serviceDueOn: '2026-11-26' });
  v.c = await createVehicle(t, { location, plate: 'OPSC3' });
  const gone = await createVehicle(t, { location, plate: 'OPSD4', serviceDueOn: '2026-01-01' });
  await request(t, staff, 'PATCH', `/fleet/vehicles/${gone.id}`, { status: 'retired' });

  const booked = await request(t, renter, 'POST', '/fleet/bookings', {
    vehicleId: v.a.id,
    startAt: '2026-12-01T10:00:00Z',
    endAt: '2026-12-03T10:00:00Z',
  });
  expect((await request(t, renter, 'POST', `/fleet/bookings/${booked.body.id}/confirm`)).body.state).toBe(
    'confirmed',
  );
  const held = await request(t, renter, 'POST', '/fleet/bookings', {
    vehicleId: v.b.id,
    startAt: '2026-12-02T10:00:00Z',
    endAt: '2026-12-03T10:00:00Z',
  });
  expect(held.body.state).toBe('held');
  const window = await request(t, staff, 'POST', `/fleet/vehicles/${v.c.id}/maintenance-windows`, {
    startAt: '2026-12-01T08:00:00Z',
    endAt: '2026-12-01T20:00:00Z',
    reason: 'Tyres',
  });
  expect(window.status).toBe(201);
});
afterAll(() => t.close());

describe('fleet dashboard', () => {
  it('reports utilisation, revenue, coming pick-ups and vehicles due for service', async () => {
    const res = await request(
      t,
      staff,
      'GET',
      `/fleet/dashboard?from=2026-12-01T00:00:00Z&to=2026-12-11T00:00:00Z&location=${location}&horizonDays=10`,
    );
    expect(res.status).toBe(200);
    const d = res.body;
    // 48 booked hours of 3 × 240; the hold on b counts for nothing, c's window as maintenance.
    expect(d.overall).toEqual({ vehicles: 3, bookedHours: 48, maintenanceHours: 12, utilisation: 0.0667 });
    expect(d.vehicles.map((u: { plate: string; utilisation: number }) => [u.plate, u.utilisation])).toEqual([
      ['OPSA1', 0.2],
      ['OPSB2', 0],
      ['OPSC3', 0],
    ]);
    expect(d.revenue).toEqual([
      { currency: 'EUR', bookedMinor: 8000, capturedMinor: 0, refundedMinor: 0, netMinor: 0, bookings: 1 },
    ]);
    expect(d.pickups).toMatchObject([{ plate: 'OPSA1', at: '2026-12-01T10:00:00.000Z', overdue: false }]);
    expect(d.returns).toEqual([]);
    expect(
      d.serviceDue.map((s: { vehicle: { plate: string }; reason: string }) => [s.vehicle.plate, s.reason]),
    ).toEqual([
      ['OPSB2', 'date'],
      ['OPSA1', 'odometer'],
    ]);

    const near = await request(
      t,
      staff,
      'GET',
      `/fleet/dashboard?from=2026-12-01T00:00:00Z&to=2026-12-11T00:00:00Z&location=${location}&horizonDays=2&dueWithinDays=1&dueWithinKm=100`,
    );
    expect([near.body.pickups, near.body.serviceDue]).toEqual([[], []]);
  });

  it('is for fleet staff only and refuses a range that is backwards or too long', async () => {
    const q = 'from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z';
    expect((await request(t, renter, 'GET', `/fleet/dashboard?${q}`)).status).toBe(403);
    expect((await request(t, renter, 'GET', '/fleet/timeline?from=2026-12-01&to=2026-12-02')).status).toBe(
      403,
    );
    const back = await request(
      t,
      staff,
      'GET',
      '/fleet/dashboard?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z',
    );
    expect([back.status, errorPaths(back.body)]).toEqual([400, ['querystring.to']]);
    const long = await request(t, staff, 'GET', '/fleet/timeline?from=2026-01-01&to=2026-06-01');
    expect([long.status, errorPaths(long.body)]).toEqual([400, ['querystring.to']]);
  });
});

describe('fleet timeline', () => {
  it('pages vehicles by plate with their bookings, holds and maintenance over the days asked', async () => {
    const url = `/fleet/timeline?from=2026-12-01&to=2026-12-03&location=${location}&limit=2`;
    const first = await request(t, staff, 'GET', url);
    expect(first.status).toBe(200);
    expect(first.body.days).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
    const kinds = (rows: Array<{ vehicle: { plate: string }; items: Array<{ kind: string }> }>) =>
      rows.map((r) => [r.vehicle.plate, r.items.map((i) => i.kind)]);
    expect(kinds(first.body.rows)).toEqual([
      ['OPSA1', ['booking']],
      ['OPSB2', ['hold']],
    ]);
    const second = await request(t, staff, 'GET', `${url}&cursor=${first.body.nextCursor}`);
    expect([kinds(second.body.rows), second.body.nextCursor]).toEqual([[['OPSC3', ['maintenance']]], null]);

    const empty = await request(
      t,
      staff,
      'GET',
      `/fleet/timeline?from=2026-12-20&to=2026-12-20&location=${location}`,
    );
    expect(kinds(empty.body.rows)).toEqual([
      ['OPSA1', []],
      ['OPSB2', []],
      ['OPSC3', []],
    ]);
  });
});
