import type { TClusterFaults, TClusterSimulatorState } from '@clockpilot/contracts';
import {
  type TSimClusterMetrics,
  type TSimClusterUpdate,
  ZSimClusterMetrics,
} from '@clockpilot/contracts/simulator';
import type { Config } from '../../config/load';

/** A simulator call that failed: unreachable, timed out, or answered an error (`status`). */
export class SimulatorError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SimulatorError';
  }
}

export type SimulatorClient = ReturnType<typeof createSimulatorClient>;

/**
 * The load simulator's HTTP API (apps/simulator), each call bounded by SIMULATOR_TIMEOUT_MS.
 * A cluster's model in the simulator is named by the cluster's id.
 */
export function createSimulatorClient(config: Pick<Config, 'simulator'>) {
  const { url, token, timeoutMs } = config.simulator;
  const base = url?.replace(/\/$/, '');

  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    if (!base) throw new SimulatorError('SIMULATOR_URL is not set');
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      throw new SimulatorError(timedOut ? `no answer within ${timeoutMs} ms` : (err as Error).message);
    }
    const text = await res.text();
    if (!res.ok) throw new SimulatorError(`${method} ${path} answered ${res.status}`, res.status);
    return text ? JSON.parse(text) : undefined;
  }
  const cluster = (id: string) => `/clusters/${encodeURIComponent(id)}`;
  const state = (v: unknown) => {
    const { time, desiredReplicas, faults } = v as TClusterSimulatorState;
    return { time, desiredReplicas, faults };
  };

  return {
    configured: base !== undefined,
    /** Creates the model, or changes the named fields of an existing one (`servers` scales). */
    put: async (id: string, spec: TSimClusterUpdate) => void (await call('PUT', cluster(id), spec)),
    /** Deletes the model; one that is already gone is fine. */
    async remove(id: string) {
      await call('DELETE', cluster(id)).catch((err: unknown) => {
        if (!(err instanceof SimulatorError && err.status === 404)) throw err;
      });
    },
    metrics: async (id: string): Promise<TSimClusterMetrics> =>
      ZSimClusterMetrics.parse(await call('GET', `${cluster(id)}/metrics`)),
    scale: async (id: string, replicas: number) =>
      void (await call('POST', `${cluster(id)}/scale`, { replicas })),
    state: async (id: string) => state(await call('GET', cluster(id))),
    faults: async (id: string, faults: TClusterFaults) =>
      state(await call('POST', `${cluster(id)}/faults`, faults)),
    clearFaults: async (id: string) => state(await call('DELETE', `${cluster(id)}/faults`)),
  };
}
