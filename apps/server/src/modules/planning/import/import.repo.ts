import type { TImportRowError } from '@clockpilot/contracts';
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db';
import { keyset } from '../../../platform/pagination';
import { type ImportRow, planningImportErrors, planningImports } from './import.tables';

/** The runs of planning imports and their row errors. */
export const importRepo = {
  async insert(db: DbOrTx, values: typeof planningImports.$inferInsert) {
    const [row] = await db.insert(planningImports).values(values).returning();
    return row!;
  },
  async byId(db: DbOrTx, id: string): Promise<ImportRow | null> {
    const [row] = await db.select().from(planningImports).where(eq(planningImports.id, id));
    return row ?? null;
  },
  /** Moves a run on only from the status given, so a retried job never runs an import twice. */
  async update(db: DbOrTx, id: string, values: Partial<ImportRow>, from?: ImportRow['status']) {
    const [row] = await db
      .update(planningImports)
      .set(values)
      .where(and(eq(planningImports.id, id), from ? eq(planningImports.status, from) : undefined))
      .returning();
    return row ?? null;
  },
  async insertErrors(db: DbOrTx, importId: string, errors: TImportRowError[]) {
    for (let i = 0; i < errors.length; i += 1000) {
      await db.insert(planningImportErrors).values(
        errors.slice(i, i + 1000).map((e) => ({
          importId,
          rowNumber: e.row,
          columnName: e.column,
          value: e.value,
          message: e.message,
        })),
      );
    }
  },
  /** A page of a run's row errors in row order. */
  async errorsPage(db: DbOrTx, importId: string, p: { limit: number; cursor?: string }) {
    const t = planningImportErrors;
    const ks = keyset({
      sorts: { row: { expr: t.rowNumber, type: 'numeric' } },
      sort: 'row',
      dir: 'asc',
      id: t.id,
      ...p,
    });
    const rows = await db
      .select({ ...getTableColumns(t), _k: ks.key })
      .from(t)
      .where(and(eq(t.importId, importId), ks.where))
      .orderBy(...ks.orderBy)
      .limit(ks.fetch);
    const page = ks.page(rows);
    return {
      nextCursor: page.nextCursor,
      items: page.items.map(
        (e): TImportRowError => ({
          row: e.rowNumber,
          column: e.columnName,
          value: e.value,
          message: e.message,
        }),
      ),
    };
  },
  /** Whether a stored file is still wanted by a run that has not finished. */
  async fileInUse(db: DbOrTx, filePath: string) {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(planningImports)
      .where(
        and(eq(planningImports.filePath, filePath), sql`${planningImports.status} in ('queued', 'running')`),
      );
    return (row?.n ?? 0) > 0;
  },
};
