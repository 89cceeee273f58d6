import { randomUUID } from 'node:crypto';
import type { TAutoscalerEvent, TBreakerState, TEventListQuery, TPage } from '@clockpilot/contracts';
import { SIM_BULK_MAX } from '@clockpilot/contracts/simulator';
import type { AppContext } from '../../../platform/context';
import type { DayPartitions } from '../../../platform/day-partitions';
import type { ControllerMemory, EventRow } from '../autoscaler.tables';
import { predictiveDecision } from '../engine/predictive-decision';
import type { ReconcileResult } from '../engine/reconcile';
import { type LiveBus, type LiveLine, lineOf } from '../live/bus';
import { type MetricsStore, pointOf, type Sample } from '../metrics/store';
import {
  BULK_IN_FLIGHT,
  type ClusterMetrics,
  SERVER,
  type SimulatorClient,
  serverCount,
} from '../simulator-client';
import type { Breakers } from './breakers';
import { fallbackSync, floorSync, hpaSync, type LimitedBy, limitOf } from './controller';
import { loopRepo as repo, type TickRow } from './events.repo';
import { createForecasters } from './forecasters';
import { chunks, eachLimited, limiter } from './limits';
import { createLoopMetrics } from './loop.metrics';
import { createModelRepair } from './models';
import { createTickRows } from './tick-rows';

/**
 * Connections a tick may hold at once: DATABASE_POOL_SIZE less two (at least one), so HTTP requests
 * and other jobs on the same replica always find a connection. A chunk's save holds two (samples and
 * decisions side by side), so saves in flight are half of that, at least one (so a pool under 4
 * still lends one save its two), and never more than the chunks read at once.
 */
export const tickConnections = (poolSize: number) => {
  const connections = Math.max(1, poolSize - 2);
  return { connections, saves: Math.min(BULK_IN_FLIGHT, Math.max(1, Math.floor(connections / 2))) };
};

/** What a tick decided for one cluster, before it is sent to the simulator. */
type Decision = {
  recommended: number;
  reason: string;
  limitedBy: LimitedBy;
  memory: ControllerMemory;
  /** The engine's answer; null when the count was kept without deciding. */
  result: ReconcileResult | null;
  /** Figures for the event's inputs beside the engine's (the forecast, the fallback). */
  inputs?: Record<string, unknown>;
};

type Outcome = {
  row: TickRow;
  sample: Sample | null;
  event: EventRow;
  memory: ControllerMemory;
  breaker: TBreakerState;
  /** The simulator had lost the cluster's model and this tick made it again. */
  remade: boolean;
};

/** The servers by state for the event, and the summed CPU share of the ready ones with a request, in one pass. */
function tally(m: ClusterMetrics) {
  let ready = 0;
  let booting = 0;
  let deleting = 0;
  let cpu = 0;
  let measured = 0;
  const s = m.servers;
  for (let i = 0; i < s.length; i += SERVER.width) {
    if (s[i + SERVER.ready]) {
      ready++;
      // A server without a CPU request has no utilisation (as in the HPA); 0 would divide to NaN.
      const request = s[i + SERVER.requestMillis] as number;
      if (request > 0) {
        measured++;
        cpu += (s[i + SERVER.cpuMillis] as number) / request;
      }
    }
    if (!s[i + SERVER.running]) booting++;
    if (s[i + SERVER.deleting]) deleting++;
  }
  return { counts: { ready, booting, deleting }, cpu, measured };
}

function sampleOf(row: TickRow, m: ClusterMetrics, t: Tally, at: Date, desired: number): Sample {
  const { ready } = t.counts;
  return {
    clusterId: row.id,
    at,
    requestRate: m.cluster.requestRate,
    p95Ms: m.cluster.p95Ms,
    errorRate: m.cluster.errorRate,
    cpuPercent: t.measured ? (t.cpu / t.measured) * 100 : null,
    readyServers: ready,
    totalServers: serverCount(m),
    desiredServers: desired,
  };
}
type Tally = ReturnType<typeof tally>;

