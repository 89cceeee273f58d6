import { z } from 'zod';
import { ZId, ZIsoDate, ZIsoDateTime, ZPage, ZPageQuery, ZSortDir, ZString, ZTimeZone } from './common';

/**
 * Fleet: vehicles, maintenance, availability, bookings and their hand-overs. Every amount is integer
 * minor units plus an ISO currency and is computed by the server; request bodies are strict, so a
 * price or amount sent by a client is refused, never used.
 */

export const VEHICLE_STATUSES = ['available', 'maintenance', 'retired'] as const;
export const TRANSMISSIONS = ['manual', 'automatic'] as const;
export const FUELS = ['petrol', 'diesel', 'hybrid', 'electric', 'lpg'] as const;
export const BOOKING_STATES = [
  'held',
  'confirmed',
  'checked_out',
  'returned',
  'closed',
  'cancelled',
  'expired',
  'no_show',
] as const;
export type TBookingState = (typeof BOOKING_STATES)[number];
/** Extras a renter may add; the server prices them per day. */
export const FLEET_EXTRAS = ['child_seat', 'gps', 'additional_driver', 'full_insurance'] as const;
/** Photos every check-out and return must carry, one per angle. */
export const HANDOVER_ANGLES = ['front', 'rear', 'left', 'right'] as const;
export const DAMAGE_SEVERITIES = ['scratch', 'dent', 'major'] as const;

const ZERO_DECIMAL = new Set('BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF'.split(' '));
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);
/**
 * How many digits of a currency's amount its minor units hold, as Stripe counts them: none for the
 * zero-decimal currencies (8000 JPY is ¥8,000), three for the dinars and the rial, two otherwise.
 */
export const minorUnitDigits = (currency: string): number => {
  const code = currency.toUpperCase();
  return ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2;
};

const ZMinor = z.number().int().min(0).max(100_000_000);
export const ZCurrency = ZString.regex(/^[A-Z]{3}$/, 'An ISO 4217 code such as EUR');
const ZText = (max: number) => ZString.trim().min(1).max(max);
/** Plates are kept upper-case without spaces or dashes, so "ab-12 cd" and "AB12CD" are one plate. */
const ZPlate = z
  .string()
  .trim()
  .transform((p) => p.toUpperCase().replace(/[\s-]+/g, ''))
  .pipe(ZString.regex(/^[A-Z0-9]{2,12}$/, '2 to 12 letters or digits'));

export const ZVehicle = z.object({
  id: ZId,
  make: ZString,
  model: ZString,
  year: z.number().int(),
  plate: ZString,
  vin: ZString,
  category: ZString,
  seats: z.number().int(),
  transmission: z.enum(TRANSMISSIONS),
  fuel: z.enum(FUELS),
  location: ZString,
  /** IANA zone of the location: staff dashboards and the timeline count its days in it. */
  timeZone: ZString,
  currency: ZCurrency,
  dailyRateMinor: z.number().int(),
  depositMinor: z.number().int(),
  kmPerDay: z.number().int(),
  extraKmMinor: z.number().int(),
  status: z.enum(VEHICLE_STATUSES),
  odometerKm: z.number().int(),
  serviceDueOn: ZIsoDate.nullable(),
  serviceDueKm: z.number().int().nullable(),
  /** Due by date or by odometer, whichever comes first. */
  serviceDue: z.boolean(),
  photoIds: z.array(ZId),
  createdAt: ZIsoDateTime,
  updatedAt: ZIsoDateTime,
});
export type TVehicle = z.infer<typeof ZVehicle>;

const VEHICLE_FIELDS = {
  make: ZText(60),
  model: ZText(60),
  year: z.number().int().min(1950).max(2100),
  plate: ZPlate,
  /** 17 characters (no I, O or Q) with a valid ISO 3779 check digit; checked by the server. */
  vin: ZString.trim()
    .transform((v) => v.toUpperCase())
    .pipe(ZString.regex(/^[A-HJ-NPR-Z0-9]{17}$/, '17 letters or digits, without I, O or Q')),
  category: ZText(40),
  seats: z.number().int().min(1).max(60),
  transmission: z.enum(TRANSMISSIONS),
  fuel: z.enum(FUELS),
  location: ZText(80),
  timeZone: ZTimeZone,
  currency: ZCurrency,
  dailyRateMinor: ZMinor.min(1),
  depositMinor: ZMinor,
  kmPerDay: z.number().int().min(0).max(10_000),
  extraKmMinor: ZMinor,
  odometerKm: z.number().int().min(0).max(5_000_000),
  serviceDueOn: ZIsoDate.nullable(),
  serviceDueKm: z.number().int().min(0).max(5_000_000).nullable(),
};
export const ZVehicleCreate = z.strictObject({
  ...VEHICLE_FIELDS,
  timeZone: VEHICLE_FIELDS.timeZone.default('UTC'),
  odometerKm: VEHICLE_FIELDS.odometerKm.default(0),
  serviceDueOn: VEHICLE_FIELDS.serviceDueOn.default(null),
  serviceDueKm: VEHICLE_FIELDS.serviceDueKm.default(null),
});
export type TVehicleCreate = z.infer<typeof ZVehicleCreate>;

