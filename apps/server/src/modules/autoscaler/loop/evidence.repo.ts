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
  /** Each cluster's scores, replacing what it had; a cluster deleted meanwhile gets none. */
  async save(db: DbOrTx, rows: SavedEvidence[]) {
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      await db.execute(sql`
        insert into autoscaler_forecast_evidence (cluster_id, settings, saved_at, evidence)
        select x.id, x.settings, x.saved_at, x.evidence
          from rows from (
            unnest(${pgList(batch.map((r) => r.clusterId))}::uuid[]),
            unnest(${pgTexts(batch.map((r) => r.settings))}::text[]),
            unnest(${pgList(batch.map((r) => r.savedAt.toISOString()))}::timestamptz[]),
            json_array_elements(${JSON.stringify(batch.map((r) => stored(r.evidence)))}::json)
          ) as x(id, settings, saved_at, evidence)
          join autoscaler_clusters c on c.id = x.id
        on conflict (cluster_id) do update
          set settings = excluded.settings, saved_at = excluded.saved_at, evidence = excluded.evidence`);
    }
  },
};
