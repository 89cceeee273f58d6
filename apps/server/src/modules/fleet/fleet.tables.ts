import type { THandoverInput } from '@clockpilot/contracts';
import { date, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const tz = (name: string) => timestamp(name, { withTimezone: true });

export const fleetVehicles = pgTable('fleet_vehicles', {
  id: uuid('id').primaryKey().defaultRandom(),
  make: text('make').notNull(),
  model: text('model').notNull(),
  year: integer('year').notNull(),
  plate: text('plate').notNull(),
  vin: text('vin').notNull(),
  category: text('category').notNull(),
  seats: integer('seats').notNull(),
  transmission: text('transmission', { enum: ['manual', 'automatic'] }).notNull(),
  fuel: text('fuel', { enum: ['petrol', 'diesel', 'hybrid', 'electric', 'lpg'] }).notNull(),
  location: text('location').notNull(),
  timeZone: text('time_zone').notNull().default('UTC'),
  currency: text('currency').notNull(),
  dailyRateMinor: integer('daily_rate_minor').notNull(),
  depositMinor: integer('deposit_minor').notNull(),
  kmPerDay: integer('km_per_day').notNull(),
  extraKmMinor: integer('extra_km_minor').notNull(),
  status: text('status', { enum: ['available', 'maintenance', 'retired'] })
    .notNull()
    .default('available'),
  odometerKm: integer('odometer_km').notNull().default(0),
  serviceDueOn: date('service_due_on'),
  serviceDueKm: integer('service_due_km'),
  createdAt: tz('created_at').notNull(),
  updatedAt: tz('updated_at').notNull(),
});
export type VehicleRow = typeof fleetVehicles.$inferSelect;

export const fleetMaintenanceRecords = pgTable('fleet_maintenance_records', {
  id: uuid('id').primaryKey().defaultRandom(),
  vehicleId: uuid('vehicle_id').notNull(),
  performedOn: date('performed_on').notNull(),
  odometerKm: integer('odometer_km').notNull(),
  description: text('description').notNull(),
  costMinor: integer('cost_minor'),
  createdBy: uuid('created_by'),
  createdAt: tz('created_at').notNull(),
});
export type MaintenanceRecordRow = typeof fleetMaintenanceRecords.$inferSelect;

export const fleetMaintenanceWindows = pgTable('fleet_maintenance_windows', {
  id: uuid('id').primaryKey().defaultRandom(),
  vehicleId: uuid('vehicle_id').notNull(),
  startAt: tz('start_at').notNull(),
  endAt: tz('end_at').notNull(),
  reason: text('reason').notNull(),
  createdBy: uuid('created_by'),
  createdAt: tz('created_at').notNull(),
});
export type MaintenanceWindowRow = typeof fleetMaintenanceWindows.$inferSelect;

/** A check-out or return as stored: the body the staff sent plus when. */
export type HandoverRecord = THandoverInput & { at: string; by: string | null };
export type ChargesRecord = {
  rentalMinor: number;
  extrasMinor: number;
  extraKmMinor: number;
  lateFeeMinor: number;
  damageMinor: number;
  totalMinor: number;
  capturedMinor: number;
  outstandingMinor: number;
};

export const fleetBookings = pgTable('fleet_bookings', {
  id: uuid('id').primaryKey().defaultRandom(),
  vehicleId: uuid('vehicle_id').notNull(),
  userId: uuid('user_id').notNull(),
  state: text('state', {
    enum: ['held', 'confirmed', 'checked_out', 'returned', 'closed', 'cancelled', 'expired', 'no_show'],
  }).notNull(),
  startAt: tz('start_at').notNull(),
  endAt: tz('end_at').notNull(),
  busyUntil: tz('busy_until').notNull(),
  holdExpiresAt: tz('hold_expires_at'),
  extras: text('extras').array().notNull().default([]),
  currency: text('currency').notNull(),
  days: integer('days').notNull(),
  rentalMinor: integer('rental_minor').notNull(),
  extrasMinor: integer('extras_minor').notNull(),
  depositMinor: integer('deposit_minor').notNull(),
  dailyRateMinor: integer('daily_rate_minor').notNull(),
  kmPerDay: integer('km_per_day').notNull(),
  extraKmMinor: integer('extra_km_minor').notNull(),
  paymentIntentId: text('payment_intent_id'),
  authorizedMinor: integer('authorized_minor').notNull().default(0),
  capturedMinor: integer('captured_minor').notNull().default(0),
  refundedMinor: integer('refunded_minor').notNull().default(0),
  paymentMessage: text('payment_message'),
  clientSecret: text('client_secret'),
  checkout: jsonb('checkout').$type<HandoverRecord>(),
  returnRecord: jsonb('return_record').$type<HandoverRecord>(),
  charges: jsonb('charges').$type<ChargesRecord>(),
  cancelReason: text('cancel_reason'),
  createdAt: tz('created_at').notNull(),
  updatedAt: tz('updated_at').notNull(),
});
export type BookingRow = typeof fleetBookings.$inferSelect;

export const fleetBusy = pgTable('fleet_busy', {
  id: uuid('id').primaryKey().defaultRandom(),
  vehicleId: uuid('vehicle_id').notNull(),
  startsAt: tz('starts_at').notNull(),
  endsAt: tz('ends_at').notNull(),
  bookingId: uuid('booking_id'),
  maintenanceId: uuid('maintenance_id'),
});

export const fleetPhotos = pgTable('fleet_photos', {
  id: uuid('id').primaryKey().defaultRandom(),
  vehicleId: uuid('vehicle_id').notNull(),
  bookingId: uuid('booking_id'),
  angle: text('angle', { enum: ['front', 'rear', 'left', 'right'] }),
  contentType: text('content_type').notNull(),
  bytes: integer('bytes').notNull(),
  sha256: text('sha256').notNull(),
  createdBy: uuid('created_by'),
  createdAt: tz('created_at').notNull(),
});
export type PhotoRow = typeof fleetPhotos.$inferSelect;
