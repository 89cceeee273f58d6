import { and, eq, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import type { keyset } from '../../platform/pagination';
import { prepared } from '../../platform/unit-of-work';
import { type BookingRow, fleetBookings, fleetBusy, fleetVehicles, type VehicleRow } from './fleet.tables';

export type NewBooking = Omit<
  BookingRow,
  | 'id'
  | 'paymentIntentId'
  | 'authorizedMinor'
  | 'capturedMinor'
  | 'refundedMinor'
  | 'paymentMessage'
  | 'clientSecret'
  | 'checkout'
  | 'returnRecord'
  | 'charges'
  | 'cancelReason'
>;
export type BookingFilter = {
  /** null: everyone's (staff); otherwise this renter's only. */
  userId: string | null;
  state?: BookingRow['state'];
  vehicleId?: string;
};
export const BOOKING_KEYSET = {
  sorts: { start: { expr: fleetBookings.startAt, type: 'timestamptz' as const } },
  id: fleetBookings.id,
};
type Page = ReturnType<typeof keyset<'start'>>;

/** What holds a vehicle over a range: a booking (with its dates) or a maintenance window. */
export type Conflict =
  | { kind: 'booking'; id: string; startAt: Date; endAt: Date; busyUntil: Date }
  | { kind: 'maintenance'; id: string; startAt: Date; endAt: Date; busyUntil: Date };

/** The SQL of bookings and their rows in the busy table. */
const at = (name: string) => sql`${sql.placeholder(name)}::timestamptz`;

/** The busy row `b` is a hold (`k`) whose time was up by `now`; it holds nothing. */
const lapsedHold = sql`coalesce(k.state = 'held' and k.hold_expires_at <= ${at('now')}, false)`;
type TakenJson = {
  bookingId: string | null;
  maintenanceId: string | null;
  startAt: string;
  endAt: string;
  busyUntil: string;
  lapsed: boolean;
};

/**
 * The first busy row of the vehicle over [from, to) other than `except`, a live one before a lapsed
 * hold, as one JSON value: a subquery, so the booking request reads it with its vehicle. Written with
 * aliases: Drizzle leaves a single-table select's columns unqualified, which a subquery cannot use.
 */
const taken = sql<TakenJson | null>`(
  select json_build_object(
    'bookingId', b.booking_id, 'maintenanceId', b.maintenance_id,
    'startAt', coalesce(k.start_at, w.start_at), 'endAt', coalesce(k.end_at, w.end_at),
    'busyUntil', b.ends_at, 'lapsed', ${lapsedHold})
  from fleet_busy b
  left join fleet_bookings k on k.id = b.booking_id
  left join fleet_maintenance_windows w on w.id = b.maintenance_id
  where b.vehicle_id = fleet_vehicles.id
    and tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(${at('from')}, ${at('to')}, '[)')
    and (${sql.placeholder('except')}::uuid is null or b.booking_id is distinct from ${sql.placeholder('except')}::uuid)
  order by ${lapsedHold} limit 1)`;

/** What a booking takes from its vehicle: a refused request parses and maps no more than this. */
const bookable = {
  id: fleetVehicles.id,
  status: fleetVehicles.status,
  currency: fleetVehicles.currency,
  dailyRateMinor: fleetVehicles.dailyRateMinor,
  depositMinor: fleetVehicles.depositMinor,
  kmPerDay: fleetVehicles.kmPerDay,
  extraKmMinor: fleetVehicles.extraKmMinor,
};
export type BookableVehicle = Pick<VehicleRow, keyof typeof bookable>;

/** Every booking request reads it once, with the vehicle: a prepared statement. */
const requestOf = prepared('fleet_booking_request', (db) =>
  db
    .select({ vehicle: bookable, taken })
    .from(fleetVehicles)
    .where(eq(fleetVehicles.id, sql.placeholder('vehicleId'))),
);
/** The losers of a race that reached the insert read it to name the winner. */
const conflictOf = prepared('fleet_booking_conflict', (db) =>
  db
    .select({ taken })
    .from(fleetVehicles)
    .where(eq(fleetVehicles.id, sql.placeholder('vehicleId'))),
);

function toConflict(t: TakenJson): Conflict {
  const dates = { startAt: new Date(t.startAt), endAt: new Date(t.endAt), busyUntil: new Date(t.busyUntil) };
  return t.bookingId
    ? { kind: 'booking', id: t.bookingId, ...dates }
    : { kind: 'maintenance', id: t.maintenanceId!, ...dates };
}

export const bookingsRepo = {
  /** The booking and its busy row in one statement pair; the exclusion constraint refuses an overlap. */
  async insert(db: DbOrTx, b: NewBooking): Promise<BookingRow> {
    const [row] = await db.insert(fleetBookings).values(b).returning();
    await db
      .insert(fleetBusy)
      .values({ vehicleId: b.vehicleId, startsAt: b.startAt, endsAt: b.busyUntil, bookingId: row!.id });
    return row!;
  },

  async byId(db: DbOrTx, id: string, lock = false): Promise<BookingRow | undefined> {
    const q = db.select().from(fleetBookings).where(eq(fleetBookings.id, id));
    const [row] = lock ? await q.for('update') : await q;
    return row;
  },

  async update(db: DbOrTx, id: string, patch: Partial<BookingRow>): Promise<BookingRow> {
    const [row] = await db.update(fleetBookings).set(patch).where(eq(fleetBookings.id, id)).returning();
    return row!;
  },

  /** The booking no longer holds its vehicle (cancelled, expired, no-show). */
  async release(db: DbOrTx, bookingId: string): Promise<void> {
    await db.delete(fleetBusy).where(eq(fleetBusy.bookingId, bookingId));
  },

  /** An early return frees the rest of the booked time (plus the buffer). */
  async shorten(db: DbOrTx, bookingId: string, endsAt: Date): Promise<void> {
    await db
      .update(fleetBusy)
      .set({
        endsAt: sql`greatest(${fleetBusy.startsAt} + interval '1 second', least(${fleetBusy.endsAt}, ${endsAt.toISOString()}::timestamptz))`,
      })
      .where(eq(fleetBusy.bookingId, bookingId));
  },

  async list(db: DbOrTx, f: BookingFilter, page: Page) {
    const where: SQL[] = [];
    if (f.userId) where.push(eq(fleetBookings.userId, f.userId));
    if (f.state) where.push(eq(fleetBookings.state, f.state));
    if (f.vehicleId) where.push(eq(fleetBookings.vehicleId, f.vehicleId));
    if (page.where) where.push(page.where);
    return db
      .select({ row: fleetBookings, _k: page.key })
      .from(fleetBookings)
      .where(and(...where))
      .orderBy(...page.orderBy)
      .limit(page.fetch);
  },

  /**
   * What holds the vehicle over [from, to), other than `except`: for the 409 that names it. A hold
   * that lapsed by `now` holds nothing, even before the sweep has expired it.
   */
  async conflict(
    db: DbOrTx,
    vehicleId: string,
    from: Date,
    to: Date,
    now: Date,
    except?: string,
  ): Promise<Conflict | null> {
    const [row] = await conflictOf(db).execute({
      vehicleId,
      from: from.toISOString(),
      to: to.toISOString(),
      now: now.toISOString(),
      except: except ?? null,
    });
    return row?.taken && !row.taken.lapsed ? toConflict(row.taken) : null;
  },

  /** The vehicle asked for, what holds it over [from, to), and whether that is only a lapsed hold. */
  async request(
    db: DbOrTx,
    vehicleId: string,
    from: Date,
    to: Date,
    now: Date,
  ): Promise<{ vehicle: BookableVehicle; taken: Conflict | null; lapsed: boolean } | undefined> {
    const [row] = await requestOf(db).execute({
      vehicleId,
      from: from.toISOString(),
      to: to.toISOString(),
      now: now.toISOString(),
      except: null,
    });
    if (!row) return undefined;
    const t = row.taken;
    return { vehicle: row.vehicle, taken: t && !t.lapsed ? toConflict(t) : null, lapsed: t?.lapsed ?? false };
  },

  /** Holds past their expiry, locked and skipped by concurrent sweeps; `vehicleId` narrows to one vehicle. */
  async dueHolds(db: DbOrTx, now: Date, vehicleId?: string): Promise<BookingRow[]> {
    return db
      .select()
      .from(fleetBookings)
      .where(
        and(
          eq(fleetBookings.state, 'held'),
          lte(fleetBookings.holdExpiresAt, now),
          ...(vehicleId ? [eq(fleetBookings.vehicleId, vehicleId)] : []),
        ),
      )
      .limit(500)
      .for('update', { skipLocked: true });
  },

  async expire(db: DbOrTx, ids: string[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await db.delete(fleetBusy).where(inArray(fleetBusy.bookingId, ids));
    await db
      .update(fleetBookings)
      .set({ state: 'expired', holdExpiresAt: null, updatedAt: now })
      .where(and(inArray(fleetBookings.id, ids), eq(fleetBookings.state, 'held')));
  },

  async countsByState(db: DbOrTx): Promise<Array<{ state: string; n: number }>> {
    return db
      .select({ state: fleetBookings.state, n: sql<number>`count(*)::int` })
      .from(fleetBookings)
      .groupBy(fleetBookings.state);
  },
};
