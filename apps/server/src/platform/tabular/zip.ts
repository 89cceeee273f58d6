import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { overCeiling, type TabularLimits, unreadable } from './limits';
import { unsupported } from './sniff';

/** A worksheet as the workbook declares it, with the extent its `<dimension>` claims (if any). */
export type SheetInfo = {
  name: string;
  entry: string;
  hidden: boolean;
  rows: number | null;
  cells: number | null;
};

const MiB = 1024 * 1024;

export const openZip = (path: string) =>
  new Promise<ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) =>
      err
        ? reject(unreadable(`The .xlsx file is not a readable zip archive (${err.message})`))
        : resolve(zip),
    ),
  );

/** Every entry of the central directory; no entry is inflated. */
export function listEntries(zip: ZipFile) {
  return new Promise<Entry[]>((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (e: Entry) => {
      entries.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (err: Error) =>
      reject(unreadable(`The .xlsx zip directory is damaged (${err.message})`)),
    );
    zip.readEntry();
  });
}

/** At most `max` bytes of one entry as text; the rest is never inflated. */
export function head(zip: ZipFile, entry: Entry, max: number) {
  return new Promise<string>((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) return reject(unreadable(`Cannot read ${entry.fileName} (${err.message})`));
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => resolve(Buffer.concat(chunks).toString('utf8'));
      stream.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= max) {
          stream.removeAllListeners('end');
          stream.destroy();
          finish();
        }
      });
      stream.on('end', finish);
      stream.on('error', (e: Error) => reject(unreadable(`Cannot read ${entry.fileName} (${e.message})`)));
    });
  });
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const xmlText = (s: string) =>
  s.replace(
    /&(amp|lt|gt|quot|apos);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!,
  );

function columnNumber(letters: string) {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** Rows and cells of a `<dimension ref="A1:J100">`; null when absent or unreadable. */
function dimension(xml: string): { rows: number; cells: number } | null {
  const ref = /<(?:\w+:)?dimension\b[^>]*\sref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"/.exec(xml);
  if (!ref) return null;
  const [, c1, r1, c2 = c1!, r2 = r1!] = ref;
  const rows = Number(r2) - Number(r1) + 1;
  const cols = columnNumber(c2) - columnNumber(c1!) + 1;
  return rows > 0 && cols > 0 ? { rows, cells: rows * cols } : null;
}

/**
 * Checks an .xlsx before anything is inflated: the central directory's entry count, declared sizes
 * and compression ratios (zip bombs), then the workbook's own metadata: how many sheets, and the
 * extent each sheet's `<dimension>` declares. Over a ceiling → 422 naming it.
 */
export async function inspectXlsx(path: string, limits: TabularLimits): Promise<SheetInfo[]> {
  const zip = await openZip(path);
  try {
    if (zip.entryCount > limits.maxZipEntries)
      throw overCeiling(
        'maxZipEntries',
        limits.maxZipEntries,
        `The .xlsx archive holds ${zip.entryCount} entries; at most ${limits.maxZipEntries} are accepted`,
      );
    const entries = await listEntries(zip);
    let total = 0;
    for (const e of entries) {
      total += e.uncompressedSize;
      const ratio = e.uncompressedSize / Math.max(e.compressedSize, 1);
      if (e.uncompressedSize > MiB && ratio > limits.maxCompressionRatio)
        throw overCeiling(
          'maxCompressionRatio',
          limits.maxCompressionRatio,
          `${e.fileName} would inflate ${Math.round(ratio)} times its size; at most ${limits.maxCompressionRatio} is accepted`,
        );
      if (e.isEncrypted() || (e.compressionMethod !== 0 && e.compressionMethod !== 8))
        throw unreadable(`${e.fileName} is encrypted or compressed in a way .xlsx files never are`);
    }
    if (total > limits.maxUncompressedBytes)
      throw overCeiling(
        'maxUncompressedBytes',
        limits.maxUncompressedBytes,
        `The .xlsx archive would inflate to ${Math.ceil(total / MiB)} MiB; at most ${Math.floor(limits.maxUncompressedBytes / MiB)} MiB are accepted`,
      );
    const byName = new Map(entries.map((e) => [e.fileName, e]));
    const workbook = byName.get('xl/workbook.xml');
    const rels = byName.get('xl/_rels/workbook.xml.rels');
    // Another kind of file that is a zip: a different type (415, like .xls), not a damaged workbook.
    if (!workbook || !rels)
      throw unsupported(
        byName.has('mimetype') && (await head(zip, byName.get('mimetype')!, 200)).includes('opendocument')
          ? 'This is an OpenDocument (.ods) file, which cannot be read: save it as .xlsx or .csv'
          : 'This zip archive is not an .xlsx workbook (no xl/workbook.xml): save it as .xlsx or .csv',
      );
    const sheetTags = (await head(zip, workbook, MiB)).match(/<(?:\w+:)?sheet\s[^>]*>/g) ?? [];
    if (sheetTags.length > limits.maxSheets)
      throw overCeiling(
        'maxSheets',
        limits.maxSheets,
        `The workbook has ${sheetTags.length} sheets; at most ${limits.maxSheets} are accepted`,
      );
    const targets = new Map<string, string>();
    for (const tag of (await head(zip, rels, MiB)).match(/<(?:\w+:)?Relationship\s[^>]*>/g) ?? []) {
      const target = attr(tag, 'Target') ?? '';
      targets.set(attr(tag, 'Id') ?? '', target.startsWith('/') ? target.slice(1) : `xl/${target}`);
    }
    const sheets: SheetInfo[] = [];
    let cells = 0;
    for (const tag of sheetTags) {
      const name = xmlText(attr(tag, 'name') ?? '');
      const entryName = targets.get(attr(tag, 'r:id') ?? attr(tag, 'id') ?? '') ?? '';
      const entry = byName.get(entryName);
      // The dimension sits before the sheet data, in the first few bytes.
      const dim = entry ? dimension(await head(zip, entry, 64 * 1024)) : null;
      if (dim && dim.rows - 1 > limits.maxRowsPerSheet)
        throw overCeiling(
          'maxRowsPerSheet',
          limits.maxRowsPerSheet,
          `Sheet "${name}" declares ${dim.rows} rows; at most ${limits.maxRowsPerSheet} rows per sheet are accepted`,
          name,
        );
      cells += dim?.cells ?? 0;
      if (cells > limits.maxCells)
        throw overCeiling(
          'maxCells',
          limits.maxCells,
          `Sheet "${name}" brings the workbook to ${cells} cells; at most ${limits.maxCells} are accepted`,
          name,
        );
      sheets.push({
        name,
        entry: entryName,
        hidden: /^(hidden|veryHidden)$/.test(attr(tag, 'state') ?? ''),
        rows: dim?.rows ?? null,
        cells: dim?.cells ?? null,
      });
    }
    return sheets;
  } finally {
    zip.close();
  }
}
