import type { TSamplePoint, TSampleQuery, TSampleSeries } from '@clockpilot/contracts';
import type { AppContext } from '../../../platform/context';
import { dayPartitions } from '../../../platform/day-partitions';
import { unprocessable } from '../../../platform/errors';
import type { SampleRow } from '../autoscaler.tables';
import { type RollupAdd, samplesRepo as repo } from './samples.repo';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
export const ROLLUP_RETENTION_DAYS = 90;
const MAX_POINTS = 10_000;

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

/** Adds samples into their per-minute rows, summed in memory first so a batch is one upsert. */
function rollupsOf(samples: Sample[]): RollupAdd[] {
  const rows = new Map<string, RollupAdd>();
  for (const x of samples) {
    const minute = new Date(Math.floor(x.at.getTime() / MINUTE_MS) * MINUTE_MS);
    const key = `${x.clusterId}/${minute.getTime()}`;
    let r = rows.get(key);
    if (!r) {
      r = {
        clusterId: x.clusterId,
        minute,
        samples: 0,
        requestRateSum: 0,
        requestRateMax: 0,
        p95MsMax: 0,
        errorRateSum: 0,
        cpuPercentSum: 0,
        cpuSamples: 0,
        readyServersSum: 0,
        desiredServersMax: 0,
      };
      rows.set(key, r);
    }
    r.samples++;
    r.requestRateSum += x.requestRate;
    r.requestRateMax = Math.max(r.requestRateMax, x.requestRate);
    r.p95MsMax = Math.max(r.p95MsMax, x.p95Ms);
    r.errorRateSum += x.errorRate;
    if (x.cpuPercent !== null) {
      r.cpuPercentSum += x.cpuPercent;
      r.cpuSamples++;
    }
    r.readyServersSum += x.readyServers;
    r.desiredServersMax = Math.max(r.desiredServersMax, x.desiredServers);
  }
  return [...rows.values()];
}

/**
 * The autoscaler's metrics store: raw samples in day partitions (dropped whole after
 * AUTOSCALER_METRICS_RETENTION_DAYS) and 1-minute rollups kept 90 days for charts.
 */
export function createMetricsStore(ctx: AppContext) {
  const { db } = ctx;
  const days = dayPartitions(db, 'autoscaler_samples', ctx.config.autoscaler.metricsRetentionDays);

  async function writeOnce(samples: Sample[]) {
    await db.transaction(async (tx) => {
      await repo.insertSamples(tx, samples);
      await repo.addRollups(tx, rollupsOf(samples));
    });
  }

  return {
    /** Stores a batch of samples with their rollups, in one transaction. */
    async write(samples: Sample[]) {
      if (samples.length === 0) return;
      await days.write(
        () => writeOnce(samples),
        () => samples.map((x) => x.at),
      );
    },

    /** Makes the sample partitions of the next days. */
    prepare: days.prepare,

    /** Drops the day partitions wholly older than the retention, and rollups older than 90 days. */
    async retain(now: Date): Promise<string[]> {
      const dropped = await days.retain(now);
      await repo.deleteRollupsBefore(db, new Date(now.getTime() - ROLLUP_RETENTION_DAYS * DAY_MS));
      return dropped;
    },

    /** One cluster's series over [from, to]: raw samples, or minute rollups (averages, peaks for p95 and desired). */
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
        const rows = await repo.rollups(db, clusterId, from, to, MAX_POINTS + 1);
        points = rows.map((x) => ({
          at: x.minute.toISOString(),
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
