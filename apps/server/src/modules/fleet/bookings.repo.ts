import { and, eq, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import type { keyset } from '../../platform/pagination';
import { prepared } from '../../platform/unit-of-work';
import { type BookingRow, fleetBookings, fleetBusy, fleetMaintenanceWindows } from './fleet.tables';
import { overlaps } from './vehicles.repo';

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

/** Every booking request (and every loser of a race) reads it: a prepared statement. */
const conflictOf = prepared('fleet_booking_conflict', (db) =>
  db
    .select({
      busy: fleetBusy,
      bookingStart: fleetBookings.startAt,
      bookingEnd: fleetBookings.endAt,
      windowStart: fleetMaintenanceWindows.startAt,
      windowEnd: fleetMaintenanceWindows.endAt,
    })
    .from(fleetBusy)
    .leftJoin(fleetBookings, eq(fleetBookings.id, fleetBusy.bookingId))
    .leftJoin(fleetMaintenanceWindows, eq(fleetMaintenanceWindows.id, fleetBusy.maintenanceId))
    .where(
      and(
        eq(fleetBusy.vehicleId, sql.placeholder('vehicleId')),
        overlaps(at('from'), at('to')),
        sql`(${sql.placeholder('except')}::uuid is null or ${fleetBusy.bookingId} is distinct from ${sql.placeholder('except')}::uuid)`,
        sql`not (${fleetBookings.state} is not distinct from 'held' and ${fleetBookings.holdExpiresAt} <= ${at('now')})`,
      ),
    )
    .limit(1),
);

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
    if (!row) return null;
    const { busy } = row;
    return busy.bookingId
      ? {
          kind: 'booking',
          id: busy.bookingId,
          startAt: row.bookingStart!,
          endAt: row.bookingEnd!,
          busyUntil: busy.endsAt,
        }
      : {
          kind: 'maintenance',
          id: busy.maintenanceId!,
          startAt: row.windowStart!,
          endAt: row.windowEnd!,
          busyUntil: busy.endsAt,
        };
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
