import ExcelJS from 'exceljs';
import { overCeiling, type TabularLimits, unreadable } from './limits';
import type { Cell, RawRow } from './types';
import type { SheetInfo } from './zip';

type Value = ExcelJS.CellValue;

/** One cell as plain data: rich text and hyperlinks as their text, formulas as their cached result. */
function plain(v: Value): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('formula' in v || 'sharedFormula' in v) return plain((v as { result?: Value }).result ?? null);
  if ('hyperlink' in v) return plain(v.text as Value);
  if ('error' in v) return v.error;
  return null;
}

const sheetNumber = (entry: string) => /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(entry)?.[1];

/**
 * The rows of one sheet of an .xlsx, streamed: the sheets before it are read only to count them
 * against the ceilings; the reading stops after it. Real date cells come out as `Date` (UTC).
 * Sheets are told apart by their entry in the zip, which every writer names the same way (their
 * names, as exceljs resolves them, depend on how the writer spelled its relationships).
 */
export async function* readXlsx(
  path: string,
  sheets: readonly SheetInfo[],
  sheet: SheetInfo,
  limits: TabularLimits,
): AsyncGenerator<RawRow> {
  const wanted = sheetNumber(sheet.entry);
  if (!wanted)
    throw unreadable(`Sheet "${sheet.name}" is stored where no reader looks for it (${sheet.entry})`);
  const names = new Map(sheets.map((s) => [sheetNumber(s.entry), s.name]));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  let current: string | undefined;
  // The reader announces each worksheet's entry just before it yields the worksheet.
  (reader as unknown as NodeJS.EventEmitter).on('entry', (e: { type: string; id?: string }) => {
    if (e.type === 'worksheet') current = e.id;
  });
  let cells = 0;
  try {
    for await (const ws of reader) {
      const number = current;
      const name = names.get(number) ?? (ws as unknown as { name: string }).name;
      let rows = 0;
      for await (const row of ws) {
        rows += 1;
        cells += row.cellCount;
        // The first row is the header, so a sheet may hold one more row than the data ceiling.
        if (rows - 1 > limits.maxRowsPerSheet)
          throw overCeiling(
            'maxRowsPerSheet',
            limits.maxRowsPerSheet,
            `Sheet "${name}" has more than ${limits.maxRowsPerSheet} rows`,
            name,
          );
        if (cells > limits.maxCells)
          throw overCeiling(
            'maxCells',
            limits.maxCells,
            `The workbook has more than ${limits.maxCells} cells`,
            name,
          );
        if (number !== wanted) continue;
        const values = row.values as Value[];
        const out: Cell[] = [];
        for (let i = 1; i < values.length; i++) out.push(plain(values[i] ?? null));
        yield { row: row.number, cells: out };
      }
      if (number === wanted) return;
    }
  } finally {
    (reader as unknown as { stream?: { destroy(): void } }).stream?.destroy();
  }
}
