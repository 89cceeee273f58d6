import {
  boolean,
  date,
  integer,
  numeric,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const tz = (name: string) => timestamp(name, { withTimezone: true });

/** Overlap (migrations 0020, 0022) and "one open entry" are constraints, not visible here. */
export const timeEntries = pgTable('time_entries', {
  id: uuid('id').primaryKey().defaultRandom(),
  personId: uuid('person_id').notNull(),
  startedAt: tz('started_at').notNull(),
  endedAt: tz('ended_at'),
  timeZone: text('time_zone').notNull(),
  projectId: uuid('project_id'),
  activityId: uuid('activity_id'),
  note: text('note'),
  billable: boolean('billable').notNull().default(false),
  source: text('source', { enum: ['clock', 'manual'] }).notNull(),
  createdBy: uuid('created_by'),
  createdAt: tz('created_at').notNull().defaultNow(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});
export type EntryRow = typeof timeEntries.$inferSelect;

export const timeBreaks = pgTable('time_breaks', {
  id: uuid('id').primaryKey().defaultRandom(),
  entryId: uuid('entry_id').notNull(),
  startedAt: tz('started_at').notNull(),
  endedAt: tz('ended_at'),
});
export type BreakRow = typeof timeBreaks.$inferSelect;

export const timesheets = pgTable('timesheets', {
  id: uuid('id').primaryKey().defaultRandom(),
  personId: uuid('person_id').notNull(),
  week: text('week').notNull(),
  timeZone: text('time_zone').notNull(),
  startsAt: tz('starts_at').notNull(),
  endsAt: tz('ends_at').notNull(),
  status: text('status', { enum: ['draft', 'submitted', 'approved', 'rejected'] })
    .notNull()
    .default('draft'),
  submittedAt: tz('submitted_at'),
  submittedBy: uuid('submitted_by'),
  decidedAt: tz('decided_at'),
  decidedBy: uuid('decided_by'),
  comment: text('comment'),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});
export type TimesheetRow = typeof timesheets.$inferSelect;

export const timeLocks = pgTable('time_locks', {
  id: uuid('id').primaryKey().defaultRandom(),
  before: date('before', { mode: 'string' }).notNull(),
  reason: text('reason'),
  createdAt: tz('created_at').notNull().defaultNow(),
  createdBy: uuid('created_by'),
  releasedAt: tz('released_at'),
  releasedBy: uuid('released_by'),
});
export type LockRow = typeof timeLocks.$inferSelect;

export const timeSettings = pgTable('time_settings', {
  id: smallint('id').primaryKey().default(1),
  roundingMode: text('rounding_mode', { enum: ['none', 'nearest', 'up', 'down'] })
    .notNull()
    .default('none'),
  roundingMinutes: integer('rounding_minutes').notNull().default(15),
  dailyOvertimeMinutes: integer('daily_overtime_minutes'),
  weeklyOvertime: boolean('weekly_overtime').notNull().default(true),
  updatedAt: tz('updated_at'),
  updatedBy: uuid('updated_by'),
});
export type SettingsRow = typeof timeSettings.$inferSelect;

/** Closed entries summed per person and local day (migration 0023), kept current by triggers. */
export const timeDayTotals = pgTable('time_day_totals', {
  personId: uuid('person_id').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  projectId: uuid('project_id'),
  activityId: uuid('activity_id'),
  billable: boolean('billable').notNull(),
  workedSeconds: numeric('worked_seconds').notNull(),
  roundedSeconds: numeric('rounded_seconds').notNull(),
  pieces: integer('pieces').notNull(),
  starts: integer('starts').notNull(),
});

/** time_day_totals summed per person, local day and billable flag (migration 0027): day and week summaries. */
export const timePersonDayTotals = pgTable('time_person_day_totals', {
  personId: uuid('person_id').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  billable: boolean('billable').notNull(),
  workedSeconds: numeric('worked_seconds').notNull(),
  roundedSeconds: numeric('rounded_seconds').notNull(),
  pieces: integer('pieces').notNull(),
  starts: integer('starts').notNull(),
});

/**
 * time_day_totals summed per person, month, project, activity and billable flag (migration 0027):
 * the whole months of person, project and activity summaries. `carried` counts the entries with time
 * on the month's first day that started before it.
 */
export const timeMonthTotals = pgTable('time_month_totals', {
  personId: uuid('person_id').notNull(),
  month: date('month', { mode: 'string' }).notNull(),
  projectId: uuid('project_id'),
  activityId: uuid('activity_id'),
  billable: boolean('billable').notNull(),
  workedSeconds: numeric('worked_seconds').notNull(),
  roundedSeconds: numeric('rounded_seconds').notNull(),
  starts: integer('starts').notNull(),
  carried: integer('carried').notNull(),
});

/** The rounding rule time_day_totals was built with. */
export const timeRollupState = pgTable('time_rollup_state', {
  id: smallint('id').primaryKey().default(1),
  roundingMode: text('rounding_mode').notNull(),
  roundingMinutes: integer('rounding_minutes').notNull(),
  builtAt: tz('built_at').notNull().defaultNow(),
});
