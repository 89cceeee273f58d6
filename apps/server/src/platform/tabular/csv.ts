import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { checkCounts, type TabularLimits, unreadable } from './limits';
import type { RawRow } from './types';

export type CsvEncoding = 'utf-8' | 'windows-1252';
export type CsvDialect = { encoding: CsvEncoding; bom: boolean; delimiter: ',' | ';' | '\t'; lines: number };

const BOM = [0xef, 0xbb, 0xbf];
const DELIMITERS = [',', ';', '\t'] as const;

/** The delimiter that occurs most often outside quotes in a line; null when none does. */
function delimiterOf(line: string): CsvDialect['delimiter'] | null {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: CsvDialect['delimiter'] = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return counts.get(best)! > 0 ? best : null;
}

/** The delimiter of the first line that has one (a title above the header has none); `,` otherwise. */
function delimiterIn(text: string): CsvDialect['delimiter'] {
  for (const line of text.split(/\r\n|\r|\n/)) {
    const d = delimiterOf(line);
    if (d) return d;
  }
  return ',';
}

/** Line breaks inside a record's fields (quoted values may hold them). */
const breaksIn = (record: string[]) =>
  record.reduce((n, f) => (/[\r\n]/.test(f) ? n + f.match(/\r\n|\r|\n/g)!.length : n), 0);

/**
 * One pass over the bytes before parsing: is the whole file valid UTF-8 (else it is read as
 * Windows-1252, what Excel writes on Western systems), how many lines it has (for progress), and its
 * delimiter, read from the first line.
 */
export async function sniffCsv(path: string): Promise<CsvDialect> {
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let valid = true;
  let lines = 0;
  let first: Buffer | null = null;
  let bom = false;
  let start = true;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    if (start) {
      bom = BOM.every((b, i) => chunk[i] === b);
      first = chunk.subarray(0, 64 * 1024);
      start = false;
    }
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
    if (valid) {
      try {
        utf8.decode(chunk, { stream: true });
      } catch {
        valid = false;
      }
    }
  }
  if (valid) {
    try {
      utf8.decode();
    } catch {
      valid = false;
    }
  }
  const encoding: CsvEncoding = valid ? 'utf-8' : 'windows-1252';
  const text = new TextDecoder(encoding).decode(first!.subarray(bom ? 3 : 0));
  return { encoding, bom, delimiter: delimiterIn(text), lines };
}

/** Decodes a byte stream into text in the given encoding, characters split across chunks included. */
function decoder(encoding: CsvEncoding) {
  const d = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, d.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, d.decode());
    },
  });
}

/** The records of a CSV file, streamed, each with the line it starts on. */
export async function* readCsv(
  path: string,
  dialect: CsvDialect,
  limits: TabularLimits,
): AsyncGenerator<RawRow> {
  const source = createReadStream(path, { start: dialect.bom ? 3 : 0 });
  const parser = parse({
    delimiter: dialect.delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: 1024 * 1024,
    info: true,
  });
  source.on('error', (err) => parser.destroy(err));
  source.pipe(decoder(dialect.encoding)).pipe(parser);
  let rows = 0;
  let cells = 0;
  // Lines are counted here: csv-parse's `info.lines` is where a record ends, and counts a CRLF
  // inside quotes as two. A record starts after the lines of those before it and the blank lines.
  let lines = 1;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { empty_lines: number };
    }>) {
      rows += 1;
      cells += record.length;
      checkCounts(limits, rows, cells, { rows: 'The file', cells: 'The file' });
      yield { row: lines + info.empty_lines, cells: record };
      lines += 1 + breaksIn(record);
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('CSV_'))
      throw unreadable(`The CSV file cannot be read: ${(err as Error).message}`);
    throw err;
  } finally {
    source.destroy();
    parser.destroy();
  }
}
