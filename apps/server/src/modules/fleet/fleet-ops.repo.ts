import { type AnyColumn, and, asc, eq, inArray, lt, ne, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import type { keyset } from '../../platform/pagination';
import { fleetBookings, fleetBusy, fleetMaintenanceWindows, fleetVehicles } from './fleet.tables';

const iso = (d: Date) => sql`${d.toISOString()}::timestamptz`;
/** Midnight starting `day` in the zone of the vehicle's location, as an instant. */
const localMidnight = (day: string) => sql`(${day}::date::timestamp at time zone ${fleetVehicles.timeZone})`;
/**
 * Local days `[from, toNext)` of each vehicle, and `envelope`: instants that contain those days in
 * every zone, a constant range the indexes can use before the exact per-vehicle bounds are applied.
 */
export type LocalDays = { from: string; toNext: string; envelope: { from: Date; to: Date } };
/**
 * Seconds of [start, end) inside [from, to), never negative (a turnaround may meet the range alone).
 * least/greatest skip nulls, so callers filter the rows this applies to.
 */
const busyWithin = (from: SQL | Date, to: SQL | Date) => {
  const bound = (b: SQL | Date) => (b instanceof Date ? iso(b) : b);
  return sql`tstzrange(${fleetBusy.startsAt}, ${fleetBusy.endsAt}, '[)') && tstzrange(${bound(from)}, ${bound(to)}, '[)')`;
};
const secondsWithin = (start: SQL | AnyColumn, end: SQL | AnyColumn, from: SQL, to: SQL) =>
  sql`greatest(0, extract(epoch from least(${end}, ${to}) - greatest(${start}, ${from})))`;
const atLocation = (location?: string) => (location ? [eq(fleetVehicles.location, location)] : []);
/** States whose money and time count: the renter has the card held or the car. */
const LIVE = ['confirmed', 'checked_out', 'returned', 'closed'] as const;

/** The dashboard's and timeline's set-based reads over every vehicle at once. */
export const fleetOpsRepo = {
  /**
   * Booked and maintenance seconds per vehicle within its local days, and the length of those days
   * (a day with a clock change has 23 or 25 hours); the busy table's gist index finds the rows.
   */
  async utilisation(db: DbOrTx, days: LocalDays, location?: string) {
    const from = localMidnight(days.from);
    const to = localMidnight(days.toNext);
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
        rangeSeconds: sql<number>`extract(epoch from ${to} - ${from})::float8`,
      })
      .from(fleetVehicles)
      .leftJoin(
        fleetBusy,
        and(
          eq(fleetBusy.vehicleId, fleetVehicles.id),
          // The envelope is a constant the busy table's range index (0041) serves; without it, each
          // vehicle's own bounds left the planner a scan of every busy row (119 ms of 500 vehicles).
          busyWithin(days.envelope.from, days.envelope.to),
          busyWithin(from, to),
        ),
      )
      .leftJoin(fleetBookings, eq(fleetBookings.id, fleetBusy.bookingId))
      .leftJoin(fleetMaintenanceWindows, eq(fleetMaintenanceWindows.id, fleetBusy.maintenanceId))
      .where(and(ne(fleetVehicles.status, 'retired'), ...atLocation(location)))
      .groupBy(fleetVehicles.id);
  },

  /** Money of bookings starting within their vehicle's local days, per currency; the state index serves the envelope. */
  async revenue(db: DbOrTx, days: LocalDays, location?: string) {
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
          sql`${fleetBookings.startAt} >= ${iso(days.envelope.from)} and ${fleetBookings.startAt} < ${iso(days.envelope.to)}`,
          sql`${fleetBookings.startAt} >= ${localMidnight(days.from)} and ${fleetBookings.startAt} < ${localMidnight(days.toNext)}`,
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
      .select({ booking: fleetBookings, plate: fleetVehicles.plate, timeZone: fleetVehicles.timeZone })
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
