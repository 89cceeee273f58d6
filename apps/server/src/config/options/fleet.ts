import { int, type Option } from './kit';

/** The fleet module: bookings, hand-overs and photos (payments and verification have their own section). */
export const FLEET_OPTIONS = [
  // fleet
  {
    section: 'fleet',
    key: 'turnaround_minutes',
    env: 'FLEET_TURNAROUND_MINUTES',
    schema: int(60, 0, 1440),
    doc: 'Time after each booking (cleaning, checks) during which the vehicle stays busy.',
  },
  {
    section: 'fleet',
    key: 'hold_minutes',
    env: 'FLEET_HOLD_MINUTES',
    schema: int(15, 1, 1440),
    doc: 'How long an unpaid booking holds its vehicle before it expires.',
  },
  {
    section: 'fleet',
    key: 'free_cancel_hours',
    env: 'FLEET_FREE_CANCEL_HOURS',
    schema: int(48, 0, 720),
    doc: 'A confirmed booking cancelled at least this long before pick-up is free; later, one day is charged.',
  },
  {
    section: 'fleet',
    key: 'late_grace_minutes',
    env: 'FLEET_LATE_GRACE_MINUTES',
    schema: int(30, 0, 1440),
    doc: 'A return this late or less costs nothing extra.',
  },
  {
    section: 'fleet',
    key: 'photo_max_bytes',
    env: 'FLEET_PHOTO_MAX_BYTES',
    schema: int(8 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    doc: 'Largest vehicle or hand-over photo accepted (413 above).',
  },
] as const satisfies readonly Option[];
