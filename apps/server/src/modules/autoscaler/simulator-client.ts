import type { TClusterFaults, TClusterSimulatorState } from '@clockpilot/contracts';
import {
  SIM_BULK_MAX,
  type TSimClusterMetrics,
  type TSimClusterUpdate,
  type TSimMetricsLine,
  type TSimScaleResult,
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

const SERVER_FIELDS = [
  ['ready', 'boolean'],
  ['deleting', 'boolean'],
  ['cpuMillis', 'number'],
  ['requestMillis', 'number'],
  ['requestsPerSecond', 'number'],
] as const;
const CLUSTER_FIELDS = [
  ['requestRate', 'number'],
  ['p95Ms', 'number'],
  ['errorRate', 'number'],
  ['unservedRequests', 'number'],
  ['queuedRequests', 'number'],
  ['desiredReplicas', 'number'],
  ['outage', 'boolean'],
] as const;

/**
 * A cluster's metrics from its line, checked by hand for the fields the loop reads and stores: a zod
 * parse of every line was a large share of a tick. A line of another shape answers its cluster with an
 * error naming the field (the other clusters of the call are unaffected). The cluster's figures are
 * copied field by field, so nothing the contract does not name reaches the stored events.
 */
/** A field of the type named; a number is also finite and not negative (every figure is a count, rate, time or size). */
const isA = (x: unknown, type: 'number' | 'boolean') =>
  type === 'number' ? typeof x === 'number' && Number.isFinite(x) && x >= 0 : typeof x === type;
const WHAT = { number: 'finite number ≥ 0', boolean: 'boolean' };

export function metricsOf(id: string, m: unknown): TSimClusterMetrics | SimulatorError {
  const bad = (what: string) => new SimulatorError(`metrics of ${id}: ${what}`);
  const v = m as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null) return bad('not an object');
  if (!isA(v.time, 'number') || !isA(v.windowSeconds, 'number'))
    return bad(`time or windowSeconds is not a ${WHAT.number}`);
  const { servers, cluster } = v as { servers: unknown; cluster: Record<string, unknown> | null };
  if (!Array.isArray(servers)) return bad('servers is not a list');
  for (const [i, s] of servers.entries()) {
    if (typeof s !== 'object' || s === null) return bad(`servers[${i}] is not an object`);
    if (s.phase !== 'Pending' && s.phase !== 'Running') return bad(`servers[${i}].phase is ${s.phase}`);
    for (const [k, type] of SERVER_FIELDS)
      if (!isA(s[k], type)) return bad(`servers[${i}].${k} is not a ${WHAT[type]}`);
  }
  if (typeof cluster !== 'object' || cluster === null) return bad('cluster is not an object');
  for (const [k, type] of CLUSTER_FIELDS)
    if (!isA(cluster[k], type)) return bad(`cluster.${k} is not a ${WHAT[type]}`);
  return {
    time: v.time as number,
    windowSeconds: v.windowSeconds as number,
    servers: servers as TSimClusterMetrics['servers'],
    cluster: {
      requestRate: cluster.requestRate as number,
      p95Ms: cluster.p95Ms as number,
      errorRate: cluster.errorRate as number,
      unservedRequests: cluster.unservedRequests as number,
      queuedRequests: cluster.queuedRequests as number,
      desiredReplicas: cluster.desiredReplicas as number,
      outage: cluster.outage as boolean,
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
  const metricsBulk = bulk<string, TSimClusterMetrics>(async (ids, settle) => {
    const at = new Map<string, number[]>();
    for (const [i, id] of ids.entries()) at.set(id, [...(at.get(id) ?? []), i]);
    const res = await request('POST', '/metrics', { ids });
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
    for (let r = await next(); !r.done; r = await next()) {
      buffered += decoder.decode(r.value, { stream: true });
      // The complete lines of what has come, each parsed where it lies; the unfinished rest is kept.
      let from = 0;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n', from)) {
        const line = JSON.parse(buffered.slice(from, nl)) as TSimMetricsLine;
        from = nl + 1;
        const result =
          line.status === 200 && 'metrics' in line
            ? metricsOf(line.id, line.metrics)
            : new SimulatorError(`metrics of ${line.id} answered ${line.status}`, line.status);
        for (const i of at.get(line.id) ?? []) settle(i, result);
      }
      buffered = buffered.slice(from);
    }
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
    metrics: (id: string): Promise<TSimClusterMetrics> => metricsBulk(id),
    /** Gathered with the other scales of the same moment into bulk calls (`POST /scale`). */
    scale: (id: string, replicas: number): Promise<void> => scaleBulk({ id, replicas }),
    state: async (id: string) => state(await call('GET', cluster(id))),
    faults: async (id: string, faults: TClusterFaults) =>
      state(await call('POST', `${cluster(id)}/faults`, faults)),
    clearFaults: async (id: string) => state(await call('DELETE', `${cluster(id)}/faults`)),
  };
}
