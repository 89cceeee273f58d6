import { bigint, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const tz = (name: string) => timestamp(name, { withTimezone: true });
const money = (name: string) => bigint(name, { mode: 'number' });

export const PAYMENT_STATUSES = [
  'scheduled',
  'requires_action',
  'failed',
  'authorized',
  'captured',
  'canceled',
  'refunded',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const fleetPayments = pgTable('fleet_payments', {
  id: uuid('id').primaryKey().defaultRandom(),
  bookingId: uuid('booking_id').notNull(),
  userId: uuid('user_id').notNull(),
  customerEmail: text('customer_email').notNull(),
  provider: text('provider', { enum: ['stripe', 'local'] }).notNull(),
  intentId: text('intent_id'),
  status: text('status', { enum: PAYMENT_STATUSES }).notNull(),
  currency: text('currency').notNull(),
  amountAuthorized: money('amount_authorized').notNull(),
  amountCaptured: money('amount_captured').notNull().default(0),
  amountRefunded: money('amount_refunded').notNull().default(0),
  authorizeAt: tz('authorize_at'),
  captureBefore: tz('capture_before'),
  disputedAt: tz('disputed_at'),
  lastError: text('last_error'),
  createdAt: tz('created_at').notNull(),
  updatedAt: tz('updated_at').notNull(),
});
export type PaymentRow = typeof fleetPayments.$inferSelect;

export const fleetPaymentEvents = pgTable('fleet_payment_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  intentId: text('intent_id'),
  outcome: text('outcome', { enum: ['applied', 'stale', 'unknown_intent', 'unhandled'] }).notNull(),
  createdAt: tz('created_at').notNull(),
  receivedAt: tz('received_at').notNull(),
});

export const fleetPaymentNotices = pgTable('fleet_payment_notices', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id').notNull(),
  bookingId: uuid('booking_id').notNull(),
  kind: text('kind', { enum: ['authorization_failed', 'payment_failed', 'dispute_opened'] }).notNull(),
  message: text('message').notNull(),
  createdAt: tz('created_at').notNull(),
  readAt: tz('read_at'),
});

export const LOCAL_INTENT_STATUSES = [
  'requires_payment_method',
  'requires_capture',
  'succeeded',
  'canceled',
] as const;

export const fleetLocalIntents = pgTable('fleet_local_intents', {
  id: text('id').primaryKey(),
  bookingId: uuid('booking_id').notNull(),
  userId: uuid('user_id').notNull(),
  idempotencyKey: text('idempotency_key').notNull(),
  status: text('status', { enum: LOCAL_INTENT_STATUSES }).notNull(),
  currency: text('currency').notNull(),
  amount: money('amount').notNull(),
  amountReceived: money('amount_received').notNull().default(0),
  amountRefunded: money('amount_refunded').notNull().default(0),
  createdAt: tz('created_at').notNull(),
});
export type LocalIntentRow = typeof fleetLocalIntents.$inferSelect;