export const ZVehicleUpdate = z
  // From the fields without their defaults, so a partial update leaves what it does not name alone.
  .strictObject({ ...VEHICLE_FIELDS, status: z.enum(VEHICLE_STATUSES) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Nothing to change');
export type TVehicleUpdate = z.infer<typeof ZVehicleUpdate>;

/** Orders of the catalogue: newest entries, daily rate, plate, model year. */
export const VEHICLE_SORTS = ['created', 'rate', 'plate', 'year'] as const;
export const ZVehicleListQuery = ZPageQuery.extend({
  sort: z.enum(VEHICLE_SORTS).default('created'),
  dir: ZSortDir.default('asc'),
  location: ZString.max(80).optional(),
  category: ZString.max(40).optional(),
  status: z.enum(VEHICLE_STATUSES).optional(),
});
export type TVehicleListQuery = z.infer<typeof ZVehicleListQuery>;
export const ZVehiclePage = ZPage(ZVehicle);

// ---------- maintenance ----------
export const ZMaintenanceRecord = z.object({
  id: ZId,
  vehicleId: ZId,
  performedOn: ZIsoDate,
  odometerKm: z.number().int(),
  description: ZString,
  costMinor: z.number().int().nullable(),
  createdAt: ZIsoDateTime,
});
export const ZMaintenanceRecordCreate = z.strictObject({
  performedOn: ZIsoDate,
  odometerKm: z.number().int().min(0).max(5_000_000),
  description: ZText(2000),
  /** What the workshop invoiced the company: a record of a cost, never a charge to a renter. */
  costMinor: ZMinor.nullable().default(null),
  nextServiceDueOn: ZIsoDate.nullable().optional(),
  nextServiceDueKm: z.number().int().min(0).max(5_000_000).nullable().optional(),
});
export const ZMaintenanceRecordList = z.object({ items: z.array(ZMaintenanceRecord) });

export const ZMaintenanceWindow = z.object({
  id: ZId,
  vehicleId: ZId,
  startAt: ZIsoDateTime,
  endAt: ZIsoDateTime,
  reason: ZString,
  createdAt: ZIsoDateTime,
});
export type TMaintenanceWindow = z.infer<typeof ZMaintenanceWindow>;
const ZRange = { startAt: ZIsoDateTime, endAt: ZIsoDateTime };
const endAfterStart = (v: { startAt: string; endAt: string }) => Date.parse(v.endAt) > Date.parse(v.startAt);
const endMessage = { message: 'Must be after startAt', path: ['endAt'] };
export const ZMaintenanceWindowCreate = z
  .strictObject({ ...ZRange, reason: ZText(500) })
  .refine(endAfterStart, endMessage);
export const ZVehicleParams = z.object({ vehicleId: ZId });
export const ZVehicleChildParams = z.object({ vehicleId: ZId, id: ZId });

// ---------- availability and calendar ----------
export const ZQuote = z.object({
  currency: ZCurrency,
  days: z.number().int(),
  rentalMinor: z.number().int(),
  extrasMinor: z.number().int(),
  totalMinor: z.number().int(),
  depositMinor: z.number().int(),
  /** Authorised on the card at confirmation: total plus deposit. */
  authorizeMinor: z.number().int(),
  kmAllowance: z.number().int(),
});
export type TQuote = z.infer<typeof ZQuote>;

export const ZAvailabilityQuery = z
  .object({
    from: ZIsoDateTime,
    to: ZIsoDateTime,
    location: ZString.max(80).optional(),
    category: ZString.max(40).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { message: 'Must be after from', path: ['to'] });
export const ZAvailability = z.object({
  from: ZIsoDateTime,
  to: ZIsoDateTime,
  items: z.array(z.object({ vehicle: ZVehicle, quote: ZQuote })),
});

export const ZCalendarQuery = z
  .object({ from: ZIsoDateTime, to: ZIsoDateTime })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { message: 'Must be after from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 400 * 86_400_000, {
    message: 'At most 400 days',
    path: ['to'],
  });
export const ZCalendarItem = z.object({
  kind: z.enum(['booking', 'hold', 'maintenance']),
  id: ZId,
  startAt: ZIsoDateTime,
  endAt: ZIsoDateTime,
  /** End of the turnaround buffer: the vehicle is busy until then. */
  busyUntil: ZIsoDateTime,
  state: z.enum(BOOKING_STATES).nullable(),
  label: ZString,
});
export type TCalendarItem = z.infer<typeof ZCalendarItem>;
export const ZCalendar = z.object({ vehicleId: ZId, items: z.array(ZCalendarItem) });

// ---------- bookings ----------
/** One photo per angle, every angle named: a client generator sees the four keys. */
const handoverPhotoIds = Object.fromEntries(HANDOVER_ANGLES.map((a) => [a, ZId])) as Record<
  (typeof HANDOVER_ANGLES)[number],
  typeof ZId
>;
export const ZHandover = z.object({
  at: ZIsoDateTime,
  odometerKm: z.number().int(),
  fuelEighths: z.number().int(),
  photoIds: z.object(handoverPhotoIds),
  damage: z.array(z.object({ area: ZString, severity: z.enum(DAMAGE_SEVERITIES), note: ZString.nullable() })),
  notes: ZString.nullable(),
});

export const ZCharges = z.object({
  rentalMinor: z.number().int(),
  extrasMinor: z.number().int(),
  extraKmMinor: z.number().int(),
  lateFeeMinor: z.number().int(),
  damageMinor: z.number().int(),
  totalMinor: z.number().int(),
  /** What the card is charged: the total, at most what was authorised. */
  capturedMinor: z.number().int(),
  /** The part of the total above the authorisation, to collect separately. */
  outstandingMinor: z.number().int(),
});

export const ZBooking = z.object({
  id: ZId,
  vehicleId: ZId,
  userId: ZId,
  state: z.enum(BOOKING_STATES),
  startAt: ZIsoDateTime,
  endAt: ZIsoDateTime,
  busyUntil: ZIsoDateTime,
  holdExpiresAt: ZIsoDateTime.nullable(),
  extras: z.array(z.enum(FLEET_EXTRAS)),
  quote: ZQuote,
  payment: z.object({
    intentId: ZString.nullable(),
    authorizedMinor: z.number().int(),
    capturedMinor: z.number().int(),
    refundedMinor: z.number().int(),
    /** The provider's last word when a payment step did not go through. */
    message: ZString.nullable(),
    clientSecret: ZString.nullable(),
  }),
  checkout: ZHandover.nullable(),
  return: ZHandover.nullable(),
  charges: ZCharges.nullable(),
  createdAt: ZIsoDateTime,
  updatedAt: ZIsoDateTime,
});
export type TBooking = z.infer<typeof ZBooking>;

export const ZBookingCreate = z
  .strictObject({
    vehicleId: ZId,
    ...ZRange,
    extras: z
      .array(z.enum(FLEET_EXTRAS))
      .max(FLEET_EXTRAS.length)
      .refine((e) => new Set(e).size === e.length, 'Each extra at most once')
      .default([]),
  })
  .refine(endAfterStart, endMessage);
export type TBookingCreate = z.infer<typeof ZBookingCreate>;

export const ZBookingListQuery = ZPageQuery.extend({
  state: z.enum(BOOKING_STATES).optional(),
  vehicleId: ZId.optional(),
  /** Staff only: one renter's bookings. */
  userId: ZId.optional(),
});
export const ZBookingPage = ZPage(ZBooking);

const ZHandoverInput = {
  odometerKm: z.number().int().min(0).max(5_000_000),
  fuelEighths: z.number().int().min(0).max(8),
  photoIds: z.strictObject(handoverPhotoIds),
  damage: z
    .array(
      z.strictObject({
        area: ZText(80),
        severity: z.enum(DAMAGE_SEVERITIES),
        note: ZText(1000).nullable().default(null),
      }),
    )
    .max(50)
    .default([]),
  notes: ZText(2000).nullable().default(null),
};
export const ZCheckoutBody = z.strictObject(ZHandoverInput);
export const ZReturnBody = z.strictObject(ZHandoverInput);
export type THandoverInput = z.infer<typeof ZCheckoutBody>;

export const ZCancelBody = z.strictObject({ reason: ZText(500).optional() });

export const ZPhoto = z.object({
  id: ZId,
  vehicleId: ZId,
  bookingId: ZId.nullable(),
  angle: z.enum(HANDOVER_ANGLES).nullable(),
  contentType: ZString,
  bytes: z.number().int(),
  createdAt: ZIsoDateTime,
});
export type TPhoto = z.infer<typeof ZPhoto>;
export const ZPhotoUploadQuery = z.object({ angle: z.enum(HANDOVER_ANGLES).optional() });
export const ZBookingParams = z.object({ id: ZId });
