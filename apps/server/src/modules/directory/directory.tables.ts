import { boolean, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const tz = (name: string) => timestamp(name, { withTimezone: true });
const hours = (name: string) => numeric(name, { precision: 5, scale: 2, mode: 'number' });

// Constraints, partial unique indexes and foreign keys live in migrations/0010_directory.sql.

export const teams = pgTable('teams', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  description: text('description'),
  active: boolean('active').notNull().default(true),
  createdAt: tz('created_at').notNull().defaultNow(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});
export type TeamRow = typeof teams.$inferSelect;

export const people = pgTable('people', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id'),
  name: text('name').notNull(),
  email: text('email'),
  employeeNumber: text('employee_number'),
  title: text('title'),
  department: text('department'),
  teamId: uuid('team_id'),
  managerId: uuid('manager_id'),
  weeklyHours: hours('weekly_hours').notNull().default(40),
  weeklyCapacity: hours('weekly_capacity').notNull().default(40),
  timeZone: text('time_zone').notNull().default('UTC'),
  active: boolean('active').notNull().default(true),
  createdAt: tz('created_at').notNull().defaultNow(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});
export type PersonRow = typeof people.$inferSelect;

export const teamManagers = pgTable(
  'team_managers',
  {
    teamId: uuid('team_id').notNull(),
    personId: uuid('person_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.personId] })],
);

export const clients = pgTable('clients', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: tz('created_at').notNull().defaultNow(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});
export type ClientRow = typeof clients.$inferSelect;

export const projects = pgTable('projects', {
  id: uuid('id').primaryKey().defaultRandom(),
  clientId: uuid('client_id').notNull(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  status: text('status', { enum: ['active', 'archived'] })
    .notNull()
    .default('active'),
  billable: boolean('billable').notNull().default(true),
  color: text('color').notNull().default('#3B82F6'),
  budgetHours: numeric('budget_hours', { precision: 10, scale: 2, mode: 'number' }),
  createdAt: tz('created_at').notNull().defaultNow(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});
export type ProjectRow = typeof projects.$inferSelect;

export const activities = pgTable('activities', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  projectId: uuid('project_id'),
  active: boolean('active').notNull().default(true),
  createdAt: tz('created_at').notNull().defaultNow(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});
export type ActivityRow = typeof activities.$inferSelect;
