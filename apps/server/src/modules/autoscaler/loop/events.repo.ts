import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db';
import { keyset } from '../../../platform/pagination';
import { pgList, pgTexts } from '../../../platform/pg-arrays';
import { copyColumn, copyInto } from '../../../platform/pg-copy';
import {
  type ClusterRow,
  autoscalerClusters as c,
  type EventRow,
  autoscalerEvents as e,
  autoscalerClusterTicks as t,
} from '../autoscaler.tables';

const SORTS = { at: { expr: e.at, type: 'timestamptz' as const } };
/** Rows per statement of a batch write (a tick writes one per cluster). */
const BATCH = 5_000;
const [OPEN, COMMA, CLOSE] = ['[', ',', ']'].map((c) => Buffer.from(c)) as [Buffer, Buffer, Buffer];

type EventInsert = { row: EventFields; inputs: Buffer };
/** The events of a tick by binary COPY, all at `at` (Unix ms); the inputs as their JSON bytes. */
const copyEvents = (at: number) =>
  copyInto<EventInsert>(
    'autoscaler_events',
    [
      copyColumn.uuid('id', (e) => e.row.id),
      copyColumn.uuid('cluster_id', (e) => e.row.clusterId),
      copyColumn.time('at', () => at),
      copyColumn.text('mode', (e) => e.row.mode),
      copyColumn.int('previous_servers', (e) => e.row.previousServers),
      copyColumn.int('recommended_servers', (e) => e.row.recommendedServers),
      copyColumn.int('applied_servers', (e) => e.row.appliedServers),
      copyColumn.text('limited_by', (e) => e.row.limitedBy),
      copyColumn.text('reason', (e) => e.row.reason),
      copyColumn.text('breaker', (e) => e.row.breaker),
      copyColumn.bytes('inputs', (e) => e.inputs),
    ],
    (e) => 320 + e.inputs.length,
  );

/** An event's columns but its inputs (sent as JSON bytes) and its time (the tick's, once). */
export type EventFields = Omit<EventRow, 'inputs' | 'at'>;

export type TickSave = Pick<ClusterRow, 'desiredServers' | 'controller' | 'breaker'> & {
  id: string;
  /** The version the tick decided on (see VERSION). */
  version: string;
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
  desiredServers: t.desiredServers,
  controller: t.controller,
  lastTickAt: t.lastTickAt,
};
export type TickRow = { [K in keyof typeof TICK_COLUMNS]: ClusterRow[K] };
/**
 * A cluster's version: its settings row's and its tick row's, each the `xmin` of the transaction that
 * wrote it last, changed by every write whoever makes it (a settings change, a tick on another
 * replica), so no writer has to remember to. With the last settings change's time, so that a
 * transaction id used again (a database restored to an earlier point under a running replica) does
 * not pass an old row for the current one. The tick row's part comes last, after SEP: a tick's update
 * is conditioned on it alone, as every settings change writes the tick row too (clusters.repo).
 */
const SEP = '|';
const VERSION = sql<string>`${sql.raw(
  `autoscaler_clusters.xmin::text || '/' || extract(epoch from autoscaler_clusters.updated_at)::text || '${SEP}' || autoscaler_cluster_ticks.xmin::text`,
)}`;
const tickPart = (version: string) => version.slice(version.lastIndexOf(SEP) + 1);
const settingsPart = (version: string) => version.slice(0, version.lastIndexOf(SEP) + 1);

