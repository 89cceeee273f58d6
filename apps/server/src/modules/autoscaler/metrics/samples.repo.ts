import { and, asc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db';
import { pgList } from '../../../platform/pg-arrays';
import { copyColumn, copyInto } from '../../../platform/pg-copy';
import { autoscalerRollups as r, type SampleRow, autoscalerSamples as s } from '../autoscaler.tables';

/** Rows per statement of a batch write. */
const BATCH = 10_000;
const MINUTE_MS = 60_000;
/**
 * The rows' dates as an array literal of ISO texts, each made once per distinct time (a batch's rows
 * mostly share one): a toISOString per row was a share of writing 10,000 rows.
 */
function dates<T>(rows: T[], of: (row: T) => Date): string {
  let time = Number.NaN;
  let iso = '';
  return pgList(
    rows.map((x) => {
      const t = of(x).getTime();
      if (t !== time) [time, iso] = [t, of(x).toISOString()];
      return iso;
    }),
  );
}
/** A column of the rows as an array literal of numbers (null: NULL). */
const column = <T>(rows: T[], of: (row: T) => number | null) => pgList(rows.map(of));

/** The samples by binary COPY (~100 bytes a row). */
const copySamples = copyInto<SampleRow>(
  'autoscaler_samples',
  [
    copyColumn.uuid('cluster_id', (x) => x.clusterId),
    copyColumn.time('at', (x) => x.at.getTime()),
    copyColumn.float('request_rate', (x) => x.requestRate),
    copyColumn.float('p95_ms', (x) => x.p95Ms),
    copyColumn.float('error_rate', (x) => x.errorRate),
    copyColumn.float('cpu_percent', (x) => x.cpuPercent),
    copyColumn.int('ready_servers', (x) => x.readyServers),
    copyColumn.int('total_servers', (x) => x.totalServers),
    copyColumn.int('desired_servers', (x) => x.desiredServers),
  ],
  () => 110,
);

/** A minute's row as the rollups keep it: sums, counts and peaks (averages are made when read). */
export type MinuteRow = {
  minute: Date;
  samples: number;
  requestRateSum: number;
  p95MsMax: number;
  errorRateSum: number;
  cpuPercentSum: number;
  cpuSamples: number;
  readyServersSum: number;
  desiredServersMax: number;
};

/** The UTC minute a sample falls in, whatever the session's time zone. */
const MINUTE = sql`date_bin('1 minute', at, timestamptz '2000-01-01 00:00:00+00')`;
/**
 * A minute's figures over its samples, in the rollups' column order: one formula for the job that
 * stores them and for a chart's minutes not rolled up yet.
 */
const FIGURES = sql`count(*)::int, sum(request_rate), max(request_rate), max(p95_ms), sum(error_rate),
  coalesce(sum(cpu_percent), 0), count(cpu_percent)::int, sum(ready_servers)::float8, max(desired_servers)`;
/** The first minute not rolled up yet: the rollups hold the minutes before it. */
const ROLLED_TO = sql`(select rolled_to from autoscaler_rollup_state)`;
const iso = (d: Date) => d.toISOString();

/**
 * One cluster's minutes in [from, to]: the rolled-up ones from the rollups, the later ones
 * aggregated from the samples. One statement, so both sides see one watermark.
 */
function minutesOf(clusterId: string, from: Date, to: Date) {
  const first = iso(new Date(Math.ceil(from.getTime() / MINUTE_MS) * MINUTE_MS));
  const end = iso(new Date(Math.floor(to.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS));
  return sql`
      select minute, samples, request_rate_sum, p95_ms_max, error_rate_sum, cpu_percent_sum, cpu_samples,
             ready_servers_sum, desired_servers_max
        from autoscaler_rollups
       where cluster_id = ${clusterId} and minute >= ${first}::timestamptz
         and minute < ${end}::timestamptz and minute < ${ROLLED_TO}
      union all
      select minute, samples, request_rate_sum, p95_ms_max, error_rate_sum, cpu_percent_sum, cpu_samples,
             ready_servers_sum, desired_servers_max
        from (select ${MINUTE} as minute, ${FIGURES}
                from autoscaler_samples
               where cluster_id = ${clusterId} and at >= greatest(${first}::timestamptz, ${ROLLED_TO})
                 and at < ${end}::timestamptz
               group by 1) as tail (minute, samples, request_rate_sum, request_rate_max, p95_ms_max,
                                    error_rate_sum, cpu_percent_sum, cpu_samples, ready_servers_sum,
                                    desired_servers_max)`;
}

/** The SQL of the metrics store: samples (in day partitions, see platform/day-partitions.ts), rollups per minute. */
export const samplesRepo = {
  /**
   * One COPY per 10,000 rows on PostgreSQL (binary rows, no statement text); elsewhere one statement
   * per 10,000 rows, each column an array parameter (a tick writes one row per cluster).
   */
  async insertSamples(db: DbOrTx, rows: SampleRow[]) {
    for (let i = 0; i < rows.length; i += BATCH) {
      const b = rows.slice(i, i + BATCH);
      if (await copySamples(db, b)) continue;
      await db.execute(sql`
        insert into autoscaler_samples (cluster_id, at, request_rate, p95_ms, error_rate, cpu_percent,
                                        ready_servers, total_servers, desired_servers)
        select * from unnest(
          ${pgList(b.map((x) => x.clusterId))}::uuid[], ${dates(b, (x) => x.at)}::timestamptz[],
          ${column(b, (x) => x.requestRate)}::float8[], ${column(b, (x) => x.p95Ms)}::float8[],
          ${column(b, (x) => x.errorRate)}::float8[], ${column(b, (x) => x.cpuPercent)}::float8[],
          ${column(b, (x) => x.readyServers)}::int[], ${column(b, (x) => x.totalServers)}::int[],
          ${column(b, (x) => x.desiredServers)}::int[])`);
    }
  },
  /**
   * Summarises the BRIN ranges on time written since the last one (here or by vacuum). A range not
   * summarised matches every query: without this, the job's read of a minute scanned a day partition's
   * rows written since autovacuum last came (it comes after the table grows by a fifth).
   */
  async summarizeTimeIndex(db: DbOrTx) {
    await db.execute(sql`
      select brin_summarize_new_values(inhrelid) from pg_inherits
       where inhparent = 'autoscaler_samples_at_brin'::regclass`);
  },
  /** Locks the rollups' watermark until the transaction ends (a second job waits, then sees it moved). */
  async lockRolledTo(tx: DbOrTx): Promise<Date> {
    const r = await tx.execute<{ rolled_to: Date | string }>(
      sql`select rolled_to from autoscaler_rollup_state for update`,
    );
    return new Date(r.rows[0]!.rolled_to);
  },
  /**
   * Rolls up the minutes in [from, to) from their samples and moves the watermark to `to`; answers the
   * rows written. A row already there (written by a release that added to it per tick) is replaced:
   * the samples are the whole truth.
   */
  async rollUp(tx: DbOrTx, from: Date, to: Date): Promise<number> {
    const r = await tx.execute<{ n: number }>(sql`
      with rolled as (
        insert into autoscaler_rollups (cluster_id, minute, samples, request_rate_sum, request_rate_max,
          p95_ms_max, error_rate_sum, cpu_percent_sum, cpu_samples, ready_servers_sum, desired_servers_max)
        select cluster_id, ${MINUTE}, ${FIGURES}
          from autoscaler_samples
         where at >= ${iso(from)}::timestamptz and at < ${iso(to)}::timestamptz
         group by cluster_id, 2
        on conflict (cluster_id, minute) do update set
          samples = excluded.samples, request_rate_sum = excluded.request_rate_sum,
          request_rate_max = excluded.request_rate_max, p95_ms_max = excluded.p95_ms_max,
          error_rate_sum = excluded.error_rate_sum, cpu_percent_sum = excluded.cpu_percent_sum,
          cpu_samples = excluded.cpu_samples, ready_servers_sum = excluded.ready_servers_sum,
          desired_servers_max = excluded.desired_servers_max
        returning 1),
      moved as (update autoscaler_rollup_state set rolled_to = ${iso(to)}::timestamptz)
      select count(*)::int as n from rolled`);
    return r.rows[0]!.n;
  },
  async deleteRollupsBefore(db: DbOrTx, before: Date) {
    await db.delete(r).where(lt(r.minute, before));
  },
  async samples(db: DbOrTx, clusterId: string, from: Date, to: Date, limit: number) {
    return db
      .select()
      .from(s)
      .where(and(eq(s.clusterId, clusterId), gte(s.at, from), lte(s.at, to)))
      .orderBy(asc(s.at))
      .limit(limit);
  },
  /** One cluster's minutes in [from, to], oldest first (see minutesOf). */
  async minutes(db: DbOrTx, clusterId: string, from: Date, to: Date, limit: number): Promise<MinuteRow[]> {
    const r = await db.execute<Record<string, number | string | Date>>(sql`
      select * from (${minutesOf(clusterId, from, to)}) as m order by minute limit ${limit}`);
    return r.rows.map((x) => ({
      minute: new Date(x.minute as string),
      samples: Number(x.samples),
      requestRateSum: Number(x.request_rate_sum),
      p95MsMax: Number(x.p95_ms_max),
      errorRateSum: Number(x.error_rate_sum),
      cpuPercentSum: Number(x.cpu_percent_sum),
      cpuSamples: Number(x.cpu_samples),
      readyServersSum: Number(x.ready_servers_sum),
      desiredServersMax: Number(x.desired_servers_max),
    }));
  },
  /**
   * One cluster's mean request rate per minute in [from, to], oldest first, at as epoch
   * milliseconds: only the two figures a forecaster's history needs (a week of minutes is read per
   * predictive cluster when a replica takes the loop over). The mean is the charts' (store.ts `read`).
   */
  async minuteRates(db: DbOrTx, clusterId: string, from: Date, to: Date, limit: number) {
    const r = await db.execute<{ at: number; rate: number }>(sql`
      select (extract(epoch from minute) * 1000)::float8 as at, request_rate_sum / samples as rate
        from (${minutesOf(clusterId, from, to)}) as m
       where samples > 0
       order by minute limit ${limit}`);
    return r.rows;
  },
};
