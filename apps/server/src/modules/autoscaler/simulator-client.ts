import type { TClusterFaults, TClusterSimulatorState } from '@clockpilot/contracts';
import {
  SIM_BULK_MAX,
  SIM_CLUSTER_COLUMNS,
  SIM_SERVER_COLUMNS,
  type TSimClusterMetrics,
  type TSimClusterUpdate,
  type TSimCompactLine,
  type TSimScaleResult,
} from '@clockpilot/contracts/simulator';
import type { Config } from '../../config/load';
import type { ClusterRow } from './autoscaler.tables';

/** A cluster's model in the simulator as its row has it: load, capacity, boot delay and the servers applied. */
export const modelOf = (row: Pick<ClusterRow, 'simulation' | 'desiredServers'>): TSimClusterUpdate => ({
  servers: row.desiredServers,
  capacityRps: row.simulation.capacityRps,
  bootSeconds: row.simulation.bootSeconds,
  load: row.simulation.load,
});

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

/** Bulk calls of one kind in flight at once: the simulator sees at most this many, each of SIM_BULK_MAX clusters. */
export const BULK_IN_FLIGHT = 4;

type Settle<O> = (index: number, result: O | Error) => void;

/**
 * Gathers the calls made in one turn of the event loop into bulk requests of up to SIM_BULK_MAX items,
 * at most BULK_IN_FLIGHT at once; each caller gets its own item's answer or error.
 */
function bulk<I, O>(send: (items: I[], settle: Settle<O>) => Promise<void>) {
  type Call = { item: I; resolve: (o: O) => void; reject: (e: Error) => void; done?: boolean };
  let pending: Call[] = [];
  const ready: Call[][] = [];
  let inFlight = 0;
  const pump = () => {
    while (inFlight < BULK_IN_FLIGHT && ready.length > 0) {
      const calls = ready.shift() as Call[];
      inFlight++;
      const settle: Settle<O> = (i, r) => {
        const c = calls[i];
        if (!c || c.done) return;
        c.done = true;
        if (r instanceof Error) c.reject(r);
        else c.resolve(r);
      };
      const settleRest = (err: Error) => {
        for (let i = 0; i < calls.length; i++) settle(i, err);
      };
      send(
        calls.map((c) => c.item),
        settle,
      )
        .catch(settleRest)
        .finally(() => {
          settleRest(new SimulatorError('no answer for this cluster'));
          inFlight--;
          pump();
        });
    }
  };
  return (item: I) =>
    new Promise<O>((resolve, reject) => {
      if (pending.length === 0)
        setImmediate(() => {
          for (let i = 0; i < pending.length; i += SIM_BULK_MAX)
            ready.push(pending.slice(i, i + SIM_BULK_MAX));
          pending = [];
          pump();
        });
      pending.push({ item, resolve, reject });
    });
}

/**
 * A cluster's metrics as the loop reads them: the cluster's figures, and its servers' as one list of
 * numbers, SERVER.width per server (`SERVER.cpuMillis` is the offset of a server's CPU in its run). A
 * list of numbers is what the simulator's compact line carries; an object per server made a tenth of
 * a tick's work and much of its garbage.
 */
export type ClusterMetrics = {
  time: number;
  windowSeconds: number;
  cluster: TSimClusterMetrics['cluster'];
  servers: number[];
};
const CLUSTER = Object.fromEntries(SIM_CLUSTER_COLUMNS.map((k, i) => [k, i])) as {
  [K in (typeof SIM_CLUSTER_COLUMNS)[number]]: number;
};
export const SERVER = {
  ...(Object.fromEntries(SIM_SERVER_COLUMNS.map((k, i) => [k, i])) as {
    [K in (typeof SIM_SERVER_COLUMNS)[number]]: number;
  }),
  width: SIM_SERVER_COLUMNS.length,
};
/** The servers in a cluster's metrics. */
export const serverCount = (m: ClusterMetrics) => m.servers.length / SERVER.width;

/** A figure of a line: a number, finite and not negative (every figure is a count, rate, time or size). */
const isFigure = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const FLAGS = new Set(['running', 'ready', 'deleting', 'outage']);
const isFlag = (x: unknown) => x === 0 || x === 1;
const SERVER_FLAGS = SIM_SERVER_COLUMNS.map((k) => FLAGS.has(k));
/** What a column must hold. */
const problemOf = (column: string, x: unknown) =>
  FLAGS.has(column)
    ? isFlag(x)
      ? null
      : 'is not 0 or 1'
    : isFigure(x)
      ? null
      : 'is not a finite number ≥ 0';

/**
 * A cluster's metrics from its compact line (`SIM_CLUSTER_COLUMNS`, `SIM_SERVER_COLUMNS`), checked
 * by hand: a line of another shape answers its cluster with an error naming the figure (the other
 * clusters of the call are unaffected).
 */
