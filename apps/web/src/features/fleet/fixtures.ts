import type { TBooking } from '@clockpilot/contracts/fleet';

/** A held booking as the server answers it, for the feature's tests. */
export const BOOKING: TBooking = {
  id: '00000000-0000-4000-8000-0000000000b1',
  vehicleId: '00000000-0000-4000-8000-0000000000c1',
  userId: '00000000-0000-4000-8000-000000000001',
  state: 'held',
  startAt: '2026-12-01T10:00:00Z',
  endAt: '2026-12-03T10:00:00Z',
  busyUntil: '2026-12-03T11:00:00Z',
  holdExpiresAt: '2026-11-23T09:15:00Z',
  extras: [],
  quote: {
    currency: 'EUR',
    days: 2,
    rentalMinor: 9000,
    extrasMinor: 0,
    totalMinor: 9000,
    depositMinor: 30_000,
    authorizeMinor: 39_000,
    kmAllowance: 400,
  },
  payment: {
    intentId: null,
    authorizedMinor: 0,
    capturedMinor: 0,
    refundedMinor: 0,
    message: null,
    clientSecret: null,
  },
  checkout: null,
  return: null,
  charges: null,
  createdAt: '2026-11-23T09:00:00Z',
  updatedAt: '2026-11-23T09:00:00Z',
};
