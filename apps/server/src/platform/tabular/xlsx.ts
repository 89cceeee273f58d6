import type { Entry } from 'yauzl';
import { checkCounts, type TabularLimits, unreadable } from './limits';
import { type Cell, type RawRow, Uncalculated } from './types';
import { fillMerged, mergedRanges } from './xlsx-merges';
import {
  columnOf,
  dateStyles,
  entryText,
  RunText,
  readSharedStrings,
  serialDate,
  uses1904,
  wholeText,
} from './xlsx-parts';
import { attribute, boundedText, XmlScanner, xmlDecode } from './xml-scan';
import { listEntries, openZip, type SheetInfo } from './zip';

const sheetNumber = (entry: string) => /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(entry)?.[1];

const MAX_COLUMNS = 16_384;

/** What a sheet's cells are read against: the shared strings, which formats are dates, the epoch. */
type Context = { strings: (string | null)[]; dates: boolean[]; date1904: boolean };

/** A cell's value from its type, its raw `<v>` text (or inline text) and its format. */
function value(ctx: Context, t: string | undefined, v: string | null, style: number): Cell {
  if (v === null) return null;
  switch (t) {
    case 's':
      // An empty shared string reads as no value.
      return ctx.strings[Number.parseInt(v, 10)] || null;
    case 'inlineStr':
    case 'str':
    case 'e':
      return v;
    case 'b':
      return Number.parseInt(v, 10) !== 0;
    case 'd': {
      // ISO 8601 date cells (strict OOXML); a time without a zone is read as UTC, like serial dates.
      const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) || !v.includes('T') ? v : `${v}Z`);
      return Number.isNaN(date.getTime()) ? v : date;
    }
    default: {
      if (v === '') return null;
      const n = Number.parseFloat(v);
      return style > 0 && ctx.dates[style] ? serialDate(n, ctx.date1904) : n;
    }
  }
}

/**
 * Rows of one sheet part, fed its XML chunk by chunk. Each finished row is queued with the number of
 * cells it spans (the highest column of its `<c>`s, empty styled cells included) for the ceilings.
 */
class SheetRows {
  readonly done: { row: number; cells: Cell[]; span: number }[] = [];
  ended = false;
  private inData = false;
  private row = 0;
  private cells: Cell[] = [];
  private span = 0;
  private col = 0;
  private t: string | undefined;
  private style = 0;
  private v: string | null = null;
  /** The cell's `<f>` text; null when it has no formula. */
  private formula: string | null = null;
  private inV = false;
  private inF = false;
  private inline = false;
  private readonly run = new RunText();
  readonly scanner: XmlScanner;

  constructor(private readonly ctx: Context) {
    this.scanner = new XmlScanner({
      open: (name, tag, selfClosing) => this.open(name, tag, selfClosing),
      close: (name) => this.close(name),
      text: (raw) => {
        if (this.inV) {
          this.v += raw;
          boundedText(this.v!.length);
        } else if (this.inF) {
          this.formula += raw;
          boundedText(this.formula!.length);
        } else this.run.add(raw);
      },
      wantText: () => this.inV || this.inF || this.run.capturing,
    });
  }

  private open(name: string, tag: string, selfClosing: boolean) {
    if (!this.inData) {
      if (name === 'sheetData') this.inData = !selfClosing;
      return;
    }
    if (this.inline) return this.run.open(name, selfClosing);
    switch (name) {
      case 'row': {
        // Rows and cells without a reference follow the one before (as LibreOffice writes them).
        const r = Number.parseInt(attribute(tag, 'r') ?? '', 10);
        this.row = Number.isNaN(r) ? this.row + 1 : r;
        this.cells = [];
        this.span = 0;
        this.col = 0;
        return;
      }
      case 'c': {
        const ref = attribute(tag, 'r');
        const col = ref === undefined ? 0 : columnOf(ref);
        this.col = col > 0 ? col : this.col + 1;
        // Column XFD is the last a spreadsheet has; a row is an array up to its last cell.
        if (this.col > MAX_COLUMNS)
          throw unreadable(`Row ${this.row} has a cell beyond column XFD, the last a spreadsheet has`);
        this.t = attribute(tag, 't');
        const s = attribute(tag, 's');
        this.style = s === undefined ? 0 : Number.parseInt(s, 10);
        this.v = null;
        this.formula = null;
        if (selfClosing) this.finishCell();
        return;
      }
      case 'v':
        this.v = '';
        this.inV = !selfClosing;
        return;
      case 'f':
        this.formula = '';
        this.inF = !selfClosing;
        return;
      case 'is':
        this.inline = !selfClosing;
        this.run.start();
        return;
    }
  }

