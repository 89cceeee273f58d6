import type { Forecaster } from '../engine/predictive';
import type { MetricsStore } from '../metrics/store';

/** A week and a day: the forecast's weekly term needs a week of levels before the day it reads. */
const HISTORY_DAYS = 8;

/**
 * Feeds a new forecaster the cluster's latest history: one bucket per sync period from its first
 * stored minute until `now`, each at the mean rate of its minute, or skipped where no minute was
 * stored (the loop did not run), so the buckets a day and a week ago are where the forecast looks
 * for them.
 */
export async function observeHistory(
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
