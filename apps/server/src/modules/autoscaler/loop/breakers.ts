import type { TBreakerState } from '@clockpilot/contracts';
import CircuitBreaker from 'opossum';
import { Counter, Gauge } from 'prom-client';
import type { AppContext } from '../../../platform/context';
import type { ClusterMetrics, SimulatorClient } from '../simulator-client';

export type BreakerChange = { clusterId: string; state: TBreakerState };

const stateOf = (b: CircuitBreaker): TBreakerState =>
  b.opened ? 'open' : b.halfOpen ? 'halfOpen' : 'closed';

/**
 * One circuit breaker per cluster around its metrics reads (opossum): it opens when the share of
 * failed reads in the rolling window passes the threshold, answers at once while open (the tick then
 * falls back), lets one probe through after the reset time (half-open) and closes when it succeeds.
 * Breakers live in the replica running the loop; the cluster row keeps the last state for readers.
 */
export function createBreakers(
  ctx: AppContext,
  simulator: SimulatorClient,
  onChange: (change: BreakerChange) => void,
) {
  const o = ctx.config.autoscaler;
  const breakers = new Map<string, CircuitBreaker<[string], ClusterMetrics>>();
  const gauge = new Gauge({
    name: 'clockpilot_autoscaler_breakers',
    help: "Clusters whose metrics circuit breaker is in each state (this replica's breakers)",
    labelNames: ['state'],
    registers: [ctx.metrics.registry],
  });
  const transitions = new Counter({
    name: 'clockpilot_autoscaler_breaker_transitions_total',
    help: 'Circuit breaker state changes of cluster metrics reads, by the state entered',
    labelNames: ['state'],
    registers: [ctx.metrics.registry],
  });
  const count = () => {
    const n = { closed: 0, open: 0, halfOpen: 0 };
    for (const b of breakers.values()) n[stateOf(b)]++;
    for (const [state, value] of Object.entries(n)) gauge.set({ state }, value);
  };

  function breakerFor(clusterId: string) {
    let b = breakers.get(clusterId);
    if (b) return b;
    b = new CircuitBreaker((id: string) => simulator.metrics(id), {
      // The client bounds every read by SIMULATOR_TIMEOUT_MS and fails it as a failed read; a second
      // timer per read here cost a timer set and cleared per cluster and tick.
      timeout: false,
      errorThresholdPercentage: o.breakerErrorPercent,
      volumeThreshold: o.breakerVolume,
      resetTimeout: o.breakerResetSeconds * 1000,
      rollingCountTimeout: o.breakerWindowSeconds * 1000,
      rollingCountBuckets: 10,
      // Neither latency percentiles nor snapshot events are read; with thousands of breakers they
      // cost a sort per read and a timer per breaker.
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
    });
    const entered = (state: TBreakerState) => () => {
      transitions.inc({ state });
      count();
      onChange({ clusterId, state });
    };
    b.on('open', entered('open'));
    b.on('halfOpen', entered('halfOpen'));
    b.on('close', entered('closed'));
    breakers.set(clusterId, b);
    // A new breaker is closed; recounting all of them here made a replica's first tick quadratic.
    gauge.inc({ state: 'closed' });
    return b;
  }

  return {
    /** The cluster's metrics through its breaker; rejects when the read fails or the breaker is open. */
    read: (clusterId: string) => breakerFor(clusterId).fire(clusterId),
    state: (clusterId: string): TBreakerState => {
      const b = breakers.get(clusterId);
      return b ? stateOf(b) : 'closed';
    },
    /** Drops the breakers of clusters that are gone. */
    retain(ids: Set<string>) {
      for (const [id, b] of breakers) {
        if (ids.has(id)) continue;
        b.shutdown();
        breakers.delete(id);
      }
      count();
    },
    shutdown() {
      for (const b of breakers.values()) b.shutdown();
      breakers.clear();
    },
  };
}
export type Breakers = ReturnType<typeof createBreakers>;
