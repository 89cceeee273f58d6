import { randomUUID } from 'node:crypto';
import type { TAutoscalerEvent, TBreakerState, TEventListQuery, TPage } from '@clockpilot/contracts';
import type { TSimClusterMetrics } from '@clockpilot/contracts/simulator';
import type { AppContext } from '../../../platform/context';
import type { ClusterRow, ControllerMemory, EventRow } from '../autoscaler.tables';
import { DEFAULT_PREDICTIVE, Forecaster, predictiveDecision } from '../engine/predictive';
import type { LiveBus, LiveMessage } from '../live/bus';
import { type MetricsStore, pointOf, type Sample } from '../metrics/store';
import type { SimulatorClient } from '../simulator-client';
import type { Breakers } from './breakers';
import { hpaSync, type LimitedBy, limitOf } from './controller';
import { loopRepo as repo } from './events.repo';
import { createLoopMetrics } from './loop.metrics';

/** Clusters read and scaled at once in one tick: the simulator sees at most this many calls in flight. */
const CONCURRENCY = 16;

type Outcome = {
  row: ClusterRow;
  sample: Sample | null;
  event: EventRow;
  memory: ControllerMemory;
  breaker: TBreakerState;
};

async function eachLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function sampleOf(row: ClusterRow, m: TSimClusterMetrics, at: Date, desired: number): Sample {
  const ready = m.servers.filter((s) => s.ready);
  const cpu = ready.length
    ? ready.reduce((a, s) => a + s.cpuMillis / s.requestMillis, 0) / ready.length
    : null;
  return {
    clusterId: row.id,
    at,
    requestRate: m.cluster.requestRate,
    p95Ms: m.cluster.p95Ms,
    errorRate: m.cluster.errorRate,
    cpuPercent: cpu === null ? null : cpu * 100,
    readyServers: ready.length,
    totalServers: m.servers.length,
    desiredServers: desired,
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
) {
  const { db, clock } = ctx;
  const sync = ctx.config.autoscaler.syncSeconds;
  const forecasters = new Map<string, { forecaster: Forecaster; key: string }>();
  const series = createLoopMetrics(ctx);

  /** The cluster's forecaster, rebuilt from its stored samples when this replica has none (or settings changed). */
  async function forecasterFor(row: ClusterRow, now: Date) {
    const serverRps =
      row.target.type === 'cpu'
        ? (row.simulation.capacityRps * row.target.utilizationPercent) / 100
        : row.target.requestsPerSecond;
    const key = `${serverRps}/${row.simulation.bootSeconds}`;
    const known = forecasters.get(row.id);
    if (known?.key === key) return known.forecaster;
    const forecaster = new Forecaster({
      ...DEFAULT_PREDICTIVE,
      bucketSeconds: sync,
      bootSeconds: row.simulation.bootSeconds,
      serverRps,
    });
    const days = ctx.config.autoscaler.metricsRetentionDays;
    const from = new Date(now.getTime() - days * 86_400_000).toISOString();
    const history = await store.read(row.id, { from, to: now.toISOString(), resolution: 'raw' }, now);
    for (const p of history.points) forecaster.observe(p.requestRate);
    forecasters.set(row.id, { forecaster, key });
    return forecaster;
  }

  async function tickOne(row: ClusterRow, now: Date): Promise<Outcome> {
    const elapsed = row.lastTickAt ? Math.max(0, (now.getTime() - row.lastTickAt.getTime()) / 1000) : sync;
    const base = {
      id: randomUUID(),
      clusterId: row.id,
      at: now,
      mode: row.mode,
      previousServers: row.desiredServers,
    };
    let metrics: TSimClusterMetrics;
    try {
      metrics = await breakers.read(row.id);
    } catch (err) {
      // Fallback while the metrics cannot be read: keep the count, as the HPA does without metrics.
      const failedReads = (row.controller.failedReads ?? 0) + 1;
      const breaker = breakers.state(row.id);
      const why = breaker === 'open' ? 'circuit breaker open' : (err as Error).message;
      return {
        row,
        sample: null,
        memory: { ...row.controller, failedReads },
        breaker,
        event: {
          ...base,
          recommendedServers: row.desiredServers,
          appliedServers: row.desiredServers,
          limitedBy: 'breakerOpen',
          reason: `metrics unavailable (${why}; ${failedReads} failed reads in a row): keeping ${row.desiredServers} servers`,
          breaker,
          inputs: { failedReads, elapsedSeconds: elapsed },
        },
      };
    }

    const { result, memory } = hpaSync(row, metrics, elapsed);
    let recommended = result.desiredReplicas;
    let reason = result.reason;
    let limitedBy: LimitedBy = limitOf(result);
    let figures: Record<string, unknown> | undefined;
    if (row.mode === 'predictive') {
      const forecaster = await forecasterFor(row, now);
      forecaster.observeTick(metrics.cluster.requestRate, sync);
      forecaster.observe(metrics.cluster.requestRate);
      const d = predictiveDecision(forecaster, result.desiredReplicas, {
        min: row.minServers,
        max: row.maxServers,
      });
      recommended = d.replicas;
      reason = `${d.reason} (HPA floor: ${result.reason})`;
      figures = d.figures;
      if (d.replicas === d.figures.forecastReplicas && d.replicas !== d.figures.floorReplicas)
        limitedBy = 'forecast';
      else if (d.replicas !== d.figures.floorReplicas) limitedBy = 'bounds';
    }
    let applied = recommended;
    let kept = memory;
    if (recommended !== row.desiredServers) {
      try {
        await simulator.scale(row.id, recommended);
      } catch (err) {
        applied = row.desiredServers;
        kept = { ...row.controller, failedReads: 0 };
        limitedBy = 'simulatorError';
        reason = `${reason}; the simulator did not take ${recommended} (${(err as Error).message}), keeping ${applied}`;
      }
    }
    const breaker = breakers.state(row.id);
    const servers = {
      ready: metrics.servers.filter((s) => s.ready).length,
      booting: metrics.servers.filter((s) => s.phase === 'Pending').length,
      deleting: metrics.servers.filter((s) => s.deleting).length,
    };
    return {
      row,
      sample: sampleOf(row, metrics, now, applied),
      memory: kept,
      breaker,
      event: {
        ...base,
        recommendedServers: recommended,
        appliedServers: applied,
        limitedBy,
        reason,
        breaker,
        inputs: {
          cluster: metrics.cluster,
          servers,
          target: row.target,
          elapsedSeconds: elapsed,
          metricReplicas: result.metricReplicas,
          proposals: result.proposals,
          conditions: result.conditions,
          ...(figures ? { forecast: figures } : {}),
        },
      },
    };
  }

  return {
    /** One tick over every cluster; a cluster whose read or scale fails gets a fallback event, never a failed tick. */
    async tick(): Promise<Outcome[]> {
      const now = clock.now();
      const rows = await repo.clusters(db);
      const ids = new Set(rows.map((r) => r.id));
      breakers.retain(ids);
      for (const id of forecasters.keys()) if (!ids.has(id)) forecasters.delete(id);
      const outcomes = await eachLimited(rows, CONCURRENCY, (row) => tickOne(row, now));
      await store.write(outcomes.flatMap((o) => (o.sample ? [o.sample] : [])));
      const saved: Outcome[] = [];
      await db.transaction(async (tx) => {
        for (const o of outcomes) {
          const kept = await repo.saveTick(tx, o.row.id, {
            desiredServers: o.event.appliedServers,
            controller: o.memory,
            lastTickAt: now,
            breaker: o.breaker,
          });
          if (kept) saved.push(o);
        }
        await repo.insertEvents(
          tx,
          saved.map((o) => o.event),
        );
      });
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
      await live.publish(
        saved.flatMap((o): LiveMessage[] => [
          ...(o.sample ? [{ type: 'sample' as const, clusterId: o.row.id, sample: pointOf(o.sample) }] : []),
          { type: 'event', clusterId: o.row.id, event: toEvent(o.event) },
        ]),
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
