import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db';
import { keyset } from '../../../platform/pagination';
import { autoscalerClusters, type EventRow, autoscalerEvents as e } from '../autoscaler.tables';

const SORTS = { at: { expr: e.at, type: 'timestamptz' as const } };

/** The SQL of the control loop: its events, and the cluster rows it moves on. */
export const loopRepo = {
  async clusters(db: DbOrTx) {
    return db.select().from(autoscalerClusters);
  },
  async insertEvents(db: DbOrTx, rows: EventRow[]) {
    for (let i = 0; i < rows.length; i += 1000) await db.insert(e).values(rows.slice(i, i + 1000));
  },
  /** The tick's outcome; a cluster deleted meanwhile is simply not found. */
  async saveTick(
    db: DbOrTx,
    id: string,
    values: Pick<
      typeof autoscalerClusters.$inferInsert,
      'desiredServers' | 'controller' | 'lastTickAt' | 'breaker'
    >,
  ) {
    const rows = await db
      .update(autoscalerClusters)
      .set(values)
      .where(eq(autoscalerClusters.id, id))
      .returning({ id: autoscalerClusters.id });
    return rows.length > 0;
  },
  async page(db: DbOrTx, clusterId: string, q: { cursor?: string; limit: number; changesOnly?: boolean }) {
    const ks = keyset({ sorts: SORTS, sort: 'at', dir: 'desc', id: e.id, cursor: q.cursor, limit: q.limit });
    const rows = await db
      .select({ ...getTableColumns(e), _k: ks.key })
      .from(e)
      .where(
        and(
          eq(e.clusterId, clusterId),
          q.changesOnly ? sql`${e.appliedServers} <> ${e.previousServers}` : undefined,
          ks.where,
        ),
      )
      .orderBy(...ks.orderBy)
      .limit(ks.fetch);
    return ks.page(rows);
  },
};
