import { StringDecoder } from 'node:string_decoder';
import type { Entry, ZipFile } from 'yauzl';
import { unreadable } from './limits';
import { attribute, boundedText, XmlScanner, xmlDecode } from './xml-scan';

/** One zip entry inflated chunk by chunk as UTF-8 text; stopping early closes its stream. */
export async function* entryText(zip: ZipFile, entry: Entry): AsyncGenerator<string> {
  const stream = await new Promise<NodeJS.ReadableStream & { destroy(): void }>((resolve, reject) =>
    zip.openReadStream(entry, (err, s) =>
      err ? reject(unreadable(`Cannot read ${entry.fileName} (${err.message})`)) : resolve(s),
    ),
  );
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of stream) yield decoder.write(chunk as Buffer);
    yield decoder.end();
  } catch (e) {
    throw unreadable(`Cannot read ${entry.fileName} (${(e as Error).message})`);
  } finally {
    stream.destroy();
  }
}

/** An entry's whole text (the small parts: workbook, styles). */
export async function wholeText(zip: ZipFile, entry: Entry) {
  let text = '';
  for await (const chunk of entryText(zip, entry)) text += chunk;
  return text;
}

/** The text of `<t>` elements, all runs joined, phonetic guides (`<rPh>`) left out. */
export class RunText {
  private parts: string[] | null = null;
  private raw: string | null = null;
  private phonetic = 0;
  /** Characters of all the runs so far: the whole value is bounded, not each run. */
  private length = 0;

  start() {
    this.parts = null;
    this.phonetic = 0;
    this.length = 0;
  }
  open(name: string, selfClosing: boolean) {
    if (name === 'rPh') this.phonetic++;
    else if (name === 't' && this.phonetic === 0) {
      this.parts ??= [];
      this.raw = selfClosing ? null : '';
      if (selfClosing) this.parts.push('');
    }
  }
  close(name: string) {
    if (name === 'rPh') this.phonetic--;
    else if (name === 't' && this.raw !== null) {
      this.parts!.push(xmlDecode(this.raw));
      this.raw = null;
    }
  }
  get capturing() {
    return this.raw !== null;
  }
  add(raw: string) {
    this.raw += raw;
    this.length += raw.length;
    boundedText(this.length);
  }
  /** The joined text, or null when there was no `<t>` at all. */
  get value(): string | null {
    return this.parts === null ? null : this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
  }
}

/** Every `<si>` of xl/sharedStrings.xml in order, read as a stream (the table can be megabytes). */
export async function readSharedStrings(zip: ZipFile, entry: Entry) {
  const strings: (string | null)[] = [];
  const run = new RunText();
  let inSi = false;
  const scanner = new XmlScanner({
    open(name, _tag, selfClosing) {
      if (name === 'si') {
        inSi = true;
        run.start();
      } else if (inSi) run.open(name, selfClosing);
    },
    close(name) {
      if (name === 'si') {
        inSi = false;
        strings.push(run.value);
      } else if (inSi) run.close(name);
    },
    text: (raw) => run.add(raw),
    wantText: () => run.capturing,
  });
  for await (const chunk of entryText(zip, entry)) scanner.feed(chunk);
  return strings;
}

// Built-in number formats that show a date or time (ECMA-376 18.8.30).
const BUILT_IN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

/** Whether a format code shows a date or time: a date token outside quotes and brackets. */
export const isDateFormat = (code: string) =>
  /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));

const tags = (xml: string, name: string) =>
  xml.match(new RegExp(`<(?:\\w+:)?${name}(?:\\s(?:[^>"']|"[^"]*"|'[^']*')*)?/?>`, 'g')) ?? [];

/** For each cell format (`<cellXfs>` of xl/styles.xml, by index), whether it shows a date. */
export function dateStyles(stylesXml: string): boolean[] {
  const custom = new Map<number, string>();
  for (const tag of tags(stylesXml, 'numFmt'))
    custom.set(Number(attribute(tag, 'numFmtId')), xmlDecode(attribute(tag, 'formatCode') ?? ''));
  const xfs = /<(?:\w+:)?cellXfs\b[\s\S]*?<\/(?:\w+:)?cellXfs>/.exec(stylesXml)?.[0] ?? '';
  return tags(xfs, 'xf').map((tag) => {
    const id = Number.parseInt(attribute(tag, 'numFmtId') ?? '', 10);
    if (!id) return false;
    const code = custom.get(id);
    return code === undefined ? BUILT_IN_DATES.has(id) : isDateFormat(code);
  });
}

/** Whether xl/workbook.xml counts dates from 1904 (old Mac workbooks). */
export function uses1904(workbookXml: string) {
  const tag = tags(workbookXml, 'workbookPr')[0];
  const value = tag === undefined ? undefined : attribute(tag, 'date1904');
  return value === '1' || value === 'true';
}

/** A serial date as the UTC instant it stands for. */
export const serialDate = (serial: number, date1904: boolean) =>
  new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));

/** 1-based column of a cell reference's letters (`AB12` → 28); 0 when it has none. */
export function columnOf(ref: string) {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + c - 64;
  }
  return n;
}
