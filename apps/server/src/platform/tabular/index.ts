import { cellText } from './columns';
import { readCsv, sniffCsv } from './csv';
import { DEFAULT_TABULAR_LIMITS, type TabularLimits, unreadable } from './limits';
import { sniffFormat, type TabularFormat } from './sniff';
import type { RawRow } from './types';
import { readXlsx } from './xlsx';
import { inspectXlsx } from './zip';

export { type ColumnMap, cellDate, cellText, type FieldSpec, mapColumns, normaliseHeader } from './columns';
export { DEFAULT_TABULAR_LIMITS, type TabularLimits } from './limits';
export { type Cell, type RawRow, Uncalculated } from './types';

/** An open table: its header row and an iterator over the data rows after it. */
export type Table = {
  format: TabularFormat;
  /** The sheet read (xlsx) or the detected encoding and delimiter (CSV). */
  sheet?: string;
  encoding?: string;
  delimiter?: string;
  headers: string[];
  /** The header's row (or line) in the file. */
  headerRow: number;
  /** Data rows the file declares or counted lines suggest; a guide for progress, not a promise. */
  totalRows: number | null;
  rows: AsyncIterable<RawRow>;
  /** Stops reading early (the iterator's own `return`). */
  close(): Promise<void>;
};

export type OpenOptions = {
  limits?: Partial<TabularLimits>;
  /** Sheet name; default the first that is not hidden. */
  sheet?: string;
  /** Whether a row's cells (as text) are the header; default: the first non-empty row is. */
  isHeader?: (cells: string[]) => boolean;
};

const HEADER_SEARCH = 10;

/** The rows already read past the header, then the rest. */
async function* after(read: RawRow[], rest: AsyncGenerator<RawRow>) {
  yield* read;
  yield* rest;
}

/**
 * The checks that need no parsing: the type from the first bytes (415 for .xls), and for an .xlsx
 * the zip directory and the workbook's declared sheets and extents (422). Cheap enough to run while
 * an upload is answered.
 */
export async function precheckTable(
  path: string,
  limits: Partial<TabularLimits> = {},
): Promise<TabularFormat> {
  const format = await sniffFormat(path);
  if (format === 'xlsx') await inspectXlsx(path, { ...DEFAULT_TABULAR_LIMITS, ...limits });
  return format;
}

/**
 * Opens a .xlsx or CSV file for reading row by row, whatever its name says: the type is read from
 * its bytes, an .xlsx is checked for zip bombs and its declared extent before anything is inflated,
 * and the ceilings hold again while streaming. Refusals are AppErrors (415, 422).
 */
export async function openTable(path: string, opts: OpenOptions = {}): Promise<Table> {
  const limits = { ...DEFAULT_TABULAR_LIMITS, ...opts.limits };
  const format = await sniffFormat(path);
  let iterator: AsyncGenerator<RawRow>;
  let meta: Pick<Table, 'sheet' | 'encoding' | 'delimiter' | 'totalRows'>;
  if (format === 'xlsx') {
    const sheets = await inspectXlsx(path, limits);
    // A hidden sheet (lists a form looks up, say) is read only when named.
    const sheet =
      opts.sheet === undefined
        ? (sheets.find((s) => !s.hidden) ?? sheets[0])
        : sheets.find((s) => s.name === opts.sheet);
    if (!sheet)
      throw unreadable(
        opts.sheet === undefined ? 'The workbook has no sheets' : `The workbook has no sheet "${opts.sheet}"`,
      );
    iterator = readXlsx(path, sheets, sheet, limits);
    meta = { sheet: sheet.name, totalRows: sheet.rows === null ? null : sheet.rows - 1 };
  } else {
    const dialect = await sniffCsv(path);
    iterator = readCsv(path, dialect, limits);
    meta = {
      encoding: dialect.encoding,
      delimiter: dialect.delimiter,
      totalRows: Math.max(dialect.lines - 1, 0),
    };
  }
  // A title or notes may stand above the header: up to HEADER_SEARCH non-empty rows are looked at.
  const top: RawRow[] = [];
  let at = -1;
  while (at < 0 && top.length < HEADER_SEARCH) {
    const next = await iterator.next();
    if (next.done) break;
    if (next.value.cells.every((c) => cellText(c) === '')) continue;
    top.push(next.value);
    if (!opts.isHeader || opts.isHeader(next.value.cells.map(cellText))) at = top.length - 1;
  }
  if (!top.length) throw unreadable('The file has no header row');
  // When no row looks like one, the first is the header, and its mapping shows what is missing.
  if (at < 0) at = 0;
  const header = top[at]!;
  return {
    format,
    ...meta,
    headers: header.cells.map(cellText),
    headerRow: header.row,
    rows: { [Symbol.asyncIterator]: () => after(top.slice(at + 1), iterator) },
    close: async () => {
      await iterator.return(undefined);
    },
  };
}
