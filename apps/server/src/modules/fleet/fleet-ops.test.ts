import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVehicle, useTestProviders, vehicleInput } from '../../../test/factories/fleet';
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
      `/fleet/dashboard?from=2026-12-01&to=2026-12-10&location=${location}&horizonDays=10`,
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
      `/fleet/dashboard?from=2026-12-01&to=2026-12-10&location=${location}&horizonDays=2&dueWithinDays=1&dueWithinKm=100`,
    );
    expect([near.body.pickups, near.body.serviceDue]).toEqual([[], []]);
  });

  it('is for fleet staff only and refuses a range that is backwards or too long', async () => {
    const q = 'from=2026-12-01&to=2026-12-01';
    expect((await request(t, renter, 'GET', `/fleet/dashboard?${q}`)).status).toBe(403);
    expect((await request(t, renter, 'GET', '/fleet/timeline?from=2026-12-01&to=2026-12-02')).status).toBe(
      403,
    );
    const back = await request(t, staff, 'GET', '/fleet/dashboard?from=2026-12-02&to=2026-12-01');
    expect([back.status, errorPaths(back.body)]).toEqual([400, ['query.to']]);
    const long = await request(t, staff, 'GET', '/fleet/timeline?from=2026-01-01&to=2026-06-01');
    expect([long.status, errorPaths(long.body)]).toEqual([400, ['query.to']]);
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

describe("days in the vehicle's location zone", () => {
  const boston = 'Boston';
  let nightly: { id: string };
  const ops = (what: 'timeline' | 'dashboard', from: string, to: string) =>
    request(t, staff, 'GET', `/fleet/${what}?from=${from}&to=${to}&location=${boston}&horizonDays=30`);
  /** A confirmed booking of the Boston car. */
  async function book(startAt: string, endAt: string) {
    const b = await request(t, renter, 'POST', '/fleet/bookings', { vehicleId: nightly.id, startAt, endAt });
    const confirmed = await request(t, renter, 'POST', `/fleet/bookings/${b.body.id}/confirm`);
    expect(confirmed.body.state).toBe('confirmed');
  }

  beforeAll(async () => {
    const res = await request(
      t,
      staff,
      'POST',
      '/fleet/vehicles',
      vehicleInput({ location: boston, plate: 'OPSNY1', timeZone: 'America/New_York' }),
    );
    expect([res.status, res.body.timeZone]).toEqual([201, 'America/New_York']);
    nightly = res.body;
    // 23:30 on 5 December to 01:00 on the 6th in New York: 04:30 to 06:00 UTC on the 6th.
    await book('2026-12-06T04:30:00Z', '2026-12-06T06:00:00Z');
  });

  it('puts a booking from 23:30 to 01:00 local time on both local days of the timeline', async () => {
    const res = await ops('timeline', '2026-12-05', '2026-12-05');
    expect(res.status).toBe(200);
    expect(res.body.rows).toMatchObject([
      {
        vehicle: { plate: 'OPSNY1', timeZone: 'America/New_York' },
        // Turnaround included: busy until 02:00 local on the 6th.
        items: [{ kind: 'booking', firstDay: '2026-12-05', lastDay: '2026-12-06' }],
      },
    ]);
    const later = await ops('timeline', '2026-12-07', '2026-12-08');
    expect(later.body.rows[0].items).toEqual([]);
  });

  it("counts the dashboard's days, utilisation and revenue in the location's zone", async () => {
    const on5th = await ops('dashboard', '2026-12-05', '2026-12-05');
    expect(on5th.status).toBe(200);
    // Half an hour of the local 5th (24 h), and the booking starts that day.
    expect(on5th.body.overall).toMatchObject({ vehicles: 1, bookedHours: 0.5, utilisation: 0.0208 });
    expect(on5th.body.revenue).toMatchObject([{ currency: 'EUR', bookings: 1 }]);
    const on6th = await ops('dashboard', '2026-12-06', '2026-12-06');
    expect(on6th.body.overall).toMatchObject({ bookedHours: 1 });
    expect(on6th.body.revenue).toEqual([]);
    const horizon = await ops('dashboard', '2026-12-01', '2026-12-01');
    expect(horizon.body.pickups).toMatchObject([{ plate: 'OPSNY1', timeZone: 'America/New_York' }]);
  });

  it('counts a day with a clock change as 23 hours', async () => {
    // The whole of 14 March 2027 in New York, which springs forward at 02:00.
    await book('2027-03-14T05:00:00Z', '2027-03-15T04:00:00Z');
    const res = await ops('dashboard', '2027-03-14', '2027-03-14');
    expect(res.body.overall).toMatchObject({ bookedHours: 23, utilisation: 1 });
  });

  it('refuses a zone the time-zone database does not know', async () => {
    const res = await request(
      t,
      staff,
      'POST',
      '/fleet/vehicles',
      vehicleInput({ timeZone: 'Mars/Olympus' }),
    );
    expect([res.status, errorPaths(res.body)]).toEqual([400, ['body.timeZone']]);
  });
});
