import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OPENPYXL_PEOPLE,
  write,
  writeXlsx,
  writeXlsxStreamed,
  xlsxWithSheet,
  zipBytes,
} from '../../../test/fixtures/tabular/files';
import { AppError } from '../errors';
import { type Cell, cellDate, mapColumns, type OpenOptions, openTable } from '.';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabular-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function readAll(path: string, opts?: OpenOptions) {
  const table = await openTable(path, opts);
  const rows: { row: number; cells: Cell[] }[] = [];
  for await (const r of table.rows) rows.push(r);
  return { ...table, rows };
}

/** The refusal a file gets, as status, ceiling and message. */
async function refusal(promise: Promise<unknown>) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  const e = err as AppError;
  return { status: e.status, message: e.message, ...(e.details.extra as object) } as {
    status: number;
    message: string;
    ceiling?: string;
    sheet?: string;
  };
}

describe('xlsx', () => {
  it('reads an exceljs workbook: header, rows with their numbers, real dates as dates', async () => {
    const path = await writeXlsx(join(dir, 'exceljs.xlsx'), {
      People: [
        ['Name', 'Email address', 'Start'],
        ['Ann', 'ann@example.com', new Date(Date.UTC(2026, 0, 5))],
        ['Ben', { text: 'ben@example.com', hyperlink: 'mailto:ben@example.com' }, '2026-02-01'],
      ],
    });
    const t = await readAll(path);
    expect(t.format).toBe('xlsx');
    expect(t.sheet).toBe('People');
    expect(t.headers).toEqual(['Name', 'Email address', 'Start']);
    expect(t.totalRows).toBe(2);
    expect(t.rows.map((r) => r.row)).toEqual([2, 3]);
    expect(t.rows[0]!.cells[2]).toBeInstanceOf(Date);
    expect(cellDate(t.rows[0]!.cells[2]!)).toBe('2026-01-05');
    expect(t.rows[1]!.cells.slice(0, 2)).toEqual(['Ben', 'ben@example.com']);
  });

  it('reads a workbook written by openpyxl, and a chosen sheet', async () => {
    const t = await readAll(OPENPYXL_PEOPLE);
    expect(t.headers).toEqual(['Full name', 'E-mail', 'Employee no.', 'Start date', 'Weekly capacity']);
    expect(t.totalRows).toBe(5);
    const byRow = new Map(t.rows.map((r) => [r.row, r.cells]));
    expect(byRow.get(2)!.slice(0, 3)).toEqual(['Zoë Ångström', 'zoe@example.com', 'E-001']);
    expect(cellDate(byRow.get(2)![3]!)).toBe('2026-01-05');
    expect(byRow.get(3)![3]).toBeInstanceOf(Date);
    expect(byRow.get(6)![0]).toBe('Dan Doe');
    const notes = await readAll(OPENPYXL_PEOPLE, { sheet: 'Notes' });
    expect(notes.headers).toEqual(['Imported from the HR system']);
  });

  it('refuses a legacy .xls with 415, whatever the file is called', async () => {
    const ole2 = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
    const r = await refusal(openTable(await write(join(dir, 'people.xlsx'), ole2)));
    expect(r.status).toBe(415);
    expect(r.message).toMatch(/save it as \.xlsx or \.csv/);
  });

  it('refuses other zip files with 415: an OpenDocument spreadsheet by name, anything else as not a workbook', async () => {
    const ods = zipBytes([
      { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet') },
      { name: 'content.xml', data: Buffer.from('<office:document-content/>') },
    ]);
    const r = await refusal(openTable(await write(join(dir, 'plan.xlsx'), ods)));
    expect(r).toMatchObject({
      status: 415,
      message: expect.stringMatching(/OpenDocument.*save it as \.xlsx or \.csv/),
    });
    const docx = zipBytes([{ name: 'word/document.xml', data: Buffer.from('<w:document/>') }]);
    const d = await refusal(openTable(await write(join(dir, 'letter.xlsx'), docx)));
    expect(d).toMatchObject({
      status: 415,
      message: expect.stringMatching(/not an \.xlsx workbook.*save it as/),
    });
  });

  it('refuses a zip bomb from its directory alone, without inflating it', async () => {
    // The body is not even deflate data: inflating it would fail differently.
    const bomb = xlsxWithSheet({
      name: '',
      data: Buffer.alloc(4096, 7),
      raw: true,
      declaredSize: 3_000_000_000,
    });
    const r = await refusal(openTable(await write(join(dir, 'bomb.xlsx'), bomb)));
    expect(r).toMatchObject({ status: 422, ceiling: 'maxCompressionRatio' });
    // A real one: 16 MiB of zeros in a few kilobytes.
    const real = xlsxWithSheet({ name: '', data: Buffer.alloc(16 * 1024 * 1024) });
    expect(await refusal(openTable(await write(join(dir, 'real-bomb.xlsx'), real)))).toMatchObject({
      status: 422,
      ceiling: 'maxCompressionRatio',
    });
  });

  it('applies the entry, size and sheet ceilings to the zip directory and workbook metadata', async () => {
    const path = await writeXlsx(join(dir, 'three.xlsx'), { A: [['x'], [1]], B: [['y']], C: [['z']] });
    expect(await refusal(openTable(path, { limits: { maxZipEntries: 3 } }))).toMatchObject({
      status: 422,
      ceiling: 'maxZipEntries',
    });
    expect(await refusal(openTable(path, { limits: { maxUncompressedBytes: 2048 } }))).toMatchObject({
      status: 422,
      ceiling: 'maxUncompressedBytes',
    });
    const sheets = await refusal(openTable(path, { limits: { maxSheets: 2 } }));
    expect(sheets).toMatchObject({ status: 422, ceiling: 'maxSheets' });
    expect(sheets.message).toMatch(/3 sheets; at most 2/);
  });

  it('refuses a sheet whose declared dimension is over the row ceiling, naming the sheet', async () => {
    const r = await refusal(openTable(OPENPYXL_PEOPLE, { limits: { maxRowsPerSheet: 3 } }));
    expect(r).toMatchObject({ status: 422, ceiling: 'maxRowsPerSheet', sheet: 'People' });
    expect(await refusal(openTable(OPENPYXL_PEOPLE, { limits: { maxCells: 20 } }))).toMatchObject({
      ceiling: 'maxCells',
      sheet: 'People',
    });
  });

  it('holds the row and cell ceilings while streaming when the file declares no extent', async () => {
    const path = await writeXlsxStreamed(join(dir, 'streamed.xlsx'), ['n', 'v'], 50, (i) => [i, `v${i}`]);
    expect((await readAll(path)).rows).toHaveLength(50);
    const rows = await refusal(readAll(path, { limits: { maxRowsPerSheet: 20 } }));
    expect(rows).toMatchObject({ status: 422, ceiling: 'maxRowsPerSheet', sheet: 'Data' });
    expect(await refusal(readAll(path, { limits: { maxCells: 30 } }))).toMatchObject({ ceiling: 'maxCells' });
  });
});

describe('csv', () => {
  const rowsOf = async (name: string, bytes: Buffer) => readAll(await write(join(dir, name), bytes));

  it('reads UTF-8 with a BOM and commas, quoted fields included', async () => {
    const text =
      '\ufeffName,E-mail,Note\r\n"Doe, Jane",jane@example.com,"two\r\nlines"\r\nÅsa,asa@example.com,\r\n';
    const t = await rowsOf('bom.csv', Buffer.from(text, 'utf8'));
    expect([t.encoding, t.delimiter]).toEqual(['utf-8', ',']);
    expect(t.headers).toEqual(['Name', 'E-mail', 'Note']);
    expect(t.rows.map((r) => r.cells)).toEqual([
      ['Doe, Jane', 'jane@example.com', 'two\r\nlines'],
      ['Åsa', 'asa@example.com', ''],
    ]);
    expect(t.rows[1]!.row).toBeGreaterThan(t.rows[0]!.row);
  });

  it('reads UTF-8 without a BOM and semicolons', async () => {
    const t = await rowsOf('semi.csv', Buffer.from('Name;Email;Hours\nZoë;zoe@example.com;32,5\n', 'utf8'));
    expect([t.encoding, t.delimiter]).toEqual(['utf-8', ';']);
    expect(t.rows).toEqual([{ row: 2, cells: ['Zoë', 'zoe@example.com', '32,5'] }]);
  });

  it('reads Windows-1252 with tabs, even when the first non-ASCII byte comes late', async () => {
    const lines = ['Name\tEmail'];
    for (let i = 0; i < 5000; i++) lines.push(`Person ${i}\tp${i}@example.com`);
    lines.push('Ren\xe9e M\xfcller\trenee@example.com');
    const t = await rowsOf('cp1252.tsv', Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1'));
    expect([t.encoding, t.delimiter]).toEqual(['windows-1252', '\t']);
    expect(t.rows.at(-1)).toEqual({ row: 5002, cells: ['Renée Müller', 'renee@example.com'] });
    expect(t.totalRows).toBe(5001);
  });

  it('numbers each record by the line it starts on, line breaks in quoted fields and blank lines counted', async () => {
    const text = 'Name,Note\r\nAnn,"two\r\nlines"\r\n\r\nBen,"x\ny\nz"\r\nCid,\r\n';
    const t = await rowsOf('multiline.csv', Buffer.from(text, 'utf8'));
    expect(t.rows.map((r) => [r.row, r.cells[0]])).toEqual([
      [2, 'Ann'],
      [5, 'Ben'],
      [8, 'Cid'],
    ]);
  });

  it('takes the delimiter from the first line that has one, past a title line', async () => {
    const t = await rowsOf('titled.csv', Buffer.from('Workload Tracker\n\nName;Hours\nZoë;32,5\n', 'utf8'));
    expect(t.delimiter).toBe(';');
    expect(t.rows.at(-1)).toEqual({ row: 4, cells: ['Zoë', '32,5'] });
  });

  it('refuses broken CSV, binary files and empty files with a reason', async () => {
    expect(await refusal(rowsOf('broken.csv', Buffer.from('a,b\n"open,2\n')))).toMatchObject({ status: 422 });
    expect(await refusal(rowsOf('bin.csv', Buffer.from([1, 0, 2, 0])))).toMatchObject({ status: 415 });
    expect(await refusal(rowsOf('empty.csv', Buffer.alloc(0)))).toMatchObject({ status: 422 });
    const tall = await write(join(dir, 'tall.csv'), 'a\n1\n2\n3\n');
    expect(await refusal(readAll(tall, { limits: { maxRowsPerSheet: 2 } }))).toMatchObject({
      ceiling: 'maxRowsPerSheet',
    });
  });
});

describe('columns', () => {
  const fields = [
    { key: 'email', synonyms: ['E-mail', 'Email address', 'Mail'] },
    { key: 'name', synonyms: ['Full name'] },
    { key: 'employeeNumber', synonyms: ['Employee no', 'Personnel number'] },
  ];

  it('matches headers with common synonyms, ignoring case, accents and punctuation', () => {
    const map = mapColumns(['E-MAIL', 'Full Name', 'Employee No.', 'Shoe size', 'Email address'], fields);
    expect(map.map((m) => m.field)).toEqual(['email', 'name', 'employeeNumber', null, null]);
  });

  it('lets the caller change the mapping', () => {
    const map = mapColumns(['Mail', 'Login'], fields, { Mail: null, Login: 'email' });
    expect(map.map((m) => m.field)).toEqual([null, 'email']);
  });

  it('reads dates in ISO or a declared format', () => {
    expect(cellDate('2026-03-02')).toBe('2026-03-02');
    expect(cellDate('02/03/2026')).toBeNull();
    expect(cellDate('02/03/2026', 'dd/MM/yyyy')).toBe('2026-03-02');
    expect(cellDate('31/02/2026', 'dd/MM/yyyy')).toBeNull();
    expect(cellDate(new Date(Date.UTC(2026, 11, 31)))).toBe('2026-12-31');
  });

  it('reads a date and time as the date written, as Python, pandas and databases export them', () => {
    expect(cellDate('2027-02-10 00:00:00')).toBe('2027-02-10');
    expect(cellDate('2027-02-10 13:30:00.123456')).toBe('2027-02-10');
    // The date as written, not the UTC one the offset would make it.
    expect(cellDate('2027-02-10T00:00:00+01:00')).toBe('2027-02-10');
    expect(cellDate('2027-02-10 23:30:00-05:00')).toBe('2027-02-10');
    expect(cellDate('2027-02-10 later')).toBeNull();
  });
});
