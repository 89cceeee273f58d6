import { z } from 'zod';
import { ZId, ZIsoDateTime, ZPageQuery, ZSortDir, ZString, ZTimeZone } from './common';

/**
 * The workforce directory shared by time and planning: people, teams, clients, projects, activities.
 * Nothing here is hard-deleted (time entries point at it); DELETE archives: people and teams, clients
 * and activities get `active: false`, projects `status: 'archived'`. PATCH can restore.
 */

const name = ZString.trim().min(1).max(200);
const optionalText = (max: number) => ZString.trim().min(1).max(max).nullable();
const hours = z.number().min(0).max(168);
/** Boolean query parameter: `true`/`false` (a plain `z.coerce.boolean` reads "false" as true). */
const queryBool = z.enum(['true', 'false']).transform((v) => v === 'true');

// ---------- people ----------

export const ZPerson = z.object({
  id: ZId,
  userId: ZId.nullable(),
  name: ZString,
  email: ZString.nullable(),
  employeeNumber: ZString.nullable(),
  title: ZString.nullable(),
  department: ZString.nullable(),
  teamId: ZId.nullable(),
  managerId: ZId.nullable(),
  /** Contracted hours per week. */
  weeklyHours: z.number(),
  /** Hours per week planning may allocate; defaults to the contracted hours. */
  weeklyCapacity: z.number(),
  timeZone: ZString,
  active: z.boolean(),
  createdAt: ZIsoDateTime,
  updatedAt: ZIsoDateTime,
});
export type TPerson = z.infer<typeof ZPerson>;

/**
 * A person as the API shows them. Readers without `directory:manage` see the contract details
 * (employee number, weekly hours and capacity) of their own record only; for others they are null.
 */
export const ZPersonView = ZPerson.extend({
  weeklyHours: z.number().nullable(),
  weeklyCapacity: z.number().nullable(),
});
export type TPersonView = z.infer<typeof ZPersonView>;

export const ZPersonCreate = z.object({
  name,
  email: z.email().max(320).nullable().optional(),
  employeeNumber: optionalText(50).optional(),
  title: optionalText(200).optional(),
  department: optionalText(200).optional(),
  teamId: ZId.nullable().optional(),
  managerId: ZId.nullable().optional(),
  weeklyHours: hours.default(40),
  weeklyCapacity: hours.optional(),
  timeZone: ZTimeZone.default('UTC'),
  active: z.boolean().default(true),
  /** Links a user account; needs `users:manage`. */
  userId: ZId.nullable().optional(),
});
export type TPersonCreate = z.input<typeof ZPersonCreate>;

export const ZPersonUpdate = z
  .object({
    name,
    email: z.email().max(320).nullable(),
    employeeNumber: optionalText(50),
    title: optionalText(200),
    department: optionalText(200),
    teamId: ZId.nullable(),
    managerId: ZId.nullable(),
    weeklyHours: hours,
    weeklyCapacity: hours,
    timeZone: ZTimeZone,
    active: z.boolean(),
    userId: ZId.nullable(),
  })
  .partial();
export type TPersonUpdate = z.infer<typeof ZPersonUpdate>;

export const PERSON_SORTS = ['name', 'email', 'department', 'createdAt'] as const;
export const ZPersonListQuery = ZPageQuery.extend({
  q: ZString.trim().min(1).max(100).optional(),
  teamId: ZId.optional(),
  managerId: ZId.optional(),
  department: ZString.trim().min(1).max(200).optional(),
  active: queryBool.optional(),
  sort: z.enum(PERSON_SORTS).default('name'),
  dir: ZSortDir.default('asc'),
});
export type TPersonListQuery = z.infer<typeof ZPersonListQuery>;

// ---------- teams ----------

export const ZTeam = z.object({
  id: ZId,
  name: ZString,
  description: ZString.nullable(),
  active: z.boolean(),
  /** People who manage the team (not necessarily members of it). */
  managerIds: z.array(ZId),
  memberCount: z.number().int(),
  createdAt: ZIsoDateTime,
  updatedAt: ZIsoDateTime,
});
export type TTeam = z.infer<typeof ZTeam>;

export const ZTeamCreate = z.object({
  name,
  description: optionalText(2000).optional(),
  managerIds: z.array(ZId).max(50).default([]),
});
export type TTeamCreate = z.input<typeof ZTeamCreate>;

export const ZTeamUpdate = z.object({ name, description: optionalText(2000), active: z.boolean() }).partial();
export type TTeamUpdate = z.infer<typeof ZTeamUpdate>;