/** The SQL of the control loop: its events, and the cluster rows it moves on. */
export const loopRepo = {
  /** Every cluster's id and version: what a tick reads to know which rows it holds are still current. */
  async versions(db: DbOrTx): Promise<{ id: string; version: string }[]> {
    return db.select({ id: c.id, version: VERSION }).from(c).innerJoin(t, eq(t.clusterId, c.id));
  },
  /** The named clusters' rows with their versions. */
  async clusters(db: DbOrTx, ids: string[]): Promise<(TickRow & { version: string })[]> {
    if (ids.length === 0) return [];
    return db
      .select({ ...TICK_COLUMNS, version: VERSION })
      .from(c)
      .innerJoin(t, eq(t.clusterId, c.id))
      .where(sql`${c.id} = any(${pgList(ids)}::uuid[])`);
  },
  /**
   * One COPY per 5,000 events on PostgreSQL (binary rows: each event's inputs go as their JSON in
   * UTF-8, the bytes the loop also sends in the live message), else one statement per 5,000 events,
   * each column an array (one event's `at` for all: a tick's time), the inputs put together as one
   * JSON list sent as bytes (bytea) and stored as json. Either way no text is encoded again, and
   * PostgreSQL only checks the JSON (building jsonb, and reading whole rows out of one JSON
   * document, were most of its work in a tick).
   */
  async insertEvents(db: DbOrTx, at: string, events: EventInsert[]) {
    const copy = copyEvents(Date.parse(at));
    for (let i = 0; i < events.length; i += BATCH) {
      const batch = events.slice(i, i + BATCH);
      if (await copy(db, batch)) continue;
      const rows = batch.map((e) => e.row);
      const parts = [OPEN];
      for (const e of batch) parts.push(e.inputs, COMMA);
      parts[parts.length - 1] = CLOSE;
      await db.execute(sql`
        insert into autoscaler_events (id, cluster_id, at, mode, previous_servers, recommended_servers,
                                       applied_servers, limited_by, reason, breaker, inputs)
        select id, cluster_id, ${at}::timestamptz, mode, previous_servers, recommended_servers,
               applied_servers, limited_by, reason, breaker, inputs
          from rows from (
            unnest(${pgList(rows.map((r) => r.id))}::uuid[]),
            unnest(${pgList(rows.map((r) => r.clusterId))}::uuid[]),
            unnest(${pgTexts(rows.map((r) => r.mode))}::text[]),
            unnest(${pgList(rows.map((r) => r.previousServers))}::int[]),
            unnest(${pgList(rows.map((r) => r.recommendedServers))}::int[]),
            unnest(${pgList(rows.map((r) => r.appliedServers))}::int[]),
            unnest(${pgTexts(rows.map((r) => r.limitedBy))}::text[]),
            unnest(${pgTexts(rows.map((r) => r.reason))}::text[]),
            unnest(${pgTexts(rows.map((r) => r.breaker))}::text[]),
            json_array_elements(convert_from(${Buffer.concat(parts)}::bytea, 'UTF8')::json)
          ) as x(id, cluster_id, mode, previous_servers, recommended_servers, applied_servers,
                 limited_by, reason, breaker, inputs)`);
    }
  },
  /**
   * Every cluster's tick outcome into its tick row, in one statement per batch, each column an array,
   * the memories as one JSON list stored as json, the tick's time once. Answers the ids still there
   * (not deleted meanwhile), each with the version it now has when no one else wrote the tick row
   * since the tick read it (null when someone did: the row was saved all the same, but what the tick
   * holds of it is old). Those written meanwhile (a settings change, another replica's tick) are saved
   * in a second statement that holds the count within the cluster's bounds as they are now, so a
   * settings change that clamped it is not undone; a deleted cluster has no row to write.
   */
  async saveTicks(db: DbOrTx, rows: TickSave[], lastTickAt: Date): Promise<Map<string, string | null>> {
    const kept = new Map<string, string | null>();
    const settings = new Map(rows.map((r) => [r.id, settingsPart(r.version)]));
    // The check is made again on the newest row version when a concurrent write held the row, so a
    // write that came between is always seen.
    const update = async (batch: TickSave[], unchanged: boolean) => {
      const res = await db.execute<{ id: string; version: string }>(sql`
        update autoscaler_cluster_ticks t
           set desired_servers = ${unchanged ? sql`x.desired_servers` : sql`least(c.max_servers, greatest(c.min_servers, x.desired_servers))`},
               controller = x.controller, last_tick_at = ${lastTickAt.toISOString()}::timestamptz,
               breaker = x.breaker
          from rows from (
            unnest(${pgList(batch.map((r) => r.id))}::uuid[]),
            unnest(${pgTexts(batch.map((r) => tickPart(r.version)))}::text[]),
            unnest(${pgList(batch.map((r) => r.desiredServers))}::int[]),
            json_array_elements(${JSON.stringify(batch.map((r) => r.controller))}::json),
            unnest(${pgTexts(batch.map((r) => r.breaker))}::text[])
          ) as x(id, version, desired_servers, controller, breaker)
          ${unchanged ? sql`` : sql`join autoscaler_clusters c on c.id = x.id`}
         where t.cluster_id = x.id ${unchanged ? sql`and t.xmin::text = x.version` : sql``}
        returning t.cluster_id as id, t.xmin::text as version`);
      for (const r of res.rows as { id: string; version: string }[])
        kept.set(r.id, unchanged ? settings.get(r.id) + r.version : null);
    };
    for (let i = 0; i < rows.length; i += BATCH) await update(rows.slice(i, i + BATCH), true);
    const changed = rows.filter((r) => !kept.has(r.id));
    for (let i = 0; i < changed.length; i += BATCH) await update(changed.slice(i, i + BATCH), false);
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
