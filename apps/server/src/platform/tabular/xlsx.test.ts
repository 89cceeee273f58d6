import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWithExcelJS } from '../../../test/fixtures/tabular/exceljs-reader';
import { OPENPYXL_PEOPLE, write, writeXlsx, zipBytes } from '../../../test/fixtures/tabular/files';
import { DEFAULT_TABULAR_LIMITS } from './limits';
import type { RawRow } from './types';
import { readXlsx } from './xlsx';
import { inspectXlsx } from './zip';

const fixture = (name: string) => join(import.meta.dirname, '../../../test/fixtures/tabular', name);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Every row of one sheet (by its entry number) as the lean reader gives it. */
async function readLean(path: string, number = '1') {
  const sheets = await inspectXlsx(path, DEFAULT_TABULAR_LIMITS);
  const sheet = sheets.find((s) => s.entry === `xl/worksheets/sheet${number}.xml`)!;
  const rows: RawRow[] = [];
  for await (const r of readXlsx(path, sheets, sheet, DEFAULT_TABULAR_LIMITS)) rows.push(r);
  return rows;
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const RELS_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/** An .xlsx of hand-written parts, shaped as other programs write them. */
function handWritten(parts: {
  sheet: string;
  /** Parts of the sheet after its rows (`<mergeCells>`). */
  after?: string;
  strings?: string;
  styles?: string;
  workbookPr?: string;
}) {
  const entries = [
    {
      name: 'xl/workbook.xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook ${NS} ${RELS_NS}>${parts.workbookPr ?? ''}<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    },
    ...(parts.strings ? [{ name: 'xl/sharedStrings.xml', data: `<sst ${NS}>${parts.strings}</sst>` }] : []),
    ...(parts.styles
      ? [{ name: 'xl/styles.xml', data: `<styleSheet ${NS}>${parts.styles}</styleSheet>` }]
      : []),
    {
      name: 'xl/worksheets/sheet1.xml',
      data: `<worksheet ${NS}><sheetData>${parts.sheet}</sheetData>${parts.after ?? ''}</worksheet>`,
    },
  ];
  return zipBytes(entries.map((e) => ({ name: e.name, data: Buffer.from(e.data) })));
}

const STYLES =
  '<numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/><numFmt numFmtId="165" formatCode="0&quot; h&quot;"/><numFmt numFmtId="166" formatCode="[$-F400]h:mm:ss\\ AM/PM"/></numFmts>' +
  '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>' +
  '<cellXfs count="6"><xf numFmtId="14" fontId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165"><alignment horizontal="left"/></xf><xf numFmtId="22"/><xf numFmtId="4"/><xf numFmtId="166"/></cellXfs>';

describe('the .xlsx reader over the sheet XML gives what the ExcelJS reader gave', () => {
  it.each([
    ['people-openpyxl.xlsx', '1'],
    ['people-openpyxl.xlsx', '2'],
    ['shapes-openpyxl.xlsx', '1'],
    ['shapes-openpyxl.xlsx', '2'],
    ['shapes-1904-openpyxl.xlsx', '1'],
  ])('%s, sheet %s', async (name, number) => {
    const path = fixture(name);
    const lean = await readLean(path, number);
    expect(lean.length).toBeGreaterThan(0);
    expect(lean).toEqual(await readWithExcelJS(path, number));
  });

  it('an ExcelJS workbook with shared strings, hyperlinks, dates and formulas', async () => {
    const path = await writeXlsx(join(dir, 'exceljs.xlsx'), {
      First: [['skipped'], [1]],
      People: [
        ['Name', 'Link', 'Start', 'Sum', 'Rich'],
        [
          'Ann & <Bo>',
          { text: 'ann@example.com', hyperlink: 'mailto:ann@example.com' },
          new Date(Date.UTC(2026, 0, 5, 12)),
        ],
        [
          'Ben',
          null,
          '2026-02-01',
          { formula: 'A1&"x"', result: 'Annx' },
          { richText: [{ text: 'a ' }, { text: 'b', font: { bold: true } }] },
        ],
        [],
        [null, null, null, { formula: '1+1', result: 2 }, 'Ann & <Bo>'],
      ],
    });
    const lean = await readLean(path, '2');
    expect(lean.map((r) => r.row)).toEqual([1, 2, 3, 5]);
    expect(lean).toEqual(await readWithExcelJS(path, '2'));
  });

  it('shared strings with rich runs, phonetic guides, entities, escapes; styles and their date formats', async () => {
    const strings =
      '<si><t>plain</t></si><si><r><t>rich </t></r><r><rPr><b/></rPr><t xml:space="preserve">text </t></r></si>' +
      '<si><t>漢字</t></si><si><t>&lt;a&gt; &amp; &quot;b&quot; &#233;&#x1F600;</t></si>' +
      '<si><t xml:space="preserve">  spaced  </t></si><si><t>line_x000D_break</t></si><si><t/></si><si><t></t></si>';
    const sheet =
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c><c r="G1" t="s"><v>6</v></c><c r="H1" t="s"><v>7</v></c></row>' +
      '<row r="2"><c r="A2" s="0"><v>46000</v></c><c r="B2" s="1"><v>46000.5</v></c><c r="C2" s="2"><v>7.5</v></c><c r="D2" s="3"><v>46000.75</v></c><c r="E2" s="4"><v>1234.5</v></c><c r="F2" s="5"><v>0.25</v></c><c r="G2" s="9"><v>3</v></c></row>' +
      '<row r="3" spans="1:9"><c r="B3" t="str"><f>A1&amp;"x"</f><v>plainx</v></c><c r="C3"><f>1+2</f><v>3</v></c><c r="D3" t="b"><v>1</v></c><c r="E3" t="b"><v>0</v></c><c r="F3" t="e"><v>#REF!</v></c><c r="G3"><f>NOW()</f></c><c r="I3" s="1"/></row>' +
      '<row r="5"/><row r="6"><c r="Z6" t="inlineStr"><is><t>inline &amp; plain</t></is></c></row><row r="7"><c r="A7" s="1"/></row>';
    const path = await write(join(dir, 'parts.xlsx'), handWritten({ sheet, strings, styles: STYLES }));
    const lean = await readLean(path);
    expect(lean).toEqual(await readWithExcelJS(path));
    expect(lean[0]!.cells).toEqual([
      'plain',
      'rich text ',
      '漢字',
      '<a> & "b" é😀',
      '  spaced  ',
      'line_x000D_break',
    ]);
    expect(lean[1]!.cells.map((c) => (c instanceof Date ? c.toISOString() : c))).toEqual([
      46000,
      '2025-12-09T12:00:00.000Z',
      7.5,
      '2025-12-09T18:00:00.000Z',
      1234.5,
      '1899-12-30T06:00:00.000Z',
      3,
    ]);
    expect(lean.map((r) => r.row)).toEqual([1, 2, 3, 5, 6, 7]);
    expect(lean[3]!.cells).toEqual([]);
    expect(lean[4]!.cells.length).toBe(26);
  });

  it('the 1904 date system', async () => {
    const sheet = '<row r="1"><c r="A1" s="1"><v>44000</v></c></row>';
    const path = await write(
      join(dir, '1904.xlsx'),
      handWritten({ sheet, styles: STYLES, workbookPr: '<workbookPr date1904="1"/>' }),
    );
    const lean = await readLean(path);
    expect(lean).toEqual(await readWithExcelJS(path));
    expect((lean[0]!.cells[0] as Date).toISOString()).toBe('2024-06-19T00:00:00.000Z');
  });
});

describe('where the lean reader reads what the ExcelJS reader misread', () => {
  it('rows and cells without references, pretty-printed, inline rich text (as LibreOffice and others write)', async () => {
    const sheet = `
      <row>
        <c t="inlineStr"><is><t>Name</t></is></c>
        <c t="inlineStr"><is><r><t>Mail</t></r><r><rPr><b/></rPr><t xml:space="preserve"> address</t></r></is></c>
      </row>
      <row>
        <c t="inlineStr"><is><t>a &amp;lt; b</t></is></c>
        <c><v>4</v></c>
      </row>
      <row r="5"><c r="C5" t="str"><f>"x"</f><v>x</v>
      </c><c><v>1</v></c></row>`;
    const rows = await readLean(await write(join(dir, 'loose.xlsx'), handWritten({ sheet })));
    expect(rows).toEqual([
      { row: 1, cells: ['Name', 'Mail address'] },
      { row: 2, cells: ['a &lt; b', 4] },
      { row: 5, cells: [null, null, 'x', 1] },
    ]);
  });

  it('a label merged down a group of rows belongs to each row (ExcelJS leaves the rows below empty)', async () => {
    const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
    const sheet =
      `<row r="1">${cell('A1', 'Name')}${cell('B1', 'Project')}</row>` +
      `<row r="2">${cell('A2', 'Ana')}${cell('B2', 'P1')}</row>` +
      `<row r="3"><c r="A3" s="1"/>${cell('B3', 'P2')}</row>` +
      `<row r="4">${cell('B4', 'P3')}</row>` +
      `<row r="5">${cell('A5', 'Bo')}${cell('B5', 'P4')}${cell('C5', 'x')}</row>` +
      `<row r="6">${cell('B6', 'P5')}</row>`;
    // A2:A4 down a group, B5:C5 across (left as it is), A5:A6 with its first cell in row 5.
    const after =
      '<mergeCells count="3"><mergeCell ref="A2:A4"/><mergeCell ref="B5:C5"/><mergeCell ref="A5:A6"/></mergeCells>';
    const rows = await readLean(await write(join(dir, 'merged.xlsx'), handWritten({ sheet, after })));
    expect(rows.map((r) => r.cells)).toEqual([
      ['Name', 'Project'],
      ['Ana', 'P1'],
      ['Ana', 'P2'],
      ['Ana', 'P3'],
      ['Bo', 'P4', 'x'],
      ['Bo', 'P5'],
    ]);
  });

  it('formula results that are booleans, errors or dates, prefixed element names, ISO date cells', async () => {
    const sheet =
      '<x:row r="1"><x:c r="A1" t="b"><x:f>TRUE()</x:f><x:v>1</x:v></x:c><x:c r="B1" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c>' +
      '<x:c r="C1" s="1"><x:f>TODAY()</x:f><x:v>46000</x:v></x:c><x:c r="D1" t="d"><x:v>2026-03-04T05:06:07</x:v></x:c></x:row>';
    const rows = await readLean(
      await write(join(dir, 'prefixed.xlsx'), handWritten({ sheet, styles: STYLES })),
    );
    expect(rows).toEqual([
      {
        row: 1,
        cells: [true, '#DIV/0!', new Date(Date.UTC(2025, 11, 9)), new Date(Date.UTC(2026, 2, 4, 5, 6, 7))],
      },
    ]);
  });

  it('a character split between two inflated chunks (ExcelJS gave two replacement characters)', async () => {
    const row = (i: number) => [`Zoë & ${i} <x>`, i / 7, new Date(Date.UTC(2026, 0, 1 + (i % 300)))];
    const rows = Array.from({ length: 3000 }, (_, i) => row(i));
    const path = await writeXlsx(join(dir, 'split.xlsx'), { S: rows });
    expect(await readLean(path)).toEqual(rows.map((cells, i) => ({ row: i + 1, cells })));
  });

  it('phonetic guides of shared strings are left out (ExcelJS gave the guide instead of the text)', async () => {
    const strings =
      '<si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh></si><si><r><t>a</t></r><rPh><t>x</t></rPh></si>';
    const sheet = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>';
    const path = await write(join(dir, 'phonetic.xlsx'), handWritten({ sheet, strings }));
    expect(await readLean(path)).toEqual([{ row: 1, cells: ['漢字', 'a'] }]);
  });
});

it('refuses a cell text longer than any spreadsheet holds, however it is split', async () => {
  // 5 MiB in one value: a cell holds at most 32,767 characters, so this is no spreadsheet. Random
  // halves, so that it does not compress like a zip bomb (refused before any reading), split by an
  // element or into runs, so that no single text node is long.
  const half = () => randomBytes(1.9 * 1024 * 1024).toString('base64');
  for (const [name, sheet] of [
    [
      'inline-runs',
      `<row r="1"><c r="A1" t="inlineStr"><is><r><t>${half()}</t></r><r><t>${half()}</t></r></is></c></row>`,
    ],
    ['value-split', `<row r="1"><c r="A1"><v>${half()}<x/>${half()}</v></c></row>`],
  ]) {
    const path = await write(join(dir, `${name}.xlsx`), handWritten({ sheet: sheet! }));
    await expect(readLean(path), name).rejects.toThrow('a text too long for a spreadsheet cell');
  }
});

it('refuses a cell beyond column XFD instead of building a row up to it', async () => {
  const sheet = '<row r="1"><c r="A1"><v>1</v></c><c r="ZZZZZZZZ1"><v>2</v></c></row>';
  const path = await write(join(dir, 'far-column.xlsx'), handWritten({ sheet }));
  await expect(readLean(path)).rejects.toThrow('beyond column XFD');
  const last = '<row r="1"><c r="XFD1"><v>2</v></c></row>';
  const ok = await write(join(dir, 'last-column.xlsx'), handWritten({ sheet: last }));
  expect((await readLean(ok))[0]!.cells).toHaveLength(16_384);
});

it('keeps the row and cell ceilings over the sheets before the one read', async () => {
  const path = await writeXlsx(join(dir, 'ceilings.xlsx'), {
    A: [['a', 'b', 'c'], [1, 2, 3], [4]],
    B: [['x'], [1]],
  });
  const sheets = await inspectXlsx(path, DEFAULT_TABULAR_LIMITS);
  const read = async (limits: Partial<typeof DEFAULT_TABULAR_LIMITS>) => {
    const rows: RawRow[] = [];
    for await (const r of readXlsx(path, sheets, sheets[1]!, { ...DEFAULT_TABULAR_LIMITS, ...limits }))
      rows.push(r);
    return rows;
  };
  // Each row counts up to its last cell: sheet A 3 + 3 + 1, then B 1 + 1.
  expect(await read({ maxCells: 9 })).toHaveLength(2);
  await expect(read({ maxCells: 8 })).rejects.toMatchObject({ details: { extra: { ceiling: 'maxCells' } } });
  await expect(read({ maxRowsPerSheet: 1 })).rejects.toMatchObject({
    details: { extra: { ceiling: 'maxRowsPerSheet', sheet: 'A' } },
  });
});

it('the people fixture reads the same through both readers at its every sheet', async () => {
  expect(await readLean(OPENPYXL_PEOPLE)).toEqual(await readWithExcelJS(OPENPYXL_PEOPLE));
});
