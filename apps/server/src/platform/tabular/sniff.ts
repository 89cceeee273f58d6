import { open } from 'node:fs/promises';
import { AppError } from '../errors';

export type TabularFormat = 'xlsx' | 'csv';

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
// Compound File Binary (OLE2): Excel 97–2003 workbooks.
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** 415 for a file of a type that cannot be imported, saying what to save it as. */
export const unsupported = (message: string) =>
  new AppError('unsupported_media_type', message, { errors: [{ path: 'file', message }] });

/**
 * The file's type from its first bytes, never from its name or the client's content type: a zip is an
 * .xlsx, text is CSV, anything else (a legacy .xls above all) is refused with 415.
 */
export async function sniffFormat(path: string): Promise<TabularFormat> {
  const fh = await open(path, 'r');
  const head = Buffer.alloc(4096);
  let read: number;
  try {
    ({ bytesRead: read } = await fh.read(head, 0, head.length, 0));
  } finally {
    await fh.close();
  }
  const bytes = head.subarray(0, read);
  if (read === 0)
    throw new AppError('unprocessable', 'The file is empty', {
      errors: [{ path: 'file', message: 'The file is empty' }],
    });
  if (bytes.subarray(0, 4).equals(ZIP)) return 'xlsx';
  if (bytes.subarray(0, 8).equals(OLE2))
    throw unsupported(
      'This is a legacy Excel 97–2003 (.xls) workbook, which cannot be read: save it as .xlsx or .csv',
    );
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw unsupported('This text file is UTF-16: save it as .xlsx or as CSV in UTF-8');
  if (bytes.includes(0))
    throw unsupported('This is neither an .xlsx workbook nor a CSV file: save it as .xlsx or .csv');
  return 'csv';
}
