import {
  date,
  integer,
  json,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const tz = (name: string) => timestamp(name, { withTimezone: true });
const day = (name: string) => date(name, { mode: 'string' });
/** numeric comes back as text on both drivers; read it as a number. */
const num = (name: string, precision: number, scale: number) =>
  numeric(name, { precision, scale, mode: 'number' });

/** Checks (Monday weeks, quarter hours, person xor placeholder) live in migration 0030. */
export const deliverables = pgTable('planning_deliverables', {
  id: uuid('id').primaryKey().defaultRandom(),
  projectId: uuid('project_id').notNull(),
  name: text('name').notNull(),
  description: text('description'),
  startDate: day('start_date'),
  dueDate: day('due_date').notNull(),
  status: text('status', { enum: ['planned', 'active', 'done', 'cancelled'] })
    .notNull()
    .default('planned'),
  createdAt: tz('created_at').notNull().defaultNow(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});
export type DeliverableRow = typeof deliverables.$inferSelect;

export const assignments = pgTable('planning_assignments', {
  id: uuid('id').primaryKey().defaultRandom(),
  projectId: uuid('project_id').notNull(),
  deliverableId: uuid('deliverable_id'),
  personId: uuid('person_id'),
  placeholder: text('placeholder'),
  status: text('status', { enum: ['tentative', 'confirmed'] })
    .notNull()
    .default('confirmed'),
  note: text('note'),
  hoursVersion: integer('hours_version').notNull().default(1),
  createdAt: tz('created_at').notNull().defaultNow(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});
export type AssignmentRow = typeof assignments.$inferSelect;

export const weeklyHours = pgTable(
  'planning_weekly_hours',
  {
    assignmentId: uuid('assignment_id').notNull(),
    weekStart: day('week_start').notNull(),
    hours: num('hours', 6, 2).notNull(),
  },
  (t) => [primaryKey({ columns: [t.assignmentId, t.weekStart] })],
);

export const timeOff = pgTable('planning_time_off', {
  id: uuid('id').primaryKey().defaultRandom(),
  personId: uuid('person_id').notNull(),
  startDate: day('start_date').notNull(),
  endDate: day('end_date').notNull(),
  dayFraction: num('day_fraction', 3, 2).notNull().default(1),
  note: text('note'),
  createdAt: tz('created_at').notNull().defaultNow(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});
export type TimeOffRow = typeof timeOff.$inferSelect;

export const holidays = pgTable('planning_holidays', {
  id: uuid('id').primaryKey().defaultRandom(),
  date: day('date').notNull(),
  name: text('name').notNull(),
  region: text('region'),
  createdAt: tz('created_at').notNull().defaultNow(),
});
export type HolidayRow = typeof holidays.$inferSelect;

export const reallocations = pgTable('planning_reallocations', {
  id: uuid('id').primaryKey().defaultRandom(),
  deliverableId: uuid('deliverable_id').notNull(),
  oldDueDate: day('old_due_date').notNull(),
  newDueDate: day('new_due_date').notNull(),
  // json, not jsonb (migration 0053): written once, read whole.
  before: json('before').notNull(),
  after: json('after').notNull(),
  summary: json('summary').notNull(),
  createdAt: tz('created_at').notNull().defaultNow(),
  createdBy: uuid('created_by'),
  undoneAt: tz('undone_at'),
});
export type ReallocationRow = typeof reallocations.$inferSelect;
