import { z } from 'zod';
import { ZId, ZIsoDate, ZIsoDateTime, ZPageQuery, ZString } from './common';
import { ZCalendarItem, ZCurrency, ZVehicle } from './fleet';

/**
 * Fleet operations for staff: the dashboard and the timeline of every vehicle. Their days are the days
 * of each vehicle's location (its `timeZone`), so a day runs from local midnight to local midnight.
 */

const DAY = 86_400_000;
/** A range of days, `to` inclusive, at most `max` days long. */
const dayRange = <T extends z.ZodType<{ from: string; to: string }>>(schema: T, max: number) =>
  schema
    .refine((q) => q.to >= q.from, { message: 'Must not be before from', path: ['to'] })
    .refine((q) => Date.parse(q.to) - Date.parse(q.from) < max * DAY, {
      message: `At most ${max} days`,
      path: ['to'],
    });

export const ZFleetDashboardQuery = dayRange(
  z.object({
    /** First day, in each vehicle's zone. */
    from: ZIsoDate,
    /** Last day, inclusive. */
    to: ZIsoDate,
    location: ZString.max(80).optional(),
    /** Pick-ups and returns shown are those of the next `horizonDays` from now. */
    horizonDays: z.coerce.number().int().min(1).max(60).default(7),
    /** A vehicle is due for service when its date falls within this many days… */
    dueWithinDays: z.coerce.number().int().min(0).max(365).default(14),
    /** …or its odometer is within this many km of the service distance. */
    dueWithinKm: z.coerce.number().int().min(0).max(100_000).default(1000),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  }),
  366,
);

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
  /** The vehicle's zone, to show `at` in local time. */
  timeZone: ZString,
  state: ZString,
  overdue: z.boolean(),
});
export const ZServiceDue = z.object({
  vehicle: ZVehicle,
  reason: z.enum(['date', 'odometer']),
  overdue: z.boolean(),
});
export const ZFleetDashboard = z.object({
  from: ZIsoDate,
  to: ZIsoDate,
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

export const ZTimelineQuery = dayRange(
  ZPageQuery.extend({
    from: ZIsoDate,
    /** Inclusive last day. */
    to: ZIsoDate,
    location: ZString.max(80).optional(),
    category: ZString.max(40).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
  }),
  62,
);
/** A calendar item with the first and last local day it meets, turnaround included. */
export const ZTimelineItem = ZCalendarItem.extend({ firstDay: ZIsoDate, lastDay: ZIsoDate });
export type TTimelineItem = z.infer<typeof ZTimelineItem>;
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
        timeZone: true,
        status: true,
      }),
      items: z.array(ZTimelineItem),
    }),
  ),
  nextCursor: ZString.nullable(),
});
export type TTimeline = z.infer<typeof ZTimeline>;