export function metricsOf(id: string, line: unknown): ClusterMetrics | SimulatorError {
  const bad = (what: string) => new SimulatorError(`metrics of ${id}: ${what}`);
  const { cluster: c, servers } = (line ?? {}) as { cluster?: unknown; servers?: unknown };
  if (!Array.isArray(c) || c.length !== SIM_CLUSTER_COLUMNS.length)
    return bad(`cluster is not a list of ${SIM_CLUSTER_COLUMNS.length} figures`);
  for (const [i, column] of SIM_CLUSTER_COLUMNS.entries()) {
    const why = problemOf(column, c[i]);
    if (why) return bad(`cluster.${column} ${why}`);
  }
  if (!Array.isArray(servers) || servers.length % SERVER.width !== 0)
    return bad(`servers is not a list of ${SERVER.width} figures per server`);
  for (let i = 0; i < servers.length; i += SERVER.width)
    for (let k = 0; k < SERVER.width; k++) {
      const x = servers[i + k];
      if (SERVER_FLAGS[k] ? isFlag(x) : isFigure(x)) continue;
      const column = SIM_SERVER_COLUMNS[k] as string;
      return bad(`servers[${i / SERVER.width}].${column} ${problemOf(column, x)}`);
    }
  return {
    time: c[CLUSTER.time],
    windowSeconds: c[CLUSTER.windowSeconds],
    servers,
    cluster: {
      requestRate: c[CLUSTER.requestRate],
      p95Ms: c[CLUSTER.p95Ms],
      errorRate: c[CLUSTER.errorRate],
      unservedRequests: c[CLUSTER.unservedRequests],
      queuedRequests: c[CLUSTER.queuedRequests],
      desiredReplicas: c[CLUSTER.desiredReplicas],
      outage: c[CLUSTER.outage] === 1,
    },
  };
}

/**
 * The load simulator's HTTP API (apps/simulator), each call bounded by SIMULATOR_TIMEOUT_MS.
 * A cluster's model in the simulator is named by the cluster's id.
 */
export function createSimulatorClient(config: Pick<Config, 'simulator'>) {
  const { url, token, timeoutMs } = config.simulator;
  const base = url?.replace(/\/$/, '');

  async function request(method: string, path: string, body?: unknown): Promise<Response> {
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
    if (!res.ok) {
      await res.body?.cancel();
      throw new SimulatorError(`${method} ${path} answered ${res.status}`, res.status);
    }
    return res;
  }
  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    const text = await (await request(method, path, body)).text();
    return text ? JSON.parse(text) : undefined;
  }

  // Each cluster's line as soon as the simulator writes it (NDJSON), so a delayed cluster holds up no other.
  const metricsBulk = bulk<string, ClusterMetrics>(async (ids, settle) => {
    const at = new Map<string, number[]>();
    for (const [i, id] of ids.entries()) at.set(id, [...(at.get(id) ?? []), i]);
    const res = await request('POST', '/metrics', { ids, format: 'compact' }).catch((err: SimulatorError) => {
      if (err.status !== 400) throw err;
      throw new SimulatorError(
        `${err.message} (a simulator older than this server refuses format "compact": update it)`,
        400,
      );
    });
    const decoder = new TextDecoder();
    let buffered = '';
    // The call's timeout can end the body half read; the clusters not answered by then get its error.
    const body = (res.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    const next = () =>
      body.next().catch((err: Error) => {
        throw new SimulatorError(
          err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : err.message,
        );
      });
    // A garbled line loses only its own cluster: the rest of the call is still read.
    let garbled: string | undefined;
    for (let r = await next(); !r.done; r = await next()) {
      buffered += decoder.decode(r.value, { stream: true });
      // The complete lines of what has come, each parsed where it lies; the unfinished rest is kept.
      let from = 0;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n', from)) {
        const text = buffered.slice(from, nl);
        from = nl + 1;
        let line: TSimCompactLine;
        try {
          line = JSON.parse(text);
        } catch {
          garbled ??= text.slice(0, 80);
          continue;
        }
        const result =
          line.status === 200
            ? metricsOf(line.id, line)
            : new SimulatorError(`metrics of ${line.id} answered ${line.status}`, line.status);
        for (const i of at.get(line.id) ?? []) settle(i, result);
      }
      buffered = buffered.slice(from);
    }
    if (garbled !== undefined)
      throw new SimulatorError(`the simulator sent a line that is not JSON: ${JSON.stringify(garbled)}`);
  });
  const scaleBulk = bulk<{ id: string; replicas: number }, void>(async (scales, settle) => {
    const { results } = (await call('POST', '/scale', { scales })) as { results: TSimScaleResult[] };
    for (const [i, r] of results.entries())
      settle(
        i,
        r.status === 200 ? undefined : new SimulatorError(`scale of ${r.id} answered ${r.status}`, r.status),
      );
  });
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
    /** Gathered with the other reads of the same moment into bulk calls (`POST /metrics`). */
    metrics: (id: string): Promise<ClusterMetrics> => metricsBulk(id),
    /** Gathered with the other scales of the same moment into bulk calls (`POST /scale`). */
    scale: (id: string, replicas: number): Promise<void> => scaleBulk({ id, replicas }),
    state: async (id: string) => state(await call('GET', cluster(id))),
    faults: async (id: string, faults: TClusterFaults) =>
      state(await call('POST', `${cluster(id)}/faults`, faults)),
    clearFaults: async (id: string) => state(await call('DELETE', `${cluster(id)}/faults`)),
  };
}
