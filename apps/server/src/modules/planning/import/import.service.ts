import { readdir, stat, unlink } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import {
  IMPORT_FIELDS,
  type TImport,
  type TImportCounts,
  type TImportDetail,
  type TImportKind,
  type TImportOptions,
  type TImportRowError,
  ZImportUploadFields,
} from '@clockpilot/contracts';
import type { AppContext } from '../../../platform/context';
import type { Tx } from '../../../platform/db';
import { AppError, notFound } from '../../../platform/errors';
import {
  type ColumnMap,
  cellText,
  mapColumns,
  openTable,
  precheckTable,
  type Table,
  type TabularLimits,
} from '../../../platform/tabular';
import type { PlanningMetrics } from '../planning.metrics';
import { convertRow } from './import.cells';
import {
  type BatchResult,
  createImportKinds,
  type ImportBy,
  type ParsedRow,
  type PlanningWrites,
} from './import.kinds';
import { importRepo } from './import.repo';
import type { ImportRow } from './import.tables';
import type { Upload } from './import.upload';
import { writeBehind } from './import.write-behind';

const BATCH = 1000;
/** Row errors kept per run; the count of failed rows stays exact beyond it. */
const MAX_ERRORS = 10_000;

/** Thrown inside the transaction to roll back a dry run, or an apply with failed rows. */
class Rollback extends Error {}

/** The data of a `planning.import` job. */
export type ImportJob = { id: string; by: ImportBy };

/** A mapping may name only the kind's fields (or null, to ignore a column). */
export function assertMapping(kind: TImportKind, mapping: TImportOptions['mapping']) {
  const known = new Set(IMPORT_FIELDS[kind].map((f) => f.key));
  const wrong = Object.entries(mapping ?? {}).filter(([, field]) => field !== null && !known.has(field));
  if (wrong.length)
    throw new AppError('unprocessable', `Not fields of ${kind}: ${wrong.map(([, f]) => f).join(', ')}`, {
      errors: wrong.map(([header, field]) => ({
        path: `body.mapping.${header}`,
        message: `${field} is not a field of ${kind}; use one of ${[...known].join(', ')}`,
      })),
    });
}

export type NewImport = {
  kind: TImportKind;
  dryRun: boolean;
  fileName: string;
  filePath: string;
  options: TImportOptions;
  sourceId?: string;
};

/** Runs a planning write: the module's transaction, which also moves the plan's cache version on. */
export type Transact = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

