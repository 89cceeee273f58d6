import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db';
import { keyset } from '../../../platform/pagination';
import { autoscalerClusters as c, autoscalerEvents as e } from '../autoscaler.tables';

const SORTS = { at: { expr: e.at, type: 'timestamptz' as const } };
/** Rows per statement of a batch write (a tick writes one per cluster). */
const BATCH = 5_000;
const [OPEN, COMMA, CLOSE] = ['[', ',', ']'].map((c) => Buffer.from(c)) as [Buffer, Buffer, Buffer];

export type TickSave = Pick<typeof c.$inferInsert, 'desiredServers' | 'controller' | 'breaker'> & {
  id: string;
};

/**
 * The columns a tick decides on: not the owner, name or dates, whose parsing (two timestamps a row)
 * was a share of reading 10,000 rows each tick.
 */
const TICK_COLUMNS = {
  id: c.id,
  mode: c.mode,
  target: c.target,
  simulation: c.simulation,
  minServers: c.minServers,
  maxServers: c.maxServers,
  behavior: c.behavior,
  fallback: c.fallback,
  desiredServers: c.desiredServers,
  controller: c.controller,
  lastTickAt: c.lastTickAt,
};
export type TickRow = { [K in keyof typeof TICK_COLUMNS]: (typeof c.$inferSelect)[K] };

/** The SQL of the control loop: its events, and the cluster rows it moves on. */
export const loopRepo = {
  async clusters(db: DbOrTx): Promise<TickRow[]> {
    return db.select(TICK_COLUMNS).from(c);
  },
  /**
   * One statement per 5,000 events, the rows as one JSON parameter; each row comes as its JSON in
   * UTF-8 (`JSON.stringify(EventRow)`), the bytes the loop also sends in the live message. The
   * parameter goes as bytes (bytea), so the text is never encoded again nor measured.
   */
  async insertEvents(db: DbOrTx, rows: Buffer[]) {
    for (let i = 0; i < rows.length; i += BATCH) {
      const parts = [OPEN];
      for (const row of rows.slice(i, i + BATCH)) parts.push(row, COMMA);
      parts[parts.length - 1] = CLOSE;
      await db.execute(sql`
        insert into autoscaler_events (id, cluster_id, at, mode, previous_servers, recommended_servers,
                                       applied_servers, limited_by, reason, breaker, inputs)
        select id, "clusterId", at, mode, "previousServers", "recommendedServers", "appliedServers",
               "limitedBy", reason, breaker, inputs
          from jsonb_to_recordset(convert_from(${Buffer.concat(parts)}::bytea, 'UTF8')::jsonb) as x(
            id uuid, "clusterId" uuid, at timestamptz, mode text, "previousServers" int,
            "recommendedServers" int, "appliedServers" int, "limitedBy" text, reason text, breaker text,
            inputs jsonb)`);
    }
  },
  /**
   * Every cluster's tick outcome in one statement per batch, the tick's time once (a date per row
   * made JSON.stringify call its toJSON 10,000 times); answers the ids still there (not deleted meanwhile).
   */
  async saveTicks(db: DbOrTx, rows: TickSave[], lastTickAt: Date): Promise<Set<string>> {
    const kept = new Set<string>();
    for (let i = 0; i < rows.length; i += BATCH) {
      const res = await db.execute<{ id: string }>(sql`
        update autoscaler_clusters c
           set desired_servers = x."desiredServers", controller = x.controller,
               last_tick_at = ${lastTickAt.toISOString()}::timestamptz, breaker = x.breaker
          from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + BATCH))}::jsonb) as x(
            id uuid, "desiredServers" int, controller jsonb, breaker text)
         where c.id = x.id
        returning c.id`);
      for (const r of res.rows as { id: string }[]) kept.add(r.id);
    }
    return kept;
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
