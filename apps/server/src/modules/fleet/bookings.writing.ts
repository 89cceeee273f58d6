type Write = { from: Date; to: Date; settled: Promise<void> };

/**
 * The booking writes under way in this process, by vehicle and busy range. A request that read a
 * vehicle free while a write of an overlapping range is under way waits for it and reads again, so
 * behind a winner it is refused by that one read instead of running a transaction into the exclusion
 * constraint, which still judges every insert, across processes. Writes of other ranges never wait.
 */
export function writesUnderWay() {
  const byVehicle = new Map<string, Set<Write>>();
  return {
    /** Marks a write of [from, to) as under way; calling the answer ends it. */
    begin(vehicleId: string, from: Date, to: Date): () => void {
      let settle!: () => void;
      const w: Write = { from, to, settled: new Promise((resolve) => (settle = resolve)) };
      let writes = byVehicle.get(vehicleId);
      if (!writes) {
        writes = new Set();
        byVehicle.set(vehicleId, writes);
      }
      writes.add(w);
      return () => {
        writes.delete(w);
        if (writes.size === 0 && byVehicle.get(vehicleId) === writes) byVehicle.delete(vehicleId);
        settle();
      };
    },
    /** Settles when a write under way of the vehicle over a range overlapping [from, to) ends; undefined if none. */
    overlapping(vehicleId: string, from: Date, to: Date): Promise<void> | undefined {
      for (const w of byVehicle.get(vehicleId) ?? []) if (w.from < to && from < w.to) return w.settled;
      return undefined;
    },
  };
}
