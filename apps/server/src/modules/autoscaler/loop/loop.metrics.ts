import { Counter, Gauge, Histogram } from 'prom-client';
import type { AppContext } from '../../../platform/context';

/** What one cluster's tick decided and read, as the loop's Prometheus series see it. */
export type TickFigures = {
  clusterId: string;
  previousServers: number;
  appliedServers: number;
  /** Null when the metrics could not be read. */
  readyServers: number | null;
  breakerOpen: boolean;
};

/**
 * The loop's per-cluster series (label `cluster` = the cluster id), kept by the replica that ran the
 * tick: a series is set when its value changed (a replica's first tick sets them all); the series of a
 * cluster that is gone are dropped at the next tick.
 */
export function createLoopMetrics(ctx: AppContext) {
  const registers = [ctx.metrics.registry];
  const perCluster = (name: string, help: string) =>
    new Gauge({ name: `clockpilot_autoscaler_${name}`, help, labelNames: ['cluster'], registers });
  const desired = perCluster(
    'servers_desired',
    'Servers the autoscaler set for each cluster at its last tick',
  );
  const ready = perCluster(
    'servers_ready',
    'Ready servers of each cluster at its last tick (absent while its metrics cannot be read)',
  );
  const breakerOpen = perCluster(
    'breaker_open',
    "1 while the cluster's metrics circuit breaker is open at a tick, else 0",
  );
  const decisions = new Counter({
    name: 'clockpilot_autoscaler_decisions_total',
    help: 'Control-loop decisions per cluster tick, by the change applied (up, down, none)',
    labelNames: ['action'],
    registers,
  });
  // Each action starts at 0, so rate() sees the first up or down.
  for (const action of ['up', 'down', 'none']) decisions.inc({ action }, 0);
  // Where a tick's time goes, to find what to make faster: reads, decisions and scales are one phase
  // (they interleave per cluster), the writes and the live publication one each.
  const phases = new Histogram({
    name: 'clockpilot_autoscaler_tick_phase_seconds',
    help: 'Seconds a control-loop tick spent per phase (clusters, forecasters, ticks, samples, decisions, publish, scores)',
    labelNames: ['phase'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  // What each cluster's series hold now: a tick sets only those that changed (most keep their value),
  // as setting a labelled series hashes its labels, 30,000 times a tick over 10,000 clusters.
  const known = new Map<string, { desired: number; ready: number | null; breakerOpen: boolean }>();

  return {
    /** Starts timing one phase of a tick; the answer ends it. */
    phase: (phase: string) => phases.startTimer({ phase }),
    /** One tick: `clusters` are all the clusters that exist now, `figures` those whose tick was saved. */
    record(clusters: Set<string>, figures: TickFigures[]) {
      for (const id of known.keys()) {
        if (clusters.has(id)) continue;
        for (const g of [desired, ready, breakerOpen]) g.remove({ cluster: id });
        known.delete(id);
      }
      const actions = { up: 0, down: 0, none: 0 };
      for (const f of figures) {
        const cluster = f.clusterId;
        const held = known.get(cluster);
        if (held?.desired !== f.appliedServers) desired.set({ cluster }, f.appliedServers);
        if (held?.ready !== f.readyServers) {
          if (f.readyServers === null) ready.remove({ cluster });
          else ready.set({ cluster }, f.readyServers);
        }
        if (held?.breakerOpen !== f.breakerOpen) breakerOpen.set({ cluster }, f.breakerOpen ? 1 : 0);
        known.set(cluster, { desired: f.appliedServers, ready: f.readyServers, breakerOpen: f.breakerOpen });
        const change = f.appliedServers - f.previousServers;
        actions[change > 0 ? 'up' : change < 0 ? 'down' : 'none']++;
      }
      for (const [action, n] of Object.entries(actions)) if (n > 0) decisions.inc({ action }, n);
    },
  };
}
export type LoopMetrics = ReturnType<typeof createLoopMetrics>;
