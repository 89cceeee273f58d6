import type { TBooking, TBookingCreate } from '@clockpilot/contracts';
import { type Actor, recordAudit } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import type { DbOrTx } from '../../platform/db';
import { AppError, unprocessable } from '../../platform/errors';
import { readsPerTurn } from './bookings.reads';
import { bookingsRepo, type Conflict, type NewBooking } from './bookings.repo';
import { writesUnderWay } from './bookings.writing';
import { conflictError, writeBusy } from './fleet.errors';
import type { FleetMetrics } from './fleet.metrics';
import { toBooking } from './fleet.present';
import type { BookingRow } from './fleet.tables';
import type { FleetPorts } from './ports';
import { quote } from './pricing';

const MINUTE = 60_000;
const MAX_DAYS = 90;

/**
 * Holds: a renter's request for a vehicle and a range, written so that nothing ever overlaps (the
 * exclusion constraint decides; a burst of requests for one vehicle shares its reads and waits on
 * the write under way), and the expiry of holds whose time is up.
 */
export function createHolds(ctx: AppContext, ports: FleetPorts, metrics: FleetMetrics) {
  const { db, clock, config } = ctx;
  const buffer = () => config.fleet.turnaroundMinutes * MINUTE;

  const writing = writesUnderWay();
  const requestReads = readsPerTurn<Awaited<ReturnType<typeof bookingsRepo.request>>>();
  const refused = (taken: Conflict) => {
    metrics.conflicts.inc();
    return conflictError(taken);
  };

  async function expireDue(tx: DbOrTx, vehicleId?: string): Promise<number> {
    const due = await bookingsRepo.dueHolds(tx, clock.now(), vehicleId);
    await bookingsRepo.expire(
      tx,
      due.map((b) => b.id),
      clock.now(),
    );
    metrics.holdsExpired.inc(due.length);
    if (due.length) metrics.transitions.inc({ from: 'held', to: 'expired' }, due.length);
    return due.length;
  }

  /**
   * Writes a booking and its busy row; an overlap answers 409 naming what holds the vehicle. A hold
   * whose time is up must not block anyone, even before the sweep has run: `lapsed` false skips
   * that sweep when the caller has just read that none is in the way.
   */
  async function insert(actor: Actor, row: NewBooking, lapsed = true): Promise<BookingRow> {
    const range = { vehicleId: row.vehicleId, from: row.startAt, to: row.busyUntil, now: clock.now() };
    try {
      return await writeBusy(db, range, async (tx) => {
        if (lapsed) await expireDue(tx, row.vehicleId);
        const b = await bookingsRepo.insert(tx, row);
        await recordAudit(tx, actor, {
          action: 'fleet.booking.created',
          entityType: 'booking',
          entityId: b.id,
          after: b,
        });
        metrics.transitions.inc({ from: 'none', to: b.state });
        return b;
      });
    } catch (err) {
      if (err instanceof AppError && err.status === 409) metrics.conflicts.inc();
      throw err;
    }
  }

  return {
    /** A hold for the caller; the price is the server's, from the vehicle's current rates. */
    async create(p: Principal, actor: Actor, input: TBookingCreate): Promise<TBooking> {
      const now = clock.now();
      const startAt = new Date(input.startAt);
      const endAt = new Date(input.endAt);
      if (startAt.getTime() < now.getTime() - 5 * MINUTE)
        throw unprocessable('body.startAt', 'Must not be in the past');
      if (endAt.getTime() - startAt.getTime() > MAX_DAYS * 86_400_000) {
        throw unprocessable('body.endAt', `A booking lasts at most ${MAX_DAYS} days`);
      }
      const busyUntil = new Date(endAt.getTime() + buffer());
      // One read names the vehicle and what holds it: a loser of a race that arrives after the
      // winner's commit is refused here; the exclusion constraint judges those that arrive together.
      const free = async () => {
        // Shared with the requests of this turn for the same vehicle and range (bookings.reads.ts).
        const found = await requestReads(
          `${input.vehicleId} ${startAt.getTime()} ${busyUntil.getTime()}`,
          () => bookingsRepo.request(db, input.vehicleId, startAt, busyUntil, now),
        );
        if (!found) throw unprocessable('body.vehicleId', 'No such vehicle');
        const { vehicle, taken, lapsed } = found;
        if (vehicle.status !== 'available')
          throw new AppError('conflict', `The vehicle is ${vehicle.status} and cannot be booked`);
        if (taken) throw refused(taken);
        return { v: vehicle, lapsed };
      };
      let { v, lapsed } = await free();
      // Behind an overlapping write under way here: refused by the booking it committed, or else read
      // again (bookings.writing.ts); a few laps at most, then the constraint judges as it always does.
      for (let lap = 0, w = writing.overlapping(v.id, startAt, busyUntil); w && lap < 3; lap++) {
        const committed = await w;
        if (committed) throw refused(committed);
        ({ v, lapsed } = await free());
        w = writing.overlapping(v.id, startAt, busyUntil);
      }
      const q = quote(v, startAt, endAt, input.extras);
      // Under way from here, the renter's licence read included: requests behind it wait for its
      // outcome instead of each reading the licence and then the vehicle again.
      const written = writing.begin(v.id, startAt, busyUntil);
      let b: BookingRow | undefined;
      try {
        const licence = (await ports.verification.status(p.userId)).licenceExpiresOn;
        if (licence && licence < endAt.toISOString().slice(0, 10)) {
          throw unprocessable(
            'body.endAt',
            `Your driving licence expires on ${licence}, before the booking ends`,
          );
        }
        b = await insert(
          actor,
          {
            vehicleId: v.id,
            userId: p.userId,
            state: 'held',
            startAt,
            endAt,
            busyUntil,
            holdExpiresAt: new Date(now.getTime() + config.fleet.holdMinutes * MINUTE),
            extras: input.extras,
            currency: v.currency,
            days: q.days,
            rentalMinor: q.rentalMinor,
            extrasMinor: q.extrasMinor,
            depositMinor: v.depositMinor,
            dailyRateMinor: v.dailyRateMinor,
            kmPerDay: v.kmPerDay,
            extraKmMinor: v.extraKmMinor,
            createdAt: now,
            updatedAt: now,
          },
          lapsed,
        );
      } finally {
        written(b && { kind: 'booking', id: b.id, startAt, endAt, busyUntil });
      }
      return toBooking(b);
    },

    /** The periodic sweep: holds past FLEET_HOLD_MINUTES expire and free their vehicle. */
    async expireHolds(): Promise<number> {
      return db.transaction((tx) => expireDue(tx));
    },

    /** Demo data and imports: a booking in any state, written through the same overlap guarantee. */
    insert,
  };
}
