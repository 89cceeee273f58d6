import { DEFAULT_PREDICTIVE, Forecaster } from '../engine/predictive';
import type { MetricsStore } from '../metrics/store';
import { targetShare } from './controller';
import type { TickRow } from './events.repo';
import { eachLimited } from './limits';

/** A week and a day: the forecast's weekly term needs a week of levels before the day it reads. */
const HISTORY_DAYS = 8;
/** Stored histories read at once when forecasters are rebuilt (fewer when the pool is small). */
const HISTORY_READS = 4;

/**
 * Feeds a new forecaster the cluster's latest history: one bucket per sync period from its first
 * stored minute until `now`, each at the mean rate of its minute, or skipped where no minute was
 * stored (the loop did not run), so the buckets a day and a week ago are where the forecast looks
 * for them.
 */
async function observeHistory(
  store: MetricsStore,
  forecaster: Forecaster,
  clusterId: string,
  now: Date,
  bucketSeconds: number,
) {
  const until = now.getTime();
  const minutes = await store.minuteRates(clusterId, new Date(until - HISTORY_DAYS * 86_400_000), now);
  const step = bucketSeconds * 1000;
  let i = 0;
  for (let at = minutes[0]?.at ?? until; at + step <= until; at += step) {
    while ((minutes[i + 1]?.at ?? Number.POSITIVE_INFINITY) <= at) i++;
    const minute = minutes[i] as { at: number; rate: number };
    if (at < minute.at + 60_000) forecaster.observe(minute.rate);
    else forecaster.skip();
  }
}

/**
 * The predictive clusters' forecasters this replica keeps between ticks. One it lacks (a restart, a
 * takeover, a settings change) is rebuilt from the cluster's stored history, `perTick` at most per
 * tick: a week of minutes costs ~40 ms each, and thousands at a takeover would stall the tick for
 * minutes. Until its turn, a cluster is decided by the HPA's rules.
 */
export function createForecasters(store: MetricsStore, syncSeconds: number, perTick: number) {
  const known = new Map<string, { forecaster: Forecaster; key: string }>();
  // The forecast is provisioned at the cluster's target, in units of a server's SLO capacity: a
  // change of either, or of the boot delay, makes a new forecaster.
  const keyOf = (row: TickRow) =>
    `${row.simulation.capacityRps}/${targetShare(row)}/${row.simulation.bootSeconds}`;
  const of = (row: TickRow) => {
    const k = known.get(row.id);
    return k?.key === keyOf(row) ? k.forecaster : undefined;
  };

  async function rebuild(row: TickRow, now: Date) {
    const forecaster = new Forecaster({
      ...DEFAULT_PREDICTIVE,
      bucketSeconds: syncSeconds,
      bootSeconds: row.simulation.bootSeconds,
      serverRps: row.simulation.capacityRps,
      targetUtilization: targetShare(row),
    });
    await observeHistory(store, forecaster, row.id, now, syncSeconds);
    known.set(row.id, { forecaster, key: keyOf(row) });
  }

  return {
    perTick,
    /** The cluster's forecaster, if this replica has one for its settings. */
    of,
    /**
     * Before a tick over `rows` (every cluster there is, `ids` theirs): drops the forecasters of
     * clusters that are gone and rebuilds up to `perTick` of the missing ones, `connections` history
     * reads at most at once.
     */
    async prepare(rows: TickRow[], ids: Set<string>, now: Date, connections: number) {
      for (const id of known.keys()) if (!ids.has(id)) known.delete(id);
      const lacking = rows.filter((r) => r.mode === 'predictive' && !of(r));
      await eachLimited(lacking.slice(0, perTick), Math.min(HISTORY_READS, connections), (row) =>
        rebuild(row, now),
      );
    },
  };
}
