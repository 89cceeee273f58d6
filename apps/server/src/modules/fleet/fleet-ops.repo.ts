import { type AnyColumn, and, asc, eq, inArray, lt, ne, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import type { keyset } from '../../platform/pagination';
import { fleetBookings, fleetBusy, fleetMaintenanceWindows, fleetVehicles } from './fleet.tables';
import { overlaps } from './vehicles.repo';

const iso = (d: Date) => sql`${d.toISOString()}::timestamptz`;
/**
 * Seconds of [start, end) inside [from, to), never negative (a turnaround may meet the range alone).
 * least/greatest skip nulls, so callers filter the rows this applies to.
 */
const secondsWithin = (start: SQL | AnyColumn, end: SQL | AnyColumn, from: Date, to: Date) =>
  sql`greatest(0, extract(epoch from least(${end}, ${iso(to)}) - greatest(${start}, ${iso(from)})))`;
const atLocation = (location?: string) => (location ? [eq(fleetVehicles.location, location)] : []);
/** States whose money and time count: the renter has the card held or the car. */
const LIVE = ['confirmed', 'checked_out', 'returned', 'closed'] as const;

/** The dashboard's and timeline's set-based reads over every vehicle at once. */
export const fleetOpsRepo = {
  /** Booked and maintenance seconds per vehicle in [from, to); the busy table's gist index finds the rows. */
  async utilisation(db: DbOrTx, from: Date, to: Date, location?: string) {
    const booked = secondsWithin(fleetBookings.startAt, fleetBookings.endAt, from, to);
    const maint = secondsWithin(fleetMaintenanceWindows.startAt, fleetMaintenanceWindows.endAt, from, to);
    return db
      .select({
        vehicleId: fleetVehicles.id,
        plate: fleetVehicles.plate,
        make: fleetVehicles.make,
        model: fleetVehicles.model,
        location: fleetVehicles.location,
        bookedSeconds: sql<number>`coalesce(sum(${booked}) filter (where ${inArray(fleetBookings.state, [...LIVE])}), 0)::float8`,
        maintenanceSeconds: sql<number>`coalesce(sum(${maint}) filter (where ${fleetBusy.maintenanceId} is not null), 0)::float8`,
      })
      .from(fleetVehicles)
      .leftJoin(fleetBusy, and(eq(fleetBusy.vehicleId, fleetVehicles.id), overlaps(from, to)))
      .leftJoin(fleetBookings, eq(fleetBookings.id, fleetBusy.bookingId))
      .leftJoin(fleetMaintenanceWindows, eq(fleetMaintenanceWindows.id, fleetBusy.maintenanceId))
      .where(and(ne(fleetVehicles.status, 'retired'), ...atLocation(location)))
      .groupBy(fleetVehicles.id);
  },

  /** Money of bookings starting in [from, to), per currency; the state index serves the range. */
  async revenue(db: DbOrTx, from: Date, to: Date, location?: string) {
    const live = inArray(fleetBookings.state, [...LIVE]);
    return db
      .select({
        currency: fleetBookings.currency,
        bookedMinor: sql<number>`coalesce(sum(${fleetBookings.rentalMinor} + ${fleetBookings.extrasMinor}) filter (where ${live}), 0)::int`,
        capturedMinor: sql<number>`coalesce(sum(${fleetBookings.capturedMinor}), 0)::int`,
        refundedMinor: sql<number>`coalesce(sum(${fleetBookings.refundedMinor}), 0)::int`,
        bookings: sql<number>`(count(*) filter (where ${live}))::int`,
      })
      .from(fleetBookings)
      .innerJoin(fleetVehicles, eq(fleetVehicles.id, fleetBookings.vehicleId))
      .where(
        and(
          // Holds never took money and expired ones never will; cancellations may have kept a fee.
          inArray(fleetBookings.state, [...LIVE, 'cancelled', 'no_show']),
          sql`${fleetBookings.startAt} >= ${iso(from)} and ${fleetBookings.startAt} < ${iso(to)}`,
          ...atLocation(location),
        ),
      )
      .groupBy(fleetBookings.currency)
      .orderBy(asc(fleetBookings.currency));
  },

  /** Bookings in `state` whose `at` falls before `until` (late ones included), soonest first. */
  async handovers(
    db: DbOrTx,
    state: 'confirmed' | 'checked_out',
    until: Date,
    limit: number,
    location?: string,
  ) {
    const at = state === 'confirmed' ? fleetBookings.startAt : fleetBookings.endAt;
    return db
      .select({ booking: fleetBookings, plate: fleetVehicles.plate })
      .from(fleetBookings)
      .innerJoin(fleetVehicles, eq(fleetVehicles.id, fleetBookings.vehicleId))
      .where(and(eq(fleetBookings.state, state), lt(at, until), ...atLocation(location)))
      .orderBy(asc(at), asc(fleetBookings.id))
      .limit(limit);
  },

  /** Vehicles in service whose service date is on or before `byDay`, or whose odometer is within `withinKm`. */
  async serviceDue(db: DbOrTx, byDay: string, withinKm: number, limit: number, location?: string) {
    return db
      .select()
      .from(fleetVehicles)
      .where(
        and(
          ne(fleetVehicles.status, 'retired'),
          sql`(${fleetVehicles.serviceDueOn} <= ${byDay}::date or ${fleetVehicles.odometerKm} >= ${fleetVehicles.serviceDueKm} - ${withinKm})`,
          ...atLocation(location),
        ),
      )
      .orderBy(asc(fleetVehicles.serviceDueOn), asc(fleetVehicles.plate))
      .limit(limit);
  },

  /** One page of vehicles in service for the timeline, by plate. */
  async timelineVehicles(
    db: DbOrTx,
    f: { location?: string; category?: string },
    page: ReturnType<typeof keyset<'plate'>>,
  ) {
    return db
      .select({ row: fleetVehicles, _k: page.key })
      .from(fleetVehicles)
      .where(
        and(
          ne(fleetVehicles.status, 'retired'),
          ...atLocation(f.location),
          ...(f.category ? [eq(fleetVehicles.category, f.category)] : []),
          ...(page.where ? [page.where] : []),
        ),
      )
      .orderBy(...page.orderBy)
      .limit(page.fetch);
  },
};
