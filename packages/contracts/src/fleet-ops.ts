import { z } from 'zod';
import { ZId, ZIsoDate, ZIsoDateTime, ZPageQuery, ZString } from './common';
import { ZCalendarItem, ZCurrency, ZVehicle } from './fleet';

/** Fleet operations for staff: the dashboard and the timeline of every vehicle. Days are UTC days. */

const DAY = 86_400_000;
const rangeRule = (max: number) =>
  [
    (q: { from: string; to: string }) => Date.parse(q.to) > Date.parse(q.from),
    (q: { from: string; to: string }) => Date.parse(q.to) - Date.parse(q.from) <= max * DAY,
  ] as const;
const [after, within366] = rangeRule(366);

export const ZFleetDashboardQuery = z
  .object({
    from: ZIsoDateTime,
    to: ZIsoDateTime,
    location: ZString.max(80).optional(),
    /** Pick-ups and returns shown are those of the next `horizonDays` from now. */
    horizonDays: z.coerce.number().int().min(1).max(60).default(7),
    /** A vehicle is due for service when its date falls within this many days… */
    dueWithinDays: z.coerce.number().int().min(0).max(365).default(14),
    /** …or its odometer is within this many km of the service distance. */
    dueWithinKm: z.coerce.number().int().min(0).max(100_000).default(1000),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine(after, { message: 'Must be after from', path: ['to'] })
  .refine(within366, { message: 'At most 366 days', path: ['to'] });

export const ZVehicleUtilisation = z.object({
  vehicleId: ZId,
  plate: ZString,
  label: ZString,
  location: ZString,
  /** Booked time (confirmed onward, holds excluded) inside the range, in hours. */
  bookedHours: z.number(),
  maintenanceHours: z.number(),
  /** Booked share of the range, 0..1. */
  utilisation: z.number(),
});
export const ZRevenue = z.object({
  currency: ZCurrency,
  /** Rental and extras of bookings starting in the range that were not cancelled or lost. */
  bookedMinor: z.number().int(),
  capturedMinor: z.number().int(),
  refundedMinor: z.number().int(),
  netMinor: z.number().int(),
  bookings: z.number().int(),
});
export const ZHandoverDue = z.object({
  bookingId: ZId,
  vehicleId: ZId,
  plate: ZString,
  userId: ZId,
  at: ZIsoDateTime,
  state: ZString,
  overdue: z.boolean(),
});
export const ZServiceDue = z.object({
  vehicle: ZVehicle,
  reason: z.enum(['date', 'odometer']),
  overdue: z.boolean(),
});
export const ZFleetDashboard = z.object({
  from: ZIsoDateTime,
  to: ZIsoDateTime,
  overall: z.object({
    vehicles: z.number().int(),
    bookedHours: z.number(),
    maintenanceHours: z.number(),
    utilisation: z.number(),
  }),
  /** The busiest vehicles first, up to `limit`. */
  vehicles: z.array(ZVehicleUtilisation),
  revenue: z.array(ZRevenue),
  pickups: z.array(ZHandoverDue),
  returns: z.array(ZHandoverDue),
  serviceDue: z.array(ZServiceDue),
});
export type TFleetDashboard = z.infer<typeof ZFleetDashboard>;

const within62 = rangeRule(62)[1];
export const ZTimelineQuery = ZPageQuery.extend({
  from: ZIsoDate,
  /** Inclusive last day. */
  to: ZIsoDate,
  location: ZString.max(80).optional(),
  category: ZString.max(40).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
})
  .refine((q) => q.to >= q.from, { message: 'Must not be before from', path: ['to'] })
  .refine((q) => within62({ from: q.from, to: q.to }), { message: 'At most 62 days', path: ['to'] });
export const ZTimeline = z.object({
  days: z.array(ZIsoDate),
  rows: z.array(
    z.object({
      vehicle: ZVehicle.pick({
        id: true,
        plate: true,
        make: true,
        model: true,
        category: true,
        location: true,
        status: true,
      }),
      items: z.array(ZCalendarItem),
    }),
  ),
  nextCursor: ZString.nullable(),
});
export type TTimeline = z.infer<typeof ZTimeline>;
