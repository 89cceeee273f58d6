import type {
  TActivityListQuery,
  TClientListQuery,
  TPersonListQuery,
  TProjectListQuery,
  TTeamListQuery,
} from '@clockpilot/contracts';
import {
  type AnyColumn,
  and,
  eq,
  getTableColumns,
  ilike,
  inArray,
  isNull,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../platform/db';
import { keyset, type SortKey } from '../../platform/pagination';
import { prepared } from '../../platform/unit-of-work';
import { activities, clients, people, projects, teamManagers, teams } from './directory.tables';

type Page = { limit: number; cursor?: string };
type ListQuery = { sort: string; dir: 'asc' | 'desc' };

/**
 * The lock of a row about to be updated. Updates never change ids, and FOR UPDATE would also block
 * the key-share lock a foreign key takes on its target: adding a person to a team (person locked,
 * team referenced) and making them its manager (team locked, person referenced) at once deadlocked.
 */
const ROW_LOCK = 'no key update';

/** `%q%` for ILIKE with the pattern characters of q taken literally. */
const contains = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
// Case-insensitive sort keys; `lower(name)` matches the (lower(name), id) index, nullable columns
// sort as '' so the key is never null.
const lower = (col: AnyColumn) => sql`lower(${col})`;
const lowerOrEmpty = (col: AnyColumn) => sql`lower(coalesce(${col}, ''))`;

const byName = (col: AnyColumn): SortKey => ({ expr: lower(col), type: 'text' });
const byCreated = (col: AnyColumn): SortKey => ({ expr: col, type: 'timestamptz' });

// ---------- people ----------

const PERSON_SORTS = {
  name: byName(people.name),
  email: { expr: lowerOrEmpty(people.email), type: 'text' },
  department: { expr: lowerOrEmpty(people.department), type: 'text' },
  createdAt: byCreated(people.createdAt),
} satisfies Record<TPersonListQuery['sort'], SortKey>;

export type PersonFilter = {
  ids?: string[];
  teamId?: string;
  managerId?: string;
  department?: string;
  active?: boolean;
  q?: string;
  /** Let `q` match employee numbers too; off for readers who may not see them. */
  searchEmployeeNumber?: boolean;
};

function personWhere(f: PersonFilter): SQL | undefined {
  return and(
    f.ids ? inArray(people.id, f.ids) : undefined,
    f.teamId ? eq(people.teamId, f.teamId) : undefined,
    f.managerId ? eq(people.managerId, f.managerId) : undefined,
    f.department ? sql`lower(${people.department}) = lower(${f.department})` : undefined,
    f.active === undefined ? undefined : eq(people.active, f.active),
    f.q
      ? or(
          ilike(people.name, contains(f.q)),
          ilike(people.email, contains(f.q)),
          f.searchEmployeeNumber ? ilike(people.employeeNumber, contains(f.q)) : undefined,
          ilike(people.title, contains(f.q)),
          ilike(people.department, contains(f.q)),
        )
      : undefined,
  );
}

const personByUser = prepared('directory_person_by_user', (db) =>
  db
    .select()
    .from(people)
    .where(eq(people.userId, sql.placeholder('userId'))),
);

export const peopleRepo = {
  async byId(db: DbOrTx, id: string, lock = false) {
    const q = db.select().from(people).where(eq(people.id, id));
    const [row] = lock ? await q.for(ROW_LOCK) : await q;
    return row ?? null;
  },
  /** On every clock event and status read: a prepared statement. */
  async byUser(db: DbOrTx, userId: string) {
    const [row] = await personByUser(db).execute({ userId });
    return row ?? null;
  },
  /** The oldest unlinked person with this email, locked so two sign-ups cannot claim it at once. */
  async unlinkedByEmail(db: DbOrTx, email: string) {
    const [row] = await db
      .select()
      .from(people)
      .where(and(isNull(people.userId), sql`lower(${people.email}) = lower(${email})`))
      .orderBy(people.createdAt, people.id)
      .limit(1)
      .for(ROW_LOCK);
    return row ?? null;
  },
  list(db: DbOrTx, f: PersonFilter) {
    return db.select().from(people).where(personWhere(f)).orderBy(lower(people.name), people.id);
  },
  /** What capacity planning needs of each person, without the rest of the row (5,000 at a time). */
  async listCapacities(db: DbOrTx, f: PersonFilter) {
    // The driver's rows as they come (float8 arrives as a number): no per-row mapping of 5,000 rows.
    const result = await db.execute<{
      id: string;
      name: string;
      teamId: string | null;
      weeklyCapacity: number;
    }>(sql`
      select ${people.id} as "id", ${people.name} as "name", ${people.teamId} as "teamId",
             ${people.weeklyCapacity}::float8 as "weeklyCapacity"
        from ${people} where ${personWhere(f) ?? sql`true`}
       order by lower(${people.name}), ${people.id}`);
    return result.rows;
  },
  async page(db: DbOrTx, f: PersonFilter, p: Page & { sort: TPersonListQuery['sort']; dir: 'asc' | 'desc' }) {
    const ks = keyset({ sorts: PERSON_SORTS, id: people.id, ...p });
    const rows = await db
      .select({ ...getTableColumns(people), _k: ks.key })
      .from(people)
      .where(and(personWhere(f), ks.where))
      .orderBy(...ks.orderBy)
      .limit(ks.fetch);
    return ks.page(rows);
  },
  async existingIds(db: DbOrTx, ids: string[]) {
    if (ids.length === 0) return new Set<string>();
    const rows = await db.select({ id: people.id }).from(people).where(inArray(people.id, ids));
    return new Set(rows.map((r) => r.id));
  },
  async insert(db: DbOrTx, values: typeof people.$inferInsert) {
    const [row] = await db.insert(people).values(values).returning();
    return row!;
  },
  async update(db: DbOrTx, id: string, values: Partial<typeof people.$inferInsert>) {
    const [row] = await db.update(people).set(values).where(eq(people.id, id)).returning();
    return row!;
  },
  /**
   * Serialises changes of reporting lines until the transaction ends. Each change locks only its own
   * row, so without this two crossing changes (A under B, B under A) would each check a chain that the
   * other has not committed yet, and both would pass. Take it before locking any person row: the
   * foreign key of manager_id takes a share lock on the new manager's row.
   */
  async lockReportingLines(db: DbOrTx) {
    await db.execute(sql`select pg_advisory_xact_lock(hashtext('directory'), hashtext('people.manager_id'))`);
  },
  /** The person and everyone above them in the reporting line (stops on a cycle). */
  async managerChain(db: DbOrTx, personId: string): Promise<string[]> {
    const result = await db.execute<{ id: string }>(sql`
      with recursive up (id, manager_id) as (
        select id, manager_id from ${people} where id = ${personId}
        union
        select p.id, p.manager_id from ${people} p join up on p.id = up.manager_id
      )
      select id from up`);
    return result.rows.map((r) => r.id);
  },
  /**
   * People the person manages: members of the teams they manage and their direct reports, never
   * themselves. `only` narrows the answer to one person (a yes/no check).
   */
  /** Active people this person manages, directly or as a manager of their (active) team. */
  async managedBy(db: DbOrTx, personId: string, only?: string): Promise<string[]> {
    const rows = await db
      .select({ id: people.id })
      .from(people)
      .where(
        and(
          sql`${people.id} <> ${personId}`,
          eq(people.active, true),
          only ? eq(people.id, only) : undefined,
          or(eq(people.managerId, personId), inArray(people.teamId, activeTeamsManagedBy(db, personId))),
        ),
      )
      .orderBy(people.id);
    return rows.map((r) => r.id);
  },
};

/** Ids of the active teams a person manages; an archived team gives its manager no one. */
function activeTeamsManagedBy(db: DbOrTx, personId: string) {
  return db
    .select({ id: teamManagers.teamId })
    .from(teamManagers)
    .innerJoin(teams, eq(teams.id, teamManagers.teamId))
    .where(and(eq(teamManagers.personId, personId), eq(teams.active, true)));
}

// ---------- teams ----------

const TEAM_SORTS = {
  name: byName(teams.name),
  createdAt: byCreated(teams.createdAt),
} satisfies Record<TTeamListQuery['sort'], SortKey>;

// Correlated subqueries name the outer column in full: Drizzle prints a lone table's columns unqualified.
const teamColumns = {
  ...getTableColumns(teams),
  managerIds: sql<
    string[]
  >`coalesce((select json_agg(tm.person_id order by tm.person_id) from ${teamManagers} tm where tm.team_id = teams.id), '[]'::json)`,
  memberCount: sql<number>`(select count(*)::int from ${people} p where p.team_id = teams.id and p.active)`,
};

export type TeamFilter = { ids?: string[]; q?: string; active?: boolean; managerPersonId?: string };

function teamWhere(f: TeamFilter): SQL | undefined {
  return and(
    f.ids ? inArray(teams.id, f.ids) : undefined,
    f.q ? or(ilike(teams.name, contains(f.q)), ilike(teams.description, contains(f.q))) : undefined,
    f.active === undefined ? undefined : eq(teams.active, f.active),
    f.managerPersonId
      ? inArray(teams.id, sql`(select team_id from ${teamManagers} where person_id = ${f.managerPersonId})`)
      : undefined,
  );
}

export const teamsRepo = {
  async byId(db: DbOrTx, id: string, lock = false) {
    if (lock) await db.select({ id: teams.id }).from(teams).where(eq(teams.id, id)).for(ROW_LOCK);
    const [row] = await db.select(teamColumns).from(teams).where(eq(teams.id, id));
    return row ?? null;
  },
  async page(db: DbOrTx, f: TeamFilter, p: Page & { sort: TTeamListQuery['sort']; dir: 'asc' | 'desc' }) {
    const ks = keyset({ sorts: TEAM_SORTS, id: teams.id, ...p });
    const rows = await db
      .select({ ...teamColumns, _k: ks.key })
      .from(teams)
      .where(and(teamWhere(f), ks.where))
      .orderBy(...ks.orderBy)
      .limit(ks.fetch);
    return ks.page(rows);
  },
  async insert(db: DbOrTx, values: typeof teams.$inferInsert) {
    const [row] = await db.insert(teams).values(values).returning({ id: teams.id });
    return row!.id;
  },
  async update(db: DbOrTx, id: string, values: Partial<typeof teams.$inferInsert>) {
    await db.update(teams).set(values).where(eq(teams.id, id));
  },
  /** Adds managers; answers whether anything changed. */
  async addManagers(db: DbOrTx, teamId: string, personIds: string[]) {
    if (personIds.length === 0) return false;
    const rows = await db
      .insert(teamManagers)
      .values(personIds.map((personId) => ({ teamId, personId })))
      .onConflictDoNothing()
      .returning();
    return rows.length > 0;
  },
  async removeManager(db: DbOrTx, teamId: string, personId: string) {
    const rows = await db
      .delete(teamManagers)
      .where(and(eq(teamManagers.teamId, teamId), eq(teamManagers.personId, personId)))
      .returning();
    return rows.length > 0;
  },
  async managedBy(db: DbOrTx, personId: string): Promise<string[]> {
    const rows = await activeTeamsManagedBy(db, personId).orderBy(teamManagers.teamId);
    return rows.map((r) => r.id);
  },
};

// ---------- clients, projects, activities ----------

type PageKeys = 'sort' | 'dir' | 'limit' | 'cursor';

/**
 * The catalog tables are read, paged, inserted and updated alike; each states only its sort keys and
 * what its list filters on. Drizzle cannot follow a table chosen by a type parameter, so the queries
 * run on it as a plain table and their rows take the table's own types.
 */
function catalogRepo<T extends typeof clients | typeof projects | typeof activities, Q extends ListQuery>(
  table: T,
  sorts: Record<Q['sort'], SortKey>,
  filter: (f: Omit<Q, PageKeys>) => Array<SQL | undefined>,
) {
  type Row = T['$inferSelect'];
  const t: PgTable & { id: AnyColumn } = table;
  return {
    async byId(db: DbOrTx, id: string, lock = false): Promise<Row | null> {
      const q = db.select().from(t).where(eq(t.id, id));
      const [row] = lock ? await q.for(ROW_LOCK) : await q;
      return (row as Row | undefined) ?? null;
    },
    async page(db: DbOrTx, f: Omit<Q, PageKeys>, p: Page & Pick<Q, 'sort' | 'dir'>) {
      const ks = keyset({ sorts, id: t.id, ...p });
      const rows = await db
        .select({ ...getTableColumns(t), _k: ks.key })
        .from(t)
        .where(and(...filter(f), ks.where))
        .orderBy(...ks.orderBy)
        .limit(ks.fetch);
      return ks.page(rows as Array<Row & { _k: string }>);
    },
    async insert(db: DbOrTx, values: T['$inferInsert']): Promise<Row> {
      const [row] = await db.insert(t).values(values).returning();
      return row as Row;
    },
    async update(db: DbOrTx, id: string, values: Partial<T['$inferInsert']>): Promise<Row> {
      const [row] = await db.update(t).set(values).where(eq(t.id, id)).returning();
      return row as Row;
    },
  };
}

export const clientsRepo = catalogRepo<typeof clients, TClientListQuery>(
  clients,
  { name: byName(clients.name), createdAt: byCreated(clients.createdAt) },
  (f) => [
    f.q ? ilike(clients.name, contains(f.q)) : undefined,
    f.active === undefined ? undefined : eq(clients.active, f.active),
  ],
);

export const projectsRepo = catalogRepo<typeof projects, TProjectListQuery>(
  projects,
  { name: byName(projects.name), code: byName(projects.code), createdAt: byCreated(projects.createdAt) },
  (f) => [
    f.q ? or(ilike(projects.name, contains(f.q)), ilike(projects.code, contains(f.q))) : undefined,
    f.clientId ? eq(projects.clientId, f.clientId) : undefined,
    f.status ? eq(projects.status, f.status) : undefined,
    f.billable === undefined ? undefined : eq(projects.billable, f.billable),
  ],
);

export const activitiesRepo = catalogRepo<typeof activities, TActivityListQuery>(
  activities,
  { name: byName(activities.name), createdAt: byCreated(activities.createdAt) },
  (f) => [
    f.q ? ilike(activities.name, contains(f.q)) : undefined,
    // A project's activities are its own plus the global ones.
    f.projectId ? or(eq(activities.projectId, f.projectId), isNull(activities.projectId)) : undefined,
    f.global === undefined
      ? undefined
      : f.global
        ? isNull(activities.projectId)
        : sql`${activities.projectId} is not null`,
    f.active === undefined ? undefined : eq(activities.active, f.active),
  ],
);
