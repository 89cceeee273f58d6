/**
 * The fleet benchmarks' year, seeded with generate_series SQL: `vehicles` cars in 4 stations in four
 * time zones, each with one two-day rental a week through 2026 (closed before week 47, confirmed after),
 * booked by `renter`. Returns the number of bookings.
 */
import { adminQuery } from './time-common';

export const STATION_ZONES = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'UTC'];

export async function seedFleet(url: string, vehicles: number, renter: string): Promise<number> {
  const t0 = performance.now();
  // VINs only need to be unique here (the check digit is the API's rule, not the table's).
  await adminQuery(
    `
  insert into fleet_vehicles (make, model, year, plate, vin, category, seats, transmission, fuel, location,
      time_zone, currency, daily_rate_minor, deposit_minor, km_per_day, extra_km_minor, odometer_km)
    select 'Make', 'Model ' || (g % 7), 2020 + g % 6, 'BV' || lpad(g::text, 6, '0'),
      'VF1BENCH' || lpad(g::text, 9, '0'), (array['compact','estate','premium','van','suv'])[g % 5 + 1],
      5, 'manual', 'petrol', 'Station ' || (g % 4), (array['${STATION_ZONES.join("','")}'])[g % 4 + 1],
      'EUR', 3000 + (g % 50) * 100, 50000, 200, 30, 10000
    from generate_series(1, ${vehicles}) g;
  with u as (select id from users where username = '${renter}'),
  b as (
    insert into fleet_bookings (vehicle_id, user_id, state, start_at, end_at, busy_until, currency, days,
        rental_minor, extras_minor, deposit_minor, daily_rate_minor, km_per_day, extra_km_minor)
      select v.id, u.id, case when w < 47 then 'closed' else 'confirmed' end,
        s.at, s.at + interval '2 days', s.at + interval '2 days 1 hour', 'EUR', 2,
        2 * v.daily_rate_minor, 0, v.deposit_minor, v.daily_rate_minor, 200, 30
      from fleet_vehicles v cross join u cross join generate_series(0, 51) w
      cross join lateral (select timestamptz '2026-01-05 09:00Z' + w * interval '7 days'
        + (abs(hashtext(v.id::text)) % 5) * interval '1 day' as at) s
      returning id, vehicle_id, start_at, busy_until)
  insert into fleet_busy (vehicle_id, starts_at, ends_at, booking_id)
    select vehicle_id, start_at, busy_until, id from b;
  analyze;`,
    url,
  );
  const { rows } = await adminQuery('select count(*)::int as n from fleet_bookings', url);
  console.log(
    `seed: ${vehicles} vehicles, ${rows[0].n} bookings in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return rows[0].n;
}
