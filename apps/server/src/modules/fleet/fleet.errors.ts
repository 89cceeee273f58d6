import type { Db, DbOrTx, Tx } from '../../platform/db';
import { AppError, type ConstraintTable, fromConstraint, pgErrorOf } from '../../platform/errors';
import { bookingsRepo, type Conflict } from './bookings.repo';

/** Fleet's constraints and how they are answered. */
export const FLEET_CONSTRAINTS: ConstraintTable = {
  fleet_vehicles_plate_key: {
    code: 'conflict',
    message: 'A vehicle with this plate already exists',
    path: 'body.plate',
  },
  fleet_vehicles_vin_key: {
    code: 'conflict',
    message: 'A vehicle with this VIN already exists',
    path: 'body.vin',
  },
  fleet_busy_no_overlap: {
    code: 'conflict',
    message: 'The vehicle is already booked or in maintenance then',
  },
};

/** `2027-03-10 08:00 UTC` */
const when = (d: Date) => {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
};

/** The 409 that names what holds the vehicle, its dates and the end of its turnaround. */
export function conflictError(c: Conflict): AppError {
  const what = c.kind === 'booking' ? `booking ${c.id}` : `maintenance window ${c.id}`;
  return new AppError(
    'conflict',
    `The vehicle is taken from ${when(c.startAt)} to ${when(c.endAt)} (${what}), and busy until ${when(c.busyUntil)} with the turnaround time`,
    {
      extra: {
        conflict: {
          kind: c.kind,
          id: c.id,
          startAt: c.startAt.toISOString(),
          endAt: c.endAt.toISOString(),
          busyUntil: c.busyUntil.toISOString(),
        },
      },
    },
  );
}

/**
 * Maps a failed write: an overlap becomes a 409 that names what holds the vehicle (read after the
 * failed transaction, so it sees the winner), other constraints go through the table.
 */
type BusyRange = { vehicleId: string; from: Date; to: Date; now: Date; except?: string };

export async function fleetWriteError(db: DbOrTx, err: unknown, range?: BusyRange): Promise<unknown> {
  if (range && pgErrorOf(err).constraint === 'fleet_busy_no_overlap') {
    const c = await bookingsRepo.conflict(db, range.vehicleId, range.from, range.to, range.now, range.except);
    if (c) return conflictError(c);
  }
  return fromConstraint(FLEET_CONSTRAINTS, err);
}

/**
 * A transaction that writes a busy row (a booking, a maintenance window), its failure answered by
 * fleetWriteError. Writers inserting overlapping rows at once each wait in the exclusion check for the
 * other's transaction, and PostgreSQL fails one as deadlocked (executor/execIndexing.c): that one is
 * tried again, meets the winner's committed row as an ordinary overlap and gets the 409 that names it.
 */
export async function writeBusy<T>(db: Db, range: BusyRange, write: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(write);
    } catch (err) {
      if (pgErrorOf(err).code === '40P01' && attempt < 3) continue;
      throw await fleetWriteError(db, err, range);
    }
  }
}