export const TEAM_SORTS = ['name', 'createdAt'] as const;
export const ZTeamListQuery = ZPageQuery.extend({
  q: ZString.trim().min(1).max(100).optional(),
  active: queryBool.optional(),
  /** Only the teams the caller's person manages. */
  managedByMe: queryBool.optional(),
  sort: z.enum(TEAM_SORTS).default('name'),
  dir: ZSortDir.default('asc'),
});
export type TTeamListQuery = z.infer<typeof ZTeamListQuery>;

export const ZTeamPersonBody = z.object({ personId: ZId });
export const ZTeamPersonParams = z.object({ id: ZId, personId: ZId });

// ---------- clients ----------

export const ZClient = z.object({
  id: ZId,
  name: ZString,
  active: z.boolean(),
  createdAt: ZIsoDateTime,
  updatedAt: ZIsoDateTime,
});
export type TClient = z.infer<typeof ZClient>;

export const ZClientCreate = z.object({ name });
export type TClientCreate = z.infer<typeof ZClientCreate>;
export const ZClientUpdate = z.object({ name, active: z.boolean() }).partial();
export type TClientUpdate = z.infer<typeof ZClientUpdate>;

export const CLIENT_SORTS = ['name', 'createdAt'] as const;
export const ZClientListQuery = ZPageQuery.extend({
  q: ZString.trim().min(1).max(100).optional(),
  active: queryBool.optional(),
  sort: z.enum(CLIENT_SORTS).default('name'),
  dir: ZSortDir.default('asc'),
});
export type TClientListQuery = z.infer<typeof ZClientListQuery>;

// ---------- projects ----------

export const PROJECT_STATUSES = ['active', 'archived'] as const;
export const ZProjectStatus = z.enum(PROJECT_STATUSES);
export const ZColor = ZString.regex(/^#[0-9A-Fa-f]{6}$/, 'Colour must look like #RRGGBB');

export const ZProject = z.object({
  id: ZId,
  clientId: ZId,
  code: ZString,
  name: ZString,
  status: ZProjectStatus,
  billable: z.boolean(),
  color: ZString,
  budgetHours: z.number().nullable(),
  createdAt: ZIsoDateTime,
  updatedAt: ZIsoDateTime,
});
export type TProject = z.infer<typeof ZProject>;

export const ZProjectCreate = z.object({
  clientId: ZId,
  code: ZString.trim()
    .min(1)
    .max(30)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Letters, digits, dot, dash and underscore only'),
  name,
  status: ZProjectStatus.default('active'),
  billable: z.boolean().default(true),
  color: ZColor.default('#3B82F6'),
  budgetHours: z.number().min(0).max(1_000_000).nullable().optional(),
});
export type TProjectCreate = z.input<typeof ZProjectCreate>;
export const ZProjectUpdate = ZProjectCreate.extend({
  status: ZProjectStatus,
  billable: z.boolean(),
  color: ZColor,
  budgetHours: z.number().min(0).max(1_000_000).nullable(),
}).partial();
export type TProjectUpdate = z.infer<typeof ZProjectUpdate>;

export const PROJECT_SORTS = ['name', 'code', 'createdAt'] as const;
export const ZProjectListQuery = ZPageQuery.extend({
  q: ZString.trim().min(1).max(100).optional(),
  clientId: ZId.optional(),
  status: ZProjectStatus.optional(),
  billable: queryBool.optional(),
  sort: z.enum(PROJECT_SORTS).default('name'),
  dir: ZSortDir.default('asc'),
});
export type TProjectListQuery = z.infer<typeof ZProjectListQuery>;

// ---------- activities ----------

export const ZActivity = z.object({
  id: ZId,
  name: ZString,
  /** null: available on every project. */
  projectId: ZId.nullable(),
  active: z.boolean(),
  createdAt: ZIsoDateTime,
  updatedAt: ZIsoDateTime,
});
export type TActivity = z.infer<typeof ZActivity>;

export const ZActivityCreate = z.object({ name, projectId: ZId.nullable().default(null) });
export type TActivityCreate = z.input<typeof ZActivityCreate>;
export const ZActivityUpdate = z.object({ name, active: z.boolean() }).partial();
export type TActivityUpdate = z.infer<typeof ZActivityUpdate>;

export const ACTIVITY_SORTS = ['name', 'createdAt'] as const;
export const ZActivityListQuery = ZPageQuery.extend({
  q: ZString.trim().min(1).max(100).optional(),
  /** Activities of this project plus the global ones. */
  projectId: ZId.optional(),
  /** Only the global activities. */
  global: queryBool.optional(),
  active: queryBool.optional(),
  sort: z.enum(ACTIVITY_SORTS).default('name'),
  dir: ZSortDir.default('asc'),
});
export type TActivityListQuery = z.infer<typeof ZActivityListQuery>;
