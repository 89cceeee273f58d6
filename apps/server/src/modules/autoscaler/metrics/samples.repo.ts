import { and, asc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db';
import { autoscalerRollups as r, type SampleRow, autoscalerSamples as s } from '../autoscaler.tables';

const DAY_MS = 86_400_000;
/** `autoscaler_samples_20261126`: the partition of one UTC day; names are made here only, from dates. */
const partitionName = (day: Date) => `autoscaler_samples_${day.toISOString().slice(0, 10).replace(/-/g, '')}`;
const dayOf = (name: string) => {
  const m = /^autoscaler_samples_(\d{4})(\d{2})(\d{2})$/.exec(name);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`) : null;
};
export const startOfDay = (d: Date) => new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);

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

/** The SQL of the metrics store: samples by day partition, rollups per minute. */
export const samplesRepo = {
  /** Creates the day partitions from `from` for `days` days; one creator at a time across replicas. */
  async ensurePartitions(db: DbOrTx, from: Date, days: number) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('autoscaler_samples partitions'))`);
      for (let i = 0; i < days; i++) {
        const day = new Date(startOfDay(from).getTime() + i * DAY_MS);
        const next = new Date(day.getTime() + DAY_MS);
        await tx.execute(
          sql.raw(
            `create table if not exists ${partitionName(day)} partition of autoscaler_samples ` +
              `for values from ('${day.toISOString()}') to ('${next.toISOString()}')`,
          ),
        );
      }
    });
  },
  async partitions(db: DbOrTx): Promise<{ name: string; day: Date }[]> {
    const rows = await db.execute<{ name: string }>(
      sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = 'autoscaler_samples'::regclass order by 1`,
    );
    return (rows.rows as { name: string }[]).flatMap(({ name }) => {
      const day = dayOf(name);
      return day ? [{ name, day }] : [];
    });
  },
  async dropPartition(db: DbOrTx, name: string) {
    if (!dayOf(name)) throw new Error(`not a sample partition: ${name}`);
    await db.execute(sql.raw(`drop table if exists ${name}`));
  },
  async insertSamples(db: DbOrTx, rows: SampleRow[]) {
    for (let i = 0; i < rows.length; i += 1000) await db.insert(s).values(rows.slice(i, i + 1000));
  },
  /** In statements of 1,000 rows: PostgreSQL takes at most 65,535 parameters per statement. */
  async addRollups(db: DbOrTx, rows: RollupAdd[]) {
    const add = (col: string) => sql.raw(`autoscaler_rollups.${col} + excluded.${col}`);
    const max = (col: string) => sql.raw(`greatest(autoscaler_rollups.${col}, excluded.${col})`);
    for (let i = 0; i < rows.length; i += 1000)
      await db
        .insert(r)
        .values(rows.slice(i, i + 1000))
        .onConflictDoUpdate({
          target: [r.clusterId, r.minute],
          set: {
            samples: add('samples'),
            requestRateSum: add('request_rate_sum'),
            requestRateMax: max('request_rate_max'),
            p95MsMax: max('p95_ms_max'),
            errorRateSum: add('error_rate_sum'),
            cpuPercentSum: add('cpu_percent_sum'),
            cpuSamples: add('cpu_samples'),
            readyServersSum: add('ready_servers_sum'),
            desiredServersMax: max('desired_servers_max'),
          },
        });
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
