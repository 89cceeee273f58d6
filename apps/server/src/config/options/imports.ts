import { int, type Option } from './kit';

const MiB = 1024 * 1024;

/** Uploaded spreadsheets (planning imports): where they are kept and the ceilings they must stay under. */
export const IMPORTS_OPTIONS = [
  {
    section: 'imports',
    key: 'people_upload_max_bytes',
    env: 'PEOPLE_UPLOAD_MAX_BYTES',
    schema: int(500 * MiB, 1024, 16 * 1024 * MiB),
    doc: 'Largest people import file; a larger upload is answered 413 and nothing is kept.',
  },
  {
    section: 'imports',
    key: 'projects_upload_max_bytes',
    env: 'PROJECTS_UPLOAD_MAX_BYTES',
    schema: int(500 * MiB, 1024, 16 * 1024 * MiB),
    doc: 'Largest projects or assignments import file; a larger upload is answered 413 and nothing is kept.',
  },
  {
    section: 'imports',
    key: 'max_sheets',
    env: 'IMPORT_MAX_SHEETS',
    schema: int(10, 1, 1000),
    doc: 'Most sheets an .xlsx may have.',
  },
  {
    section: 'imports',
    key: 'max_rows_per_sheet',
    env: 'IMPORT_MAX_ROWS_PER_SHEET',
    schema: int(100_000, 1, 1_048_576),
    doc: 'Most data rows in one sheet or CSV file.',
  },
  {
    section: 'imports',
    key: 'max_cells',
    env: 'IMPORT_MAX_CELLS',
    schema: int(5_000_000, 1, 100_000_000),
    doc: 'Most cells in all sheets of a workbook together.',
  },
  {
    section: 'imports',
    key: 'max_zip_entries',
    env: 'IMPORT_MAX_ZIP_ENTRIES',
    schema: int(1000, 10, 100_000),
    doc: 'Most entries in an .xlsx zip archive (checked before anything is inflated).',
  },
  {
    section: 'imports',
    key: 'max_uncompressed_bytes',
    env: 'IMPORT_MAX_UNCOMPRESSED_BYTES',
    schema: int(1024 * MiB, MiB, 64 * 1024 * MiB),
    doc: 'Most bytes an .xlsx may inflate to, by its zip directory (checked before anything is inflated).',
  },
  {
    section: 'imports',
    key: 'max_compression_ratio',
    env: 'IMPORT_MAX_COMPRESSION_RATIO',
    schema: int(200, 10, 100_000),
    doc: 'Highest inflate ratio of any .xlsx entry over 1 MiB (zip bombs; checked before inflating).',
  },
] as const satisfies readonly Option[];
