import { and, asc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db';
import { pgList } from '../../../platform/pg-arrays';
import { autoscalerRollups as r, type SampleRow, autoscalerSamples as s } from '../autoscaler.tables';

/** Rows per statement of a batch write. */
const BATCH = 10_000;
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

export type RollupAdd = {
  clusterId: string;
  minute: Date;
  samples: number;
  requestRateSum: number;
  requestRateMax: number;
  p95MsMax: number;
  errorRateSum: number;
  cpuPercentSum: number;
  cpuSamples: number;
  readyServersSum: number;
  desiredServersMax: number;
};

/** The SQL of the metrics store: samples (in day partitions, see platform/day-partitions.ts), rollups per minute. */
export const samplesRepo = {
  /** One statement per 10,000 rows, each column an array parameter (a tick writes one row per cluster). */
  async insertSamples(db: DbOrTx, rows: SampleRow[]) {
    for (let i = 0; i < rows.length; i += BATCH) {
      const b = rows.slice(i, i + BATCH);
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
  async addRollups(db: DbOrTx, rows: RollupAdd[]) {
    for (let i = 0; i < rows.length; i += BATCH) {
      const b = rows.slice(i, i + BATCH);
      await db.execute(sql`
        insert into autoscaler_rollups as r (cluster_id, minute, samples, request_rate_sum, request_rate_max,
          p95_ms_max, error_rate_sum, cpu_percent_sum, cpu_samples, ready_servers_sum, desired_servers_max)
        select * from unnest(
          ${pgList(b.map((x) => x.clusterId))}::uuid[], ${dates(b, (x) => x.minute)}::timestamptz[],
          ${column(b, (x) => x.samples)}::int[], ${column(b, (x) => x.requestRateSum)}::float8[],
          ${column(b, (x) => x.requestRateMax)}::float8[], ${column(b, (x) => x.p95MsMax)}::float8[],
          ${column(b, (x) => x.errorRateSum)}::float8[], ${column(b, (x) => x.cpuPercentSum)}::float8[],
          ${column(b, (x) => x.cpuSamples)}::int[], ${column(b, (x) => x.readyServersSum)}::float8[],
          ${column(b, (x) => x.desiredServersMax)}::int[])
        on conflict (cluster_id, minute) do update set
          samples = r.samples + excluded.samples,
          request_rate_sum = r.request_rate_sum + excluded.request_rate_sum,
          request_rate_max = greatest(r.request_rate_max, excluded.request_rate_max),
          p95_ms_max = greatest(r.p95_ms_max, excluded.p95_ms_max),
          error_rate_sum = r.error_rate_sum + excluded.error_rate_sum,
          cpu_percent_sum = r.cpu_percent_sum + excluded.cpu_percent_sum,
          cpu_samples = r.cpu_samples + excluded.cpu_samples,
          ready_servers_sum = r.ready_servers_sum + excluded.ready_servers_sum,
          desired_servers_max = greatest(r.desired_servers_max, excluded.desired_servers_max)`);
    }
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
  async rollups(db: DbOrTx, clusterId: string, from: Date, to: Date, limit: number) {
    return db
      .select()
      .from(r)
      .where(and(eq(r.clusterId, clusterId), gte(r.minute, from), lte(r.minute, to)))
      .orderBy(asc(r.minute))
      .limit(limit);
  },
};
