import type { TImportColumnMap, TImportOptions } from '@clockpilot/contracts';
import { boolean, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const tz = (name: string) => timestamp(name, { withTimezone: true });

// Constraints and indexes live in migrations/0035_planning_imports.sql.

export const planningImports = pgTable('planning_imports', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind', { enum: ['people', 'projects', 'assignments'] }).notNull(),
  status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed'] })
    .notNull()
    .default('queued'),
  dryRun: boolean('dry_run').notNull(),
  fileName: text('file_name').notNull(),
  filePath: text('file_path').notNull(),
  sourceId: uuid('source_id'),
  options: jsonb('options').$type<TImportOptions>().notNull().default({}),
  format: text('format', { enum: ['xlsx', 'csv'] }),
  columns: jsonb('columns').$type<TImportColumnMap[]>().notNull().default([]),
  progressDone: integer('progress_done').notNull().default(0),
  progressTotal: integer('progress_total'),
  created: integer('created').notNull().default(0),
  updated: integer('updated').notNull().default(0),
  unchanged: integer('unchanged').notNull().default(0),
  failed: integer('failed').notNull().default(0),
  reason: text('reason'),
  createdBy: uuid('created_by'),
  createdAt: tz('created_at').notNull().defaultNow(),
  startedAt: tz('started_at'),
  finishedAt: tz('finished_at'),
});
export type ImportRow = typeof planningImports.$inferSelect;

export const planningImportErrors = pgTable('planning_import_errors', {
  id: uuid('id').primaryKey().defaultRandom(),
  importId: uuid('import_id').notNull(),
  rowNumber: integer('row_number').notNull(),
  columnName: text('column_name'),
  value: text('value'),
  message: text('message').notNull(),
});
