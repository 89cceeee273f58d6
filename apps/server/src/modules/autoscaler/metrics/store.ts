import type { TSamplePoint, TSampleQuery, TSampleSeries } from '@clockpilot/contracts';
import type { AppContext } from '../../../platform/context';
import { dayPartitions } from '../../../platform/day-partitions';
import { unprocessable } from '../../../platform/errors';
import type { SampleRow } from '../autoscaler.tables';
import { samplesRepo as repo } from './samples.repo';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
export const ROLLUP_RETENTION_DAYS = 90;
const MAX_POINTS = 10_000;
/** Minutes one run of the rollup job rolls up at most: a long outage is caught up over several runs. */
export const ROLLUP_MINUTES_PER_RUN = 60;

const floorTo = (t: number, unit: number) => Math.floor(t / unit) * unit;
/** How long a tick may run before its job is given up on: also how long a minute may still get samples. */
export const tickExpirySeconds = (syncSeconds: number) => Math.max(30, 2 * syncSeconds);

export type Sample = SampleRow;

/** A raw sample as the API and the WebSocket show it (`at`: its time as ISO text, when made already). */
export const pointOf = (x: Sample, at = x.at.toISOString()): TSamplePoint => ({
  at,
  requestRate: x.requestRate,
  p95Ms: x.p95Ms,
  errorRate: x.errorRate,
  cpuPercent: x.cpuPercent,
  readyServers: x.readyServers,
  desiredServers: x.desiredServers,
});

/**
 * The autoscaler's metrics store: raw samples in day partitions (dropped whole after
 * AUTOSCALER_METRICS_RETENTION_DAYS) and 1-minute rollups kept 90 days for charts, made from the
 * samples by `rollUp` once a minute is closed.
 */
export function createMetricsStore(ctx: AppContext) {
  const { db } = ctx;
  const { metricsRetentionDays, syncSeconds } = ctx.config.autoscaler;
  const days = dayPartitions(db, 'autoscaler_samples', metricsRetentionDays);
  /**
   * A minute is closed this long after its end: a tick's samples carry its start time, and a tick runs
   * until its job expires, so a late one can still write into a minute just ended.
   */
  const closeMs = tickExpirySeconds(syncSeconds) * 1000;

  const writeOnce = (samples: Sample[]) => db.transaction((tx) => repo.insertSamples(tx, samples));

  return {
    /** Stores a batch of samples, in one transaction. */
    async write(samples: Sample[]) {
      if (samples.length === 0) return;
      await days.write(
        () => writeOnce(samples),
        () => samples.map((x) => x.at),
      );
    },

    /**
     * Rolls up the closed minutes not rolled up yet, at most ROLLUP_MINUTES_PER_RUN, in one transaction
     * that moves the watermark: a second run, here or on another replica, waits for it and finds them
     * done. Minutes before the oldest day the samples' retention keeps are skipped (their samples are
     * gone). Answers the minutes rolled and the rows written.
     */
    async rollUp(now: Date): Promise<{ from: Date; to: Date; rows: number } | null> {
      const closed = floorTo(now.getTime() - closeMs, MINUTE_MS);
      const kept = floorTo(now.getTime() - metricsRetentionDays * DAY_MS, DAY_MS);
      await repo.summarizeTimeIndex(db);
      return db.transaction(async (tx) => {
        const rolledTo = (await repo.lockRolledTo(tx)).getTime();
        const from = Math.max(rolledTo, kept);
        const to = Math.min(closed, from + ROLLUP_MINUTES_PER_RUN * MINUTE_MS);
        if (to <= from) return null;
        const rows = await repo.rollUp(tx, new Date(from), new Date(to));
        return { from: new Date(from), to: new Date(to), rows };
      });
    },

    /** Makes the sample partitions of the next days. */
    prepare: days.prepare,

    /** Drops the day partitions wholly older than the retention, and rollups older than 90 days. */
    async retain(now: Date): Promise<string[]> {
      const dropped = await days.retain(now);
      await repo.deleteRollupsBefore(db, new Date(now.getTime() - ROLLUP_RETENTION_DAYS * DAY_MS));
      return dropped;
    },

    /** One cluster's mean request rate of each minute in [from, to] that has samples, oldest first. */
    async minuteRates(clusterId: string, from: Date, to: Date) {
      const limit = Math.ceil((to.getTime() - from.getTime()) / MINUTE_MS) + 1;
      return repo.minuteRates(db, clusterId, from, to, limit);
    },

    /**
     * One cluster's series over [from, to]: raw samples, or minutes (averages, peaks for p95 and
     * desired): rolled-up minutes, then the newest ones aggregated from the samples alike.
     */
    async read(clusterId: string, q: TSampleQuery, now: Date): Promise<TSampleSeries> {
      const to = q.to ? new Date(q.to) : now;
      const from = q.from ? new Date(q.from) : new Date(to.getTime() - 3_600_000);
      if (from >= to) throw unprocessable('query.from', 'The range must start before it ends');
      const resolution = q.resolution ?? (to.getTime() - from.getTime() > 6 * 3_600_000 ? 'minute' : 'raw');
      let points: TSamplePoint[];
      if (resolution === 'raw') {
        const rows = await repo.samples(db, clusterId, from, to, MAX_POINTS + 1);
        points = rows.map((x) => pointOf(x));
      } else {
        const rows = await repo.minutes(db, clusterId, from, to, MAX_POINTS + 1);
        points = rows.map((x) => ({
          at: x.minute.toISOString(),
          // The forecasters' history reads the same mean in SQL (samples.repo.ts `minuteRates`).
          requestRate: x.requestRateSum / x.samples,
          p95Ms: x.p95MsMax,
          errorRate: x.errorRateSum / x.samples,
          cpuPercent: x.cpuSamples > 0 ? x.cpuPercentSum / x.cpuSamples : null,
          readyServers: x.readyServersSum / x.samples,
          desiredServers: x.desiredServersMax,
        }));
      }
      const truncated = points.length > MAX_POINTS;
      return {
        resolution,
        from: from.toISOString(),
        to: to.toISOString(),
        truncated,
        points: points.slice(0, MAX_POINTS),
      };
    },
  };
}
export type MetricsStore = ReturnType<typeof createMetricsStore>;
