import { ROLES, type TPreferences } from '@clockpilot/contracts';
import { bigint, boolean, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const tz = (name: string) => timestamp(name, { withTimezone: true });

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  username: text('username').notNull(),
  email: text('email').notNull(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  active: boolean('active').notNull().default(true),
  timeZone: text('time_zone').notNull().default('UTC'),
  passwordHash: text('password_hash'),
  passwordChangedAt: tz('password_changed_at'),
  totpSecret: text('totp_secret'),
  totpEnabledAt: tz('totp_enabled_at'),
  totpLastStep: bigint('totp_last_step', { mode: 'number' }),
  lastSignInAt: tz('last_sign_in_at'),
  preferences: jsonb('preferences').$type<TPreferences>().notNull().default({}),
  createdAt: tz('created_at').notNull().defaultNow(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});
export type UserRow = typeof users.$inferSelect;

export const authSessions = pgTable('auth_sessions', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id').notNull(),
  createdAt: tz('created_at').notNull(),
  lastUsedAt: tz('last_used_at').notNull(),
  expiresAt: tz('expires_at').notNull(),
  revokedAt: tz('revoked_at'),
  revokedReason: text('revoked_reason'),
  ip: text('ip'),
  userAgent: text('user_agent'),
});
export type SessionRow = typeof authSessions.$inferSelect;

export const refreshTokens = pgTable('refresh_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  sessionId: uuid('session_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  issuedAt: tz('issued_at').notNull(),
  usedAt: tz('used_at'),
  replacedBy: uuid('replaced_by'),
  sealedSuccessor: text('sealed_successor'),
});
export type RefreshTokenRow = typeof refreshTokens.$inferSelect;

export const totpRecoveryCodes = pgTable('totp_recovery_codes', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id').notNull(),
  codeHash: text('code_hash').notNull(),
  usedAt: tz('used_at'),
});
