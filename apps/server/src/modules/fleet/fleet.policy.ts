import { can } from '@clockpilot/contracts';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import { notFound } from '../../platform/errors';
import { bookingsRepo } from './bookings.repo';
import type { BookingRow } from './fleet.tables';

export type FleetPolicy = ReturnType<typeof createFleetPolicy>;

/** Object-level access: renters reach their own bookings only; fleet staff reach every booking. */
export function createFleetPolicy(ctx: AppContext) {
  const isStaff = (p: Principal) => can(p.role, 'fleet:manage');
  return {
    isStaff,
    /** The renter's own user id, or null (everyone's) for staff. */
    scope: (p: Principal) => (isStaff(p) ? null : p.userId),
    canSee: (p: Principal, b: Pick<BookingRow, 'userId'>) => isStaff(p) || b.userId === p.userId,
    /** A booking the caller may see; someone else's answers 404, so ids cannot be probed. */
    async booking(p: Principal, id: string, db = ctx.db): Promise<BookingRow> {
      const row = await bookingsRepo.byId(db, id);
      if (!row || !(isStaff(p) || row.userId === p.userId)) throw notFound('Booking');
      return row;
    },
  };
}
