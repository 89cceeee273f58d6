import { AppError } from '../errors';

/** Ceilings a spreadsheet must stay under before and while it is read. */
export type TabularLimits = {
  /** Sheets in a workbook. */
  maxSheets: number;
  /** Data rows in one sheet (or in a CSV file). */
  maxRowsPerSheet: number;
  /** Cells in all sheets together. */
  maxCells: number;
  /** Entries in the .xlsx zip directory. */
  maxZipEntries: number;
  /** Sum of the declared uncompressed sizes of the zip's entries. */
  maxUncompressedBytes: number;
  /** Uncompressed ÷ compressed size of any entry larger than 1 MiB uncompressed. */
  maxCompressionRatio: number;
};

export const DEFAULT_TABULAR_LIMITS: TabularLimits = {
  maxSheets: 10,
  maxRowsPerSheet: 100_000,
  maxCells: 5_000_000,
  maxZipEntries: 1_000,
  maxUncompressedBytes: 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
};

/** The names a refusal gives its ceiling, as clients see them in `ceiling`. */
export type Ceiling = keyof TabularLimits;

/** 422 naming the ceiling that was crossed and, when one sheet crossed it, that sheet. */
export function overCeiling(ceiling: Ceiling, limit: number, message: string, sheet?: string): AppError {
  return new AppError('unprocessable', message, {
    errors: [{ path: 'file', message }],
    extra: { ceiling, limit, ...(sheet === undefined ? {} : { sheet }) },
  });
}

/** 422 for a file that cannot be read as what it claims to be. */
export const unreadable = (message: string) =>
  new AppError('unprocessable', message, { errors: [{ path: 'file', message }] });

/**
 * Holds the row and cell ceilings after counting another row: `rows` and `cells` so far, the header
 * included, so a sheet may hold one more row than the data ceiling. `of` names the file or sheet
 * and the whole (file, workbook) in the messages.
 */
export function checkCounts(
  limits: TabularLimits,
  rows: number,
  cells: number,
  of: { rows: string; cells: string; sheet?: string },
) {
  if (rows - 1 > limits.maxRowsPerSheet)
    throw overCeiling(
      'maxRowsPerSheet',
      limits.maxRowsPerSheet,
      `${of.rows} has more than ${limits.maxRowsPerSheet} rows`,
      of.sheet,
    );
  if (cells > limits.maxCells)
    throw overCeiling(
      'maxCells',
      limits.maxCells,
      `${of.cells} has more than ${limits.maxCells} cells`,
      of.sheet,
    );
}
