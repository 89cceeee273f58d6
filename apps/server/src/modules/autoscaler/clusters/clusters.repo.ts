import type { TClusterListQuery } from '@clockpilot/contracts';
import { and, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db';
import { keyset } from '../../../platform/pagination';
import { type ClusterRow, autoscalerClusters as c, autoscalerClusterTicks as t } from '../autoscaler.tables';

const SORTS = {
  name: { expr: sql`lower(${c.name})`, type: 'text' as const },
  createdAt: { expr: c.createdAt, type: 'timestamptz' as const },
};
type Filter = Pick<TClusterListQuery, 'q' | 'mode'> & { ownerId: string };
type PageOpts = Pick<TClusterListQuery, 'sort' | 'dir' | 'cursor' | 'limit'>;

/** A cluster's settings with the loop's state from its tick row (the count, breaker, memory, last tick). */
const ROW = {
  ...getTableColumns(c),
  desiredServers: t.desiredServers,
  breaker: t.breaker,
  controller: t.controller,
  lastTickAt: t.lastTickAt,
};
const rows = (db: DbOrTx) => db.select(ROW).from(c).innerJoin(t, eq(t.clusterId, c.id));

/** The SQL of clusters; every read for a person names the owner, so another's cluster is never found. */
export const clustersRepo = {
  /** The cluster; its tick row is made in the same statement (migration 0056's trigger). */
  async insert(db: DbOrTx, values: typeof c.$inferInsert): Promise<ClusterRow> {
    const [row] = await db.insert(c).values(values).returning({ id: c.id });
    return (await clustersRepo.byId(db, row!.id))!;
  },
  /**
   * The settings, and the loop's count held within the new bounds. The tick row is written whatever
   * changed: its new version tells a tick in flight that the settings changed under it (events.repo).
   */
  async update(db: DbOrTx, id: string, values: Partial<typeof c.$inferInsert>): Promise<ClusterRow> {
    await db.update(c).set(values).where(eq(c.id, id));
    await db.execute(sql`
      update autoscaler_cluster_ticks t
         set desired_servers = least(c.max_servers, greatest(c.min_servers, t.desired_servers))
        from autoscaler_clusters c
       where t.cluster_id = ${id} and c.id = t.cluster_id`);
    return (await clustersRepo.byId(db, id))!;
  },
  async remove(db: DbOrTx, id: string) {
    await db.delete(c).where(eq(c.id, id));
  },
  async owned(db: DbOrTx, ownerId: string, id: string, lock = false): Promise<ClusterRow | undefined> {
    const q = rows(db).where(and(eq(c.id, id), eq(c.ownerId, ownerId)));
    const [row] = lock ? await q.for('update') : await q;
    return row;
  },
  async byId(db: DbOrTx, id: string): Promise<ClusterRow | undefined> {
    const [row] = await rows(db).where(eq(c.id, id));
    return row;
  },
  async allIds(db: DbOrTx): Promise<string[]> {
    return (await db.select({ id: c.id }).from(c)).map((r) => r.id);
  },
  /** Those of `ids` that still exist. */
  async existing(db: DbOrTx, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    return new Set((await db.select({ id: c.id }).from(c).where(inArray(c.id, ids))).map((r) => r.id));
  },
  /** Serialises one owner's creations and resizes, so two at once cannot both pass the quotas. */
  async lockOwner(db: DbOrTx, ownerId: string) {
    await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`autoscaler:${ownerId}`}))`);
  },
  /** The owner's cluster count and summed maximum servers, leaving one cluster out (an update). */
  async usage(db: DbOrTx, ownerId: string, except?: string) {
    const [row] = await db
      .select({
        clusters: sql<number>`count(*)::int`,
        servers: sql<number>`coalesce(sum(${c.maxServers}), 0)::int`,
      })
      .from(c)
      .where(and(eq(c.ownerId, ownerId), except ? sql`${c.id} <> ${except}` : undefined));
    return row!;
  },
  async page(db: DbOrTx, f: Filter, p: PageOpts) {
    const ks = keyset({ sorts: SORTS, id: c.id, ...p });
    const found = await db
      .select({ ...ROW, _k: ks.key })
      .from(c)
      .innerJoin(t, eq(t.clusterId, c.id))
      .where(
        and(
          eq(c.ownerId, f.ownerId),
          f.q ? sql`strpos(lower(${c.name}), lower(${f.q})) > 0` : undefined,
          f.mode ? eq(c.mode, f.mode) : undefined,
          ks.where,
        ),
      )
      .orderBy(...ks.orderBy)
      .limit(ks.fetch);
    return ks.page(found);
  },
};
