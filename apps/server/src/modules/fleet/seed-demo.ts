import type { TVehicleCreate } from '@clockpilot/contracts';
import { type AppContext, moduleApi } from '../../platform/context';
import type { SeedOptions, SeedResult } from '../../platform/module';
import type { FleetServices } from '.';
import { bookingsRepo } from './bookings.repo';
import { quote } from './pricing';
import { withCheckDigit } from './vin';

const DAY = 86_400_000;
const LOCATIONS = ['Lyon Part-Dieu', 'Paris Gare de Lyon'];
const MODELS: Array<
  Pick<
    TVehicleCreate,
    'make' | 'model' | 'category' | 'seats' | 'transmission' | 'fuel' | 'dailyRateMinor' | 'depositMinor'
  >
> = [
  {
    make: 'Renault',
    model: 'Clio',
    category: 'compact',
    seats: 5,
    transmission: 'manual',
    fuel: 'petrol',
    dailyRateMinor: 3900,
    depositMinor: 50000,
  },
  {
    make: 'Peugeot',
    model: '308 SW',
    category: 'estate',
    seats: 5,
    transmission: 'automatic',
    fuel: 'diesel',
    dailyRateMinor: 5900,
    depositMinor: 80000,
  },
  {
    make: 'Tesla',
    model: 'Model 3',
    category: 'premium',
    seats: 5,
    transmission: 'automatic',
    fuel: 'electric',
    dailyRateMinor: 9900,
    depositMinor: 150000,
  },
  {
    make: 'Renault',
    model: 'Trafic',
    category: 'van',
    seats: 9,
    transmission: 'manual',
    fuel: 'diesel',
    dailyRateMinor: 8900,
    depositMinor: 120000,
  },
];

/** A dozen vehicles in two stations, their maintenance, and past and coming bookings of two customers. */
export async function seedFleet(s: FleetServices, opts: SeedOptions, ctx: AppContext): Promise<SeedResult> {
  const now = ctx.clock.now();
  const identity = moduleApi(ctx, 'identity');
  const renters = [];
  for (const [username, displayName] of [
    ['dana_renter', 'Dana Moreau'],
    ['omar_renter', 'Omar Haddad'],
  ] as const) {
    renters.push(
      await identity.createUser(
        {
          username,
          displayName,
          email: `${username}@example.test`,
          role: 'customer',
          password: opts.password,
        },
        opts.actor,
      ),
    );
  }

  const vehicles = [];
  for (const [l, location] of LOCATIONS.entries()) {
    for (let i = 0; i < 6; i++) {
      const m = MODELS[i % MODELS.length]!;
      const n = l * 6 + i;
      vehicles.push(
        await s.vehicles.create(opts.actor, {
          ...m,
          year: 2021 + (n % 5),
          plate: `FP${String(100 + n)}DM`,
          vin: withCheckDigit(`VF1DEMX0${String(n).padStart(2, '0')}A${String(100000 + n)}`),
          location,
          // Both demo locations are in France.
          timeZone: 'Europe/Paris',
          currency: 'EUR',
          kmPerDay: 250,
          extraKmMinor: 25,
          odometerKm: 12_000 + n * 3_100,
          serviceDueOn: new Date(now.getTime() + (30 + n * 7) * DAY).toISOString().slice(0, 10),
          serviceDueKm: 30_000 + n * 3_100,
        }),
      );
    }
  }

  let records = 0;
  for (const v of vehicles.slice(0, 4)) {
    await s.vehicles.addRecord(opts.actor, v.id, {
      performedOn: new Date(now.getTime() - 40 * DAY).toISOString().slice(0, 10),
      odometerKm: v.odometerKm,
      description: 'Annual service: oil, filters, brake check',
      costMinor: 18_000,
    });
    records++;
  }
  const day = (offset: number, hour: number) =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + offset, hour));
  await s.vehicles.addWindow(opts.actor, vehicles[1]!.id, {
    startAt: day(3, 8).toISOString(),
    endAt: day(4, 17).toISOString(),
    reason: 'Tyre change and inspection',
  });

  // Past rentals (closed, settled) and coming ones (confirmed), spread over the fleet.
  let bookings = 0;
  for (const [i, v] of vehicles.entries()) {
    for (const offset of [-21, -9, 6, 14]) {
      const startAt = day(offset + (i % 3), 9);
      const endAt = new Date(startAt.getTime() + (2 + (i % 3)) * DAY);
      const q = quote(v, startAt, endAt, []);
      const past = offset < 0;
      const b = await s.bookings.insert(opts.actor, {
        vehicleId: v.id,
        userId: renters[i % 2]!.id,
        state: past ? 'closed' : 'confirmed',
        startAt,
        endAt,
        busyUntil: new Date(endAt.getTime() + ctx.config.fleet.turnaroundMinutes * 60_000),
        holdExpiresAt: null,
        extras: [],
        currency: v.currency,
        days: q.days,
        rentalMinor: q.rentalMinor,
        extrasMinor: 0,
        depositMinor: v.depositMinor,
        dailyRateMinor: v.dailyRateMinor,
        kmPerDay: v.kmPerDay,
        extraKmMinor: v.extraKmMinor,
        createdAt: new Date(startAt.getTime() - 10 * DAY),
        updatedAt: now,
      });
      await bookingsRepo.update(ctx.db, b.id, {
        authorizedMinor: q.authorizeMinor,
        capturedMinor: past ? q.totalMinor : 0,
        paymentMessage: 'Demo booking: no payment provider was involved',
      });
      bookings++;
    }
  }
  opts.tick('fleet');
  return {
    fleet: { vehicles: vehicles.length, bookings, maintenanceRecords: records },
    lines: [
      `fleet: ${vehicles.length} vehicles in ${LOCATIONS.join(' and ')}, ${bookings} bookings, ${records} maintenance records; customers ${renters.map((r) => r.username).join(', ')}`,
    ],
  };
}
