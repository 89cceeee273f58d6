import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db';
import { pgList, pgTexts } from '../../../platform/pg-arrays';
import { autoscalerForecastEvidence as x } from '../autoscaler.tables';
import type { Evidence } from '../engine/ensemble';

export type SavedEvidence = { clusterId: string; settings: string; savedAt: Date; evidence: Evidence };

/** Rows per statement of a save. */
const BATCH = 1_000;
/**
 * Scores to six digits: a row then stays under PostgreSQL's 2 kB TOAST threshold (~1.2 kB, not
 * ~2.7 kB compressed), and a save of 1,000 rows took ~0.6× as long (docs/DECISIONS.md).
 */
const six = (x: number) => Number(x.toPrecision(6));
const stored = (e: Evidence): Evidence => ({ ...e, cost: e.cost.map(six), misses: e.misses.map(six) });

/** The predictive mode's saved rule scores, one row per cluster. */
export const evidenceRepo = {
  async find(db: DbOrTx, clusterId: string): Promise<SavedEvidence | undefined> {
    const [row] = await db.select().from(x).where(eq(x.clusterId, clusterId));
    return row;
  },
  /**
   * Each cluster's scores at `savedAt`, replacing what it had unless that was scored over more syncs
   * (a replica that missed some of the cluster's ticks does not overwrite the one that ran them). A
   * cluster deleted before the statement gets none; one deleted while it runs fails the batch.
   */
  async save(db: DbOrTx, savedAt: Date, rows: Omit<SavedEvidence, 'savedAt'>[]) {
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      await db.execute(sql`
        insert into autoscaler_forecast_evidence as old (cluster_id, settings, saved_at, evidence)
        select x.id, x.settings, ${savedAt.toISOString()}::timestamptz, x.evidence
          from rows from (
            unnest(${pgList(batch.map((r) => r.clusterId))}::uuid[]),
            unnest(${pgTexts(batch.map((r) => r.settings))}::text[]),
            json_array_elements(${JSON.stringify(batch.map((r) => stored(r.evidence)))}::json)
          ) as x(id, settings, evidence)
          join autoscaler_clusters c on c.id = x.id
        on conflict (cluster_id) do update
          set settings = excluded.settings, saved_at = excluded.saved_at, evidence = excluded.evidence
          where old.settings <> excluded.settings
             or coalesce((old.evidence ->> 'buckets')::float8, 0) <= (excluded.evidence ->> 'buckets')::float8`);
    }
  },
};
