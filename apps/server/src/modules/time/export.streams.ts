import { PassThrough, type Readable, type Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { SQL } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { DbOrTx } from '../../platform/db';
import { type ExportRow, reportsRepo } from './reports.repo';

const EXPORT_BATCH = 5000;

/** The export's columns in file order, each named by its column of the export query. */
export const EXPORT_COLUMNS: ReadonlyArray<{
  key: keyof ExportRow;
  header: string;
  width: number;
  style?: { numFmt: string };
}> = [
  { key: 'date', header: 'Date', width: 12, style: { numFmt: 'yyyy-mm-dd' } },
  { key: 'person', header: 'Person', width: 28 },
  { key: 'employee_number', header: 'Employee number', width: 16 },
  { key: 'project_code', header: 'Project code', width: 14 },
  { key: 'project', header: 'Project', width: 28 },
  { key: 'activity', header: 'Activity', width: 20 },
  { key: 'start', header: 'Start', width: 17, style: { numFmt: 'yyyy-mm-dd hh:mm' } },
  { key: 'end', header: 'End', width: 17, style: { numFmt: 'yyyy-mm-dd hh:mm' } },
  { key: 'time_zone', header: 'Time zone', width: 16 },
  { key: 'break_minutes', header: 'Break (min)', width: 12 },
  { key: 'hours', header: 'Hours', width: 10 },
  { key: 'rounded_hours', header: 'Rounded hours', width: 14 },
  { key: 'billable', header: 'Billable', width: 9 },
  { key: 'note', header: 'Note', width: 40 },
];

/** The CSV header line, with the BOM that tells spreadsheet programs the file is UTF-8. */
export const CSV_HEADER = `\uFEFF${EXPORT_COLUMNS.map((c) => c.header).join(',')}\n`;

/**
 * Spreadsheet cells hold wall-clock dates without a zone: the entry's local date and time written as if
 * UTC become exactly the serial number a spreadsheet shows as that local time.
 */
const wallClock = (local: string) => new Date(`${local.replace(' ', 'T')}Z`);

// A client that goes away destroys the stream; stop waiting for a drain that will never come.
const drained = (stream: Writable) =>
  new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });

/** Feeds the cursor's rows into `write`, which waits whenever the client reads slower than we write. */
function pump(
  db: DbOrTx,
  query: SQL,
  stream: Writable,
  write: (row: ExportRow) => Promise<void>,
  finish: () => Promise<void>,
) {
  reportsRepo
    .exportCursor(db, query, EXPORT_BATCH, async (rows) => {
      for (const r of rows) {
        if (stream.destroyed) throw new Error('export aborted by the client');
        await write(r);
      }
    })
    .then(finish)
    .catch((err) => stream.destroy(err));
}

/** CSV rows (no header) from a cursor, for engines without COPY (embedded PGlite). */
export function cursorCsv(db: DbOrTx, query: SQL): Readable {
  const csv = stringify({ columns: EXPORT_COLUMNS.map((c) => c.key) });
  pump(
    db,
    query,
    csv,
    async (row) => {
      if (!csv.write(row)) await drained(csv);
    },
    async () => {
      csv.end();
    },
  );
  return csv;
}

/** An XLSX workbook written row by row as the cursor reads, with dates as real dates. */
export function cursorXlsx(db: DbOrTx, query: SQL): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('Time');
  sheet.columns = EXPORT_COLUMNS.map((c) => ({ ...c }));
  // exceljs looks a cell's style up by object identity and otherwise serialises it to find its id:
  // every cell gets a fresh copy of its column's style, so each row's cells share one object per column.
  const styles = EXPORT_COLUMNS.map((c) => ({ ...c.style }));
  pump(
    db,
    query,
    out,
    async (r) => {
      // The columns with a number format are the local dates and times.
      const row = sheet.addRow(
        EXPORT_COLUMNS.map((c) => (c.style ? wallClock(r[c.key] as string) : r[c.key])),
      );
      for (let i = 0; i < styles.length; i++) row.getCell(i + 1).style = styles[i]!;
      row.commit();
      if (out.writableNeedDrain) await drained(out);
    },
    async () => {
      sheet.commit();
      await workbook.commit();
    },
  );
  return out;
}
