import {
  type TImportKind,
  type TImportRowError,
  type TRole,
  ZImportAssignmentRow,
  ZImportPersonRow,
  ZImportProjectRow,
} from '@clockpilot/contracts';
import type { z } from 'zod';
import type { Actor } from '../../../platform/audit';
import { type AppContext, moduleApi } from '../../../platform/context';
import type { Tx } from '../../../platform/db';
import type { ImportOutcome } from '../../directory';

/** Who runs an import: the role decides what the directory lets them change, the actor is audited. */
export type ImportBy = { role: TRole; actor: Actor };

/** A row that passed its cells' checks, with the header of each field (for errors found later). */
export type ParsedRow<T> = { row: number; data: T; headers: Map<string, string> };

/** What becomes of a batch: an outcome per row, or an error naming the column at fault. */
export type BatchResult = Array<
  { row: number; outcome: 'created' | 'updated' | 'unchanged' } | TImportRowError
>;

/** One kind of import: its row schema, the natural key a row may hold once per file, and its writer. */
export type ImportKind<S extends z.ZodType> = {
  schema: S;
  /** Keys that must be unique in the file (a second row with one of them is an error on `field`). */
  keys(row: z.output<S>): Array<{ key: string; field: string }>;
  write(tx: Tx, by: ImportBy, rows: Array<ParsedRow<z.output<S>>>): Promise<BatchResult>;
};

/** Outcomes of a directory write, its refusals as row errors under the header of the field. */
export function outcomes<T>(results: ImportOutcome[], rows: Array<ParsedRow<T>>): BatchResult {
  const headers = new Map(rows.map((r) => [r.row, r.headers]));
  return results.map((r) =>
    'error' in r
      ? {
          row: r.row,
          column: headers.get(r.row)?.get(r.error.field) ?? r.error.field,
          value: null,
          message: r.error.message,
        }
      : { row: r.row, outcome: r.outcome },
  );
}

export function createImportKinds(ctx: AppContext, planning: PlanningWrites) {
  const directory = () => moduleApi(ctx, 'directory');

  const people: ImportKind<typeof ZImportPersonRow> = {
    schema: ZImportPersonRow,
    keys: (r) =>
      r.employeeNumber
        ? [{ key: `n:${r.employeeNumber.toLowerCase()}`, field: 'employeeNumber' }]
        : [{ key: `e:${r.email}`, field: 'email' }],
    async write(tx, by, rows) {
      return outcomes(await directory().importPeople(tx, by, rows), rows);
    },
  };

  const projects: ImportKind<typeof ZImportProjectRow> = {
    schema: ZImportProjectRow,
    keys: (r) => [
      {
        key: `${r.code.toLowerCase()}\u0000${r.deliverable?.toLowerCase() ?? ''}`,
        field: r.deliverable ? 'deliverable' : 'code',
      },
    ],
    write: (tx, by, rows) => planning.writeProjects(tx, by, rows),
  };

  const assignments: ImportKind<typeof ZImportAssignmentRow> = {
    schema: ZImportAssignmentRow,
    keys: (r) => [
      {
        key: [r.employeeNumber ?? r.email ?? `p:${r.placeholder}`, r.projectCode, r.deliverable ?? '', r.week]
          .map((s) => s.toLowerCase())
          .join('\u0000'),
        field: 'week',
      },
    ],
    write: (tx, by, rows) => planning.writeAssignments(tx, by, rows),
  };

  return { people, projects, assignments } satisfies Record<TImportKind, unknown>;
}

/** The writes of projects (with deliverables) and assignments; see import.planning.ts. */
export type PlanningWrites = {
  writeProjects(
    tx: Tx,
    by: ImportBy,
    rows: Array<ParsedRow<z.output<typeof ZImportProjectRow>>>,
  ): Promise<BatchResult>;
  writeAssignments(
    tx: Tx,
    by: ImportBy,
    rows: Array<ParsedRow<z.output<typeof ZImportAssignmentRow>>>,
  ): Promise<BatchResult>;
};