export function createImportService(
  ctx: AppContext,
  planning: PlanningWrites,
  transact: Transact,
  metrics: PlanningMetrics,
) {
  const { db, clock, config } = ctx;
  const kinds = createImportKinds(ctx, planning);
  /**
   * Progress of running runs lives in the shared cache (Redis when configured), not in the run's row:
   * the run's transaction is still open, and any replica may be asked.
   */
  type Progress = { done: number; total: number | null };
  const progressKey = (id: string) => `planning:import:progress:${id}`;
  const publish = (id: string, p: Progress) => ctx.cache.set(progressKey(id), JSON.stringify(p), 24 * 3600);
  const limits: TabularLimits = {
    maxSheets: config.imports.maxSheets,
    maxRowsPerSheet: config.imports.maxRowsPerSheet,
    maxCells: config.imports.maxCells,
    maxZipEntries: config.imports.maxZipEntries,
    maxUncompressedBytes: config.imports.maxUncompressedBytes,
    maxCompressionRatio: config.imports.maxCompressionRatio,
  };
  const incoming = resolve(config.backup.dir, 'incoming');

  function view(r: ImportRow, live?: Progress): TImport {
    return {
      id: r.id,
      kind: r.kind,
      status: r.status,
      dryRun: r.dryRun,
      fileName: r.fileName,
      sourceId: r.sourceId,
      options: r.options,
      format: r.format,
      columns: r.columns,
      progress: live ?? { done: r.progressDone, total: r.progressTotal },
      counts: { created: r.created, updated: r.updated, unchanged: r.unchanged, failed: r.failed },
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
    };
  }

  /**
   * A header names two of the kind's fields, or all it requires: a title above it names none. The
   * mapping given by hand counts, so a row of headers no synonym knows is found once they are mapped.
   */
  const isHeader = (kind: TImportKind, options: TImportOptions) => (cells: string[]) => {
    const mapped = new Set(
      mapColumns(cells, IMPORT_FIELDS[kind], options.mapping).flatMap((c) => (c.field ? [c.field] : [])),
    );
    return mapped.size >= 2 || IMPORT_FIELDS[kind].every((f) => !f.required || mapped.has(f.key));
  };

  /** Refuses a mapping that misses required fields, naming where the header was read. */
  function assertRequired(kind: TImportKind, columns: ColumnMap[], table: Table) {
    const mapped = new Set(columns.map((c) => c.field));
    const missing = IMPORT_FIELDS[kind].filter((f) => f.required && !mapped.has(f.key)).map((f) => f.key);
    if (missing.length)
      throw new AppError(
        'unprocessable',
        `No column is mapped to ${missing.join(', ')} (header read from row ${table.headerRow}${table.sheet === undefined ? '' : ` of sheet "${table.sheet}"`}); map one or add it to the file`,
      );
  }

  /** Reads the file and writes its rows in one transaction: rolled back for a dry run or any failed row. */
  async function execute(
    run: ImportRow,
    by: ImportBy,
    onProgress?: (done: number, total: number | null) => void,
  ) {
    const kind = kinds[run.kind] as (typeof kinds)['people'];
    const table = await openTable(run.filePath, {
      limits,
      sheet: run.options.sheet,
      isHeader: isHeader(run.kind, run.options),
    });
    const progress = { done: 0, total: table.totalRows };
    await publish(run.id, progress);
    const columns = mapColumns(table.headers, IMPORT_FIELDS[run.kind], run.options.mapping);
    // Kept before any refusal: the columns as read are what the user maps the missing fields from.
    await importRepo.update(db, run.id, { format: table.format, columns, progressTotal: table.totalRows });
    assertRequired(run.kind, columns, table);
    const headers = new Map(columns.flatMap((c) => (c.field ? [[c.field, c.header] as const] : [])));
    const counts: TImportCounts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
    const errors: TImportRowError[] = [];
    const failed = new Set<number>();
    // A written batch's errors arrive after later rows' own errors: the lowest rows are kept by
    // trimming in row order, not by taking the first MAX_ERRORS to arrive.
    const keepLowest = () => {
      errors.sort((a, b) => a.row - b.row);
      errors.length = Math.min(errors.length, MAX_ERRORS);
    };
    const fail = (e: TImportRowError) => {
      errors.push(e);
      if (errors.length >= 2 * MAX_ERRORS) keepLowest();
      failed.add(e.row);
    };
    const seen = new Map<string, number>();
    const tally = (results: BatchResult) => {
      for (const r of results) {
        if ('outcome' in r) counts[r.outcome] += 1;
        else fail(r);
      }
    };
    try {
      await transact(async (tx) => {
        let batch: ParsedRow<unknown>[] = [];
        const writer = writeBehind<ParsedRow<unknown>[]>(async (rows) =>
          tally(await kind.write(tx, by, rows as never)),
        );
        const flush = async () => {
          if (batch.length) await writer.push(batch);
          batch = [];
          await publish(run.id, progress);
          onProgress?.(progress.done, progress.total);
        };
        try {
          for await (const raw of table.rows) {
            if (raw.cells.every((c) => cellText(c) === '')) continue;
            progress.done += 1;
            const converted = convertRow(kind.schema, columns, raw, run.options.dateFormat);
            if ('errors' in converted) {
              converted.errors.forEach(fail);
              continue;
            }
            const keys = kind.keys(converted.data);
            const twice = keys.find((k) => seen.has(k.key));
            if (twice) {
              fail({
                row: raw.row,
                column: headers.get(twice.field) ?? twice.field,
                value: null,
                message: `Same as row ${seen.get(twice.key)}`,
              });
              continue;
            }
            for (const k of keys) seen.set(k.key, raw.row);
            batch.push({ row: raw.row, data: converted.data, headers });
            if (batch.length >= BATCH) await flush();
          }
          await flush();
          await writer.settle();
        } finally {
          // The transaction never ends under a running write (its statements would land outside it).
          await writer.idle();
        }
        progress.total = progress.done;
        if (run.dryRun || failed.size) throw new Rollback();
      });
    } catch (err) {
      if (!(err instanceof Rollback)) throw err;
    } finally {
      await table.close();
    }
    counts.failed = failed.size;
    keepLowest();
    return { counts, errors, total: progress.done };
  }

  async function finish(id: string, values: Partial<ImportRow>, errors: TImportRowError[] = []) {
    await importRepo.insertErrors(db, id, errors);
    await ctx.cache.del(progressKey(id));
    const row = await importRepo.update(db, id, { ...values, finishedAt: clock.now() });
    if (row) metrics.imports.inc({ outcome: row.status });
    return row;
  }

  /** Deletes an uploaded file once no run needs it (never a file the CLI was pointed at). */
  async function release(run: ImportRow) {
    if (!resolve(run.filePath).startsWith(incoming + sep)) return;
    if (!run.dryRun && run.status === 'succeeded' && !(await importRepo.fileInUse(db, run.filePath)))
      await unlink(run.filePath).catch(() => {});
  }

  return {
    /**
     * Deletes uploads older than `maxAgeHours` that no queued or running run reads: previews never
     * applied, and files left by a process that died. Answers how many went.
     */
    async sweep(maxAgeHours = 24): Promise<number> {
      const cutoff = clock.now().getTime() - maxAgeHours * 3_600_000;
      let removed = 0;
      for (const folder of await readdir(incoming).catch(() => [] as string[])) {
        for (const name of await readdir(join(incoming, folder)).catch(() => [] as string[])) {
          const path = join(incoming, folder, name);
          const info = await stat(path).catch(() => null);
          if (!info?.isFile() || info.mtimeMs > cutoff || (await importRepo.fileInUse(db, path))) continue;
          await unlink(path).catch(() => {});
          removed += 1;
        }
      }
      return removed;
    },
    /** Records a run and queues its job (or leaves it to the caller, for the CLI). */
    async create(by: ImportBy, input: NewImport, queue = true): Promise<TImport> {
      assertMapping(input.kind, input.options.mapping);
      const row = await importRepo.insert(db, {
        ...input,
        createdBy: by.actor.userId,
        createdAt: clock.now(),
      });
      if (queue) await ctx.jobs.send<ImportJob>('planning.import', { id: row.id, by });
      return view(row);
    },
    /**
     * A run over a received upload. Invalid form fields (400), a file of the wrong type (415) or an
     * .xlsx over a ceiling by its zip directory and metadata (422) are refused at once, and the file
     * deleted; the rest is checked while the job reads it.
     */
    async fromUpload(by: ImportBy, upload: Upload): Promise<TImport> {
      const parsed = ZImportUploadFields.safeParse(upload.fields);
      if (!parsed.success) {
        await unlink(upload.path).catch(() => {});
        throw new AppError('validation_failed', 'The form fields are invalid', {
          errors: parsed.error.issues.map((i) => ({ path: `body.${i.path.join('.')}`, message: i.message })),
        });
      }
      try {
        await precheckTable(upload.path, limits);
      } catch (err) {
        await unlink(upload.path).catch(() => {});
        throw err;
      }
      const { kind, dryRun, ...options } = parsed.data;
      return this.create(by, { kind, dryRun, fileName: upload.fileName, filePath: upload.path, options });
    },
    /** Reads a run's file again: apply a dry run as previewed, or preview it with another mapping. */
    async rerun(by: ImportBy, sourceId: string, body: TImportOptions & { dryRun: boolean }) {
      const source = await importRepo.byId(db, sourceId);
      if (!source) throw notFound('Import');
      if (source.status === 'queued' || source.status === 'running')
        throw new AppError('conflict', 'This import is still running; wait for it to finish');
      assertMapping(source.kind, body.mapping);
      // An applied file is deleted, and the sweep deletes old ones: then only a new upload will do.
      if (!(await stat(source.filePath).catch(() => null)))
        throw new AppError('conflict', 'The file of this import is no longer kept; upload it again');
      // "As previewed": the columns the dry run mapped, unless the body maps them anew.
      const previewed = Object.fromEntries(source.columns.map((c) => [c.header, c.field]));
      const options = {
        ...source.options,
        ...body,
        mapping: body.mapping ?? (source.columns.length ? previewed : source.options.mapping),
      };
      const { dryRun, ...rest } = options;
      return this.create(by, {
        kind: source.kind,
        dryRun: body.dryRun,
        fileName: source.fileName,
        filePath: source.filePath,
        options: rest,
        sourceId,
      });
    },
    /** Runs a queued import to its end; a refused file or a failed row is a result, not a throw. */
    async run(id: string, by: ImportBy, onProgress?: (done: number, total: number | null) => void) {
      const queued = await importRepo.update(db, id, { status: 'running', startedAt: clock.now() }, 'queued');
      if (!queued) return importRepo.byId(db, id);
      try {
        const { counts, errors, total } = await execute(queued, by, onProgress);
        const applyFailed = !queued.dryRun && counts.failed > 0;
        const done = await finish(
          id,
          {
            status: applyFailed ? 'failed' : 'succeeded',
            ...counts,
            progressDone: total,
            progressTotal: total,
            reason: applyFailed ? `${counts.failed} rows have errors; nothing was imported` : null,
          },
          errors,
        );
        if (done) await release(done);
        return done;
      } catch (err) {
        if (!(err instanceof AppError)) {
          ctx.log.app.error({ err, importId: id }, 'import failed');
          await finish(id, {
            status: 'failed',
            reason: 'The import failed unexpectedly; nothing was imported',
          });
          throw err;
        }
        return finish(id, { status: 'failed', reason: err.message });
      }
    },
    /** Marks a run that an interrupted process left running as failed, so it can be run again. */
    async abandon(id: string) {
      await ctx.cache.del(progressKey(id));
      const row = await importRepo.update(
        db,
        id,
        {
          status: 'failed',
          reason: 'The import was interrupted; nothing was imported. Run it again.',
          finishedAt: clock.now(),
        },
        'running',
      );
      if (row) metrics.imports.inc({ outcome: 'failed' });
    },
    async get(id: string, page: { limit: number; cursor?: string }): Promise<TImportDetail> {
      // The progress first: on the embedded database the row waits for the run's transaction.
      const live = await ctx.cache.get(progressKey(id));
      const row = await importRepo.byId(db, id);
      if (!row) throw notFound('Import');
      return {
        ...view(row, live && row.status === 'running' ? (JSON.parse(live) as Progress) : undefined),
        errors: await importRepo.errorsPage(db, id, page),
      };
    },
    byId: (id: string) => importRepo.byId(db, id),
  };
}

export type ImportService = ReturnType<typeof createImportService>;
