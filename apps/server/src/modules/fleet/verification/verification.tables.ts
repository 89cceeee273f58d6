import { date, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const tz = (name: string) => timestamp(name, { withTimezone: true });

export const VERIFICATION_STATES = ['pending', 'approved', 'declined', 'expired', 'review'] as const;
export type VerificationState = (typeof VERIFICATION_STATES)[number];

export const fleetVerifications = pgTable('fleet_verifications', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id').notNull(),
  provider: text('provider', { enum: ['persona', 'local'] }).notNull(),
  inquiryId: text('inquiry_id').notNull(),
  state: text('state', { enum: VERIFICATION_STATES }).notNull(),
  licenceExpiresOn: date('licence_expires_on'),
  lastEventAt: tz('last_event_at'),
  createdAt: tz('created_at').notNull(),
  updatedAt: tz('updated_at').notNull(),
});
export type VerificationRow = typeof fleetVerifications.$inferSelect;

export const fleetVerificationEvents = pgTable('fleet_verification_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  inquiryId: text('inquiry_id'),
  outcome: text('outcome', { enum: ['applied', 'stale', 'unknown_inquiry', 'unhandled'] }).notNull(),
  createdAt: tz('created_at').notNull(),
  receivedAt: tz('received_at').notNull(),
});