const CLOSE_EVENT = Buffer.from('}}');

/**
 * The event's live message around its inputs' JSON, the bytes its row stores. The date goes as the
 * tick's ISO text (as toEvent() gives it), made once: a Date made JSON.stringify call its toJSON.
 */
function eventLine(event: EventRow, at: string, inputs: Buffer): LiveLine {
  const { inputs: _, ...fields } = event;
  const head = `{"type":"event","clusterId":"${event.clusterId}","event":${JSON.stringify({ ...fields, at }).slice(0, -1)},"inputs":`;
  return {
    clusterId: event.clusterId,
    type: 'event',
    json: Buffer.concat([Buffer.from(head), inputs, CLOSE_EVENT]),
  };
}

export function toEvent(row: EventRow): TAutoscalerEvent {
  return {
    ...row,
    mode: row.mode as TAutoscalerEvent['mode'],
    limitedBy: row.limitedBy as TAutoscalerEvent['limitedBy'],
    at: row.at.toISOString(),
  };
}

/**
 * The control loop: every AUTOSCALER_SYNC_SECONDS one job reads each cluster's metrics through its
 * breaker, decides with the engine (HPA, or predictive over the HPA's floor), scales the simulator,
 * and stores the samples, events and controller memory in batches.
 */
export function createLoop(
  ctx: AppContext,
  simulator: SimulatorClient,
  store: MetricsStore,
  breakers: Breakers,
  live: LiveBus,
  eventDays: DayPartitions,
) {
  const { db, clock } = ctx;
  const sync = ctx.config.autoscaler.syncSeconds;
  const series = createLoopMetrics(ctx);
  const budget = tickConnections(ctx.config.database.poolSize);
  const saving = limiter(budget.saves);
  const rows = createTickRows(db);
  const models = createModelRepair(simulator);
  const forecasters = createForecasters(
    db,
    store,
    ctx.log.app,
    sync,
    ctx.config.autoscaler.forecastRebuildsPerTick,
  );

  /**
   * The decision on metrics read: HPA, or predictive over the HPA's answer as its floor (the HPA's
   * own answer while the cluster's forecast waits to be rebuilt).
   */
  function decideOn(row: TickRow, metrics: ClusterMetrics, elapsed: number, now: Date): Decision {
    const { result, memory, input } = hpaSync(row, metrics, elapsed);
    const hpa: Decision = {
      recommended: result.desiredReplicas,
      reason: result.reason,
      limitedBy: limitOf(result),
      memory,
      result,
    };
    if (row.mode !== 'predictive') return hpa;
    const forecaster = forecasters.feed(row, now, metrics.cluster.requestRate);
    if (!forecaster)
      return {
        ...hpa,
        reason: `the forecast is being rebuilt from stored history (${forecasters.perTick} clusters per tick); the HPA decides until then: ${result.reason}`,
      };
    const floor = floorSync(row, input);
    const d = predictiveDecision(forecaster, floor.desiredReplicas, {
      min: row.minServers,
      max: row.maxServers,
    });
    const limitedBy: LimitedBy =
      d.replicas === d.figures.forecastReplicas && d.replicas !== d.figures.floorReplicas
        ? 'forecast'
        : d.replicas !== d.figures.floorReplicas
          ? 'bounds'
          : limitOf(floor);
    return {
      ...hpa,
      recommended: d.replicas,
      reason: `${d.reason} (reactive floor: ${floor.reason})`,
      limitedBy,
      inputs: { forecast: d.figures },
    };
  }

  /** The decision while the metrics cannot be read: the cluster's fallback, or the count kept. */
  function decideBlind(row: TickRow, err: unknown, elapsed: number): Decision {
    const failedReads = (row.controller.failedReads ?? 0) + 1;
    // The read the breaker refused says so; the read that failed (and may have opened it) says why.
    const why =
      (err as { code?: string }).code === 'EOPENBREAKER' ? 'circuit breaker open' : (err as Error).message;
    const blind = `metrics unavailable (${why}; ${failedReads} failed reads in a row)`;
    const fb = fallbackSync(row, failedReads, elapsed);
    if (!fb)
      return {
        // As the HPA does without metrics.
        recommended: row.desiredServers,
        reason: `${blind}: keeping ${row.desiredServers} servers`,
        limitedBy: 'breakerOpen',
        memory: { ...row.controller, failedReads },
        result: null,
      };
    const { behavior, failureThreshold } = fb.fallback;
    return {
      recommended: fb.result.desiredReplicas,
      reason: `${blind}: fallback to ${fb.replicas} servers (${behavior}, more than ${failureThreshold} failed reads), ${fb.result.reason}`,
      limitedBy: 'breakerOpen',
      memory: fb.memory,
      result: fb.result,
      inputs: { fallback: { ...fb.fallback, fallbackReplicas: fb.replicas } },
    };
  }

  async function tickOne(row: TickRow, now: Date): Promise<Outcome> {
    const elapsed = row.lastTickAt ? Math.max(0, (now.getTime() - row.lastTickAt.getTime()) / 1000) : sync;
    let metrics: ClusterMetrics | null = null;
    let readError: unknown;
    let remade = false;
    try {
      metrics = await breakers.read(row.id);
    } catch (err) {
      ({ error: readError, remade } = await models.afterFailedRead(row, err));
    }
    // A predictive cluster read blind skips its forecast's bucket, as a rebuild from the stored ticks would.
    if (!metrics && row.mode === 'predictive') forecasters.feed(row, now, null);
    const decided = metrics ? decideOn(row, metrics, elapsed, now) : decideBlind(row, readError, elapsed);
    let { recommended: applied, reason, limitedBy, memory } = decided;
    if (decided.recommended !== row.desiredServers) {
      try {
        await simulator.scale(row.id, decided.recommended);
      } catch (err) {
        applied = row.desiredServers;
        memory = { ...row.controller, failedReads: decided.memory.failedReads ?? 0 };
        limitedBy = 'simulatorError';
        reason = `${reason}; the simulator did not take ${decided.recommended} (${(err as Error).message}), keeping ${applied}`;
      }
    }
    const breaker = breakers.state(row.id);
    const { result } = decided;
    const counted = metrics ? tally(metrics) : null;
    return {
      row,
      sample: metrics && counted ? sampleOf(row, metrics, counted, now, applied) : null,
      memory,
      breaker,
      remade,
      event: {
        id: randomUUID(),
        clusterId: row.id,
        at: now,
        mode: row.mode,
        previousServers: row.desiredServers,
        recommendedServers: decided.recommended,
        appliedServers: applied,
        limitedBy,
        reason,
        breaker,
        // Absent figures are undefined, which JSON leaves out: one object literal, not spreads.
        inputs: {
          cluster: metrics?.cluster,
          servers: counted?.counts,
          failedReads: metrics ? undefined : memory.failedReads,
          target: row.target,
          elapsedSeconds: elapsed,
          metricReplicas: result?.metricReplicas,
          proposals: result?.proposals,
          conditions: result?.conditions,
          ...decided.inputs,
        },
      },
    };
  }

  /**
   * Stores a chunk of outcomes: the samples (a job rolls them up) and the decisions (cluster rows and
   * events) in two transactions side by side, then publishes the live messages of the clusters some
   * client follows (read after the commit: one who subscribes later gets the stored event in the
   * subscribe answer). Each event's inputs are serialised once, for the insert and its live message.
   * Answers the outcomes whose cluster still exists (one deleted meanwhile keeps no event).
   */
  async function save(outcomes: Outcome[], now: Date, versions: Map<string, string>): Promise<Outcome[]> {
    const samplesDone = series.phase('samples');
    const samples = store
      .write(outcomes.flatMap((o) => (o.sample ? [o.sample] : [])))
      .finally(() => samplesDone());
    const decisionsDone = series.phase('decisions');
    const at = now.toISOString();
    const inputs = outcomes.map((o) => Buffer.from(JSON.stringify(o.event.inputs)));
    const ticks = outcomes.map((o) => ({
      id: o.row.id,
      version: versions.get(o.row.id) as string,
      desiredServers: o.event.appliedServers,
      controller: o.memory,
      breaker: o.breaker,
    }));
    const decide = () =>
      db.transaction(async (tx) => {
        const kept = await repo.saveTicks(tx, ticks, now);
        const events = outcomes.flatMap((o, i) =>
          kept.has(o.row.id) ? [{ row: o.event, inputs: inputs[i]! }] : [],
        );
        await repo.insertEvents(tx, at, events);
        return kept;
      });
    // A missing day partition (dropped by hand, a restore) rolls it all back: made, then once more.
    const decisions = eventDays.write(decide, () => [now]).finally(() => decisionsDone());
    const [, kept] = await Promise.all([samples, decisions]);
    await models.forget(outcomes.flatMap((o) => (o.remade && !kept.has(o.row.id) ? [o.row.id] : [])));
    const published = series.phase('publish');
    const followed = await live.followed();
    const lines: LiveLine[] = [];
    const still: Outcome[] = [];
    for (const [i, o] of outcomes.entries()) {
      const clusterId = o.row.id;
      if (!kept.has(clusterId)) continue;
      still.push(o);
      const saved = {
        ...o.row,
        desiredServers: o.event.appliedServers,
        controller: o.memory,
        lastTickAt: now,
      };
      rows.saved(saved, kept.get(clusterId) ?? null);
      if (!followed(clusterId)) continue;
      if (o.sample) lines.push(lineOf({ type: 'sample', clusterId, sample: pointOf(o.sample, at) }));
      lines.push(eventLine(o.event, at, inputs[i]!));
    }
    await live.publish(lines);
    published();
    return still;
  }

  return {
    /** One tick over every cluster; a cluster whose read or scale fails gets a fallback event, never a failed tick. */
    async tick(): Promise<Outcome[]> {
      const now = clock.now();
      await eventDays.ready(now);
      let done = series.phase('clusters');
      const read = await rows.read();
      done();
      const versions = new Map(read.map((r) => [r.row.id, r.version]));
      const current = read.map((r) => r.row);
      const ids = new Set(current.map((r) => r.id));
      breakers.retain(ids);
      done = series.phase('forecasters');
      await forecasters.prepare(current, ids, now, budget.connections);
      done();
      // Clusters go in chunks of one bulk read each, BULK_IN_FLIGHT chunks at once; a chunk's writes
      // and live messages go out while the other chunks are read and decided (`budget.saves` chunks'
      // writes at once, two connections each).
      done = series.phase('ticks');
      const saved = (
        await eachLimited(chunks(current, SIM_BULK_MAX), BULK_IN_FLIGHT, async (chunk) => {
          const outcomes = await Promise.all(chunk.map((row) => tickOne(row, now)));
          return saving(() => save(outcomes, now, versions));
        })
      ).flat();
      done();
      done = series.phase('scores');
      await forecasters.save(now);
      done();
      series.record(
        ids,
        saved.map((o) => ({
          clusterId: o.row.id,
          previousServers: o.event.previousServers,
          appliedServers: o.event.appliedServers,
          readyServers: o.sample?.readyServers ?? null,
          breakerOpen: o.breaker === 'open',
        })),
      );
      return saved;
    },

    async events(clusterId: string, q: TEventListQuery): Promise<TPage<TAutoscalerEvent>> {
      const page = await repo.page(db, clusterId, q);
      return { items: page.items.map(toEvent), nextCursor: page.nextCursor };
    },
  };
}
export type Loop = ReturnType<typeof createLoop>;