  private close(name: string) {
    if (!this.inData) return;
    if (this.inline) {
      if (name !== 'is') return this.run.close(name);
      this.inline = false;
      this.v = this.run.value ?? '';
      return;
    }
    switch (name) {
      case 'v':
        this.inV = false;
        if (this.t !== 's' && this.v !== null) this.v = xmlDecode(this.v);
        return;
      case 'f':
        this.inF = false;
        return;
      case 'c':
        return this.finishCell();
      case 'row':
        this.done.push({ row: this.row, cells: this.cells, span: this.span });
        return;
      case 'sheetData':
        this.inData = false;
        this.ended = true;
        return;
    }
  }

  private finishCell() {
    if (this.col > this.span) this.span = this.col;
    // A formula never calculated has no value: kept as such, for the caller to refuse where it matters.
    const cell =
      value(this.ctx, this.t, this.v, this.style) ??
      (this.formula === null ? null : new Uncalculated(xmlDecode(this.formula)));
    if (cell === null) return;
    const cells = this.cells;
    while (cells.length < this.col - 1) cells.push(null);
    cells[this.col - 1] = cell;
  }
}

/**
 * The rows of one sheet of an .xlsx, streamed from its XML: the sheets before it in the archive are
 * read only to count them against the ceilings; the reading stops after it. Real date cells come out
 * as `Date` (UTC). Only values are built, no cell objects or styles (see docs/DECISIONS.md).
 * Sheets are told apart by their entry in the zip, which every writer names the same way.
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
  const zip = await openZip(path);
  try {
    const entries = await listEntries(zip);
    const byName = new Map<string, Entry>(entries.map((e) => [e.fileName, e]));
    const part = async <T>(name: string, read: (e: Entry) => Promise<T>, none: T) => {
      const e = byName.get(name);
      return e ? read(e) : none;
    };
    const ctx: Context = {
      strings: await part('xl/sharedStrings.xml', (e) => readSharedStrings(zip, e), []),
      dates: dateStyles(await part('xl/styles.xml', (e) => wholeText(zip, e), '')),
      date1904: uses1904(await part('xl/workbook.xml', (e) => wholeText(zip, e), '')),
    };
    const target = byName.get(sheet.entry);
    const fill = fillMerged(target ? await mergedRanges(zip, target) : []);
    let cells = 0;
    // In archive order, as the rows were always counted.
    for (const entry of entries) {
      const number = sheetNumber(entry.fileName);
      if (number === undefined) continue;
      const name = names.get(number) ?? `sheet${number}`;
      const sheetRows = new SheetRows(ctx);
      let rows = 0;
      for await (const chunk of entryText(zip, entry)) {
        sheetRows.scanner.feed(chunk);
        for (const r of sheetRows.done) {
          rows += 1;
          cells += r.span;
          checkCounts(limits, rows, cells, { rows: `Sheet "${name}"`, cells: 'The workbook', sheet: name });
          if (number === wanted) yield { row: r.row, cells: fill(r.row, r.cells) };
        }
        sheetRows.done.length = 0;
        if (sheetRows.ended) break;
      }
      if (number === wanted) return;
    }
  } finally {
    zip.close();
  }
}
