import { int, type Option } from './kit';

/** The time module. */
export const TIME_OPTIONS = [
  // time
  {
    section: 'time',
    key: 'max_entry_hours',
    env: 'TIME_MAX_ENTRY_HOURS',
    schema: int(24, 1, 72),
    doc: 'Longest allowed time entry; an open entry older than this is flagged as forgotten.',
  },
] as const satisfies readonly Option[];
