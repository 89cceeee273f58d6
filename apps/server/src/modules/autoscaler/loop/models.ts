import { modelOf, type SimulatorClient, SimulatorError } from '../simulator-client';
import type { TickRow } from './events.repo';
import { limiter } from './limits';

/** Models made again at once: after a restart every cluster asks in the same tick. */
const REMAKES_IN_FLIGHT = 8;

/**
 * The simulator keeps its models in memory, so after it restarts every read answers 404. A tick that
 * meets one makes the cluster's model again from its row (load, capacity, boot delay, the servers last
 * applied), so that the next tick reads it; this tick stays blind, as for any failed read. A cluster
 * deleted while its model was made again has the model taken away once the tick finds its row gone.
 */
export function createModelRepair(simulator: SimulatorClient) {
  const remaking = limiter(REMAKES_IN_FLIGHT);
  return {
    /** The failed read's error as the event tells it, and whether the model was made again. */
    async afterFailedRead(row: TickRow, err: unknown): Promise<{ error: unknown; remade: boolean }> {
      if (!(err instanceof SimulatorError && err.status === 404)) return { error: err, remade: false };
      try {
        await remaking(() => simulator.put(row.id, modelOf(row)));
      } catch (e) {
        const why = `the simulator has no model of the cluster, and making it again failed: ${(e as Error).message}`;
        return { error: new Error(why), remade: false };
      }
      const why = `the simulator had no model of the cluster (restarted?): made again with ${row.desiredServers} servers`;
      return { error: new Error(why), remade: true };
    },

    /** Takes away the models made again for clusters deleted meanwhile (one already gone is fine). */
    async forget(ids: string[]) {
      await Promise.all(ids.map((id) => remaking(() => simulator.remove(id)).catch(() => undefined)));
    },
  };
}
