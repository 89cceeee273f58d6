import type { Conflict } from './bookings.repo';

type Write = { from: Date; to: Date; settled: Promise<Conflict | undefined> };

/**
 * The booking writes under way in this process, by vehicle and busy range. A request that read a
 * vehicle free while a write of an overlapping range is under way waits for it: a committed write
 * answers with the booking that now holds the range, so the waiter is refused without a statement
 * (what a read at that moment would say); one that failed leaves the waiter to read again. The
 * exclusion constraint still judges every insert, across processes. Writes of other ranges never wait.
 */
export function writesUnderWay() {
  const byVehicle = new Map<string, Set<Write>>();
  return {
    /** Marks a write of [from, to) as under way; calling the answer ends it, with the booking if it committed. */
    begin(vehicleId: string, from: Date, to: Date): (committed?: Conflict) => void {
      let settle!: (committed?: Conflict) => void;
      const w: Write = { from, to, settled: new Promise((resolve) => (settle = resolve)) };
      let writes = byVehicle.get(vehicleId);
      if (!writes) {
        writes = new Set();
        byVehicle.set(vehicleId, writes);
      }
      writes.add(w);
      return (committed) => {
        writes.delete(w);
        if (writes.size === 0 && byVehicle.get(vehicleId) === writes) byVehicle.delete(vehicleId);
        settle(committed);
      };
    },
    /**
     * Settles when a write under way of the vehicle over a range overlapping [from, to) ends, with its
     * committed booking or undefined; undefined at once if there is none.
     */
    overlapping(vehicleId: string, from: Date, to: Date): Promise<Conflict | undefined> | undefined {
      for (const w of byVehicle.get(vehicleId) ?? []) if (w.from < to && from < w.to) return w.settled;
      return undefined;
    },
  };
}
