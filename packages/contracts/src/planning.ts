import { z } from 'zod';
import { ZId, ZIsoDate, ZIsoDateTime, ZIsoWeek, ZPage, ZPageQuery, ZSortDir, ZString } from './common';

/**
 * Resource planning: deliverables of the directory's projects, assignments of people (or placeholders
 * for roles still to fill) with hours per ISO week, time off and holidays, utilisation against each
 * person's weekly capacity, and the reallocation of hours when a deliverable's due date moves.
 * Weeks are ISO weeks (`2026-W05`); the server stores each against its Monday.
 */

const name = ZString.trim().min(1).max(200);
const text = (max: number) => ZString.trim().min(1).max(max).nullable();
/** Hours of one week: a positive number of quarter hours, at most a whole week. */
export const ZWeekHours = z
  .number()
  .min(0)
  .max(168)
  .refine((h) => Number.isInteger(h * 4), { message: 'Hours go in quarter-hour steps (0.25)' });

// ---------- deliverables ----------

export const DELIVERABLE_STATUSES = ['planned', 'active', 'done', 'cancelled'] as const;
export const ZDeliverableStatus = z.enum(DELIVERABLE_STATUSES);

export const ZDeliverable = z.object({
  id: ZId,
  projectId: ZId,
  name: ZString,
  description: ZString.nullable(),
  startDate: ZIsoDate.nullable(),
  dueDate: ZIsoDate,
  status: ZDeliverableStatus,
  createdAt: ZIsoDateTime,
  updatedAt: ZIsoDateTime,
});
export type TDeliverable = z.infer<typeof ZDeliverable>;

export const ZDeliverableCreate = z.object({
  projectId: ZId,
  name,
  description: text(4000).optional(),
  startDate: ZIsoDate.nullable().optional(),
  dueDate: ZIsoDate,
  status: ZDeliverableStatus.default('planned'),
});
export type TDeliverableCreate = z.input<typeof ZDeliverableCreate>;

export const ZDeliverableUpdate = z
  .object({
    name,
    description: text(4000),
    startDate: ZIsoDate.nullable(),
    dueDate: ZIsoDate,
    status: ZDeliverableStatus,
  })
  .partial();
export type TDeliverableUpdate = z.infer<typeof ZDeliverableUpdate>;

export const DELIVERABLE_SORTS = ['dueDate', 'startDate', 'name', 'createdAt'] as const;
export const ZDeliverableListQuery = ZPageQuery.extend({
  projectId: ZId.optional(),
  status: ZDeliverableStatus.optional(),
  /** Deliverables due on or after / on or before these days. */
  dueFrom: ZIsoDate.optional(),
  dueTo: ZIsoDate.optional(),
  sort: z.enum(DELIVERABLE_SORTS).default('dueDate'),
  dir: ZSortDir.default('asc'),
});
export type TDeliverableListQuery = z.infer<typeof ZDeliverableListQuery>;
export const ZDeliverablePage = ZPage(ZDeliverable);

// ---------- reallocation ----------

export const ZReallocationMove = z.object({ from: ZIsoWeek, to: ZIsoWeek, hours: z.number() });
export const ZReallocation = z.object({
  /** False when AUTO_REALLOCATION is off or nothing was linked: no hours moved, `reason` says why. */
  applied: z.boolean(),
  reason: ZString.nullable(),
  oldDueDate: ZIsoDate,
  newDueDate: ZIsoDate,
  /** Whole ISO weeks between the old and the new due week (negative: earlier). */
  shiftWeeks: z.number().int(),
  assignments: z.array(
    z.object({
      assignmentId: ZId,
      personId: ZId.nullable(),
      placeholder: ZString.nullable(),
      moves: z.array(ZReallocationMove),
      /** Hours that found no free capacity in the window and were put where they overload the person. */
      unplacedHours: z.number(),
    }),
  ),
  /** Weeks the reallocation leaves over capacity, per person. */
  overAllocations: z.array(z.object({ personId: ZId, week: ZIsoWeek, hoursOver: z.number() })),
});
export type TReallocation = z.infer<typeof ZReallocation>;

export const ZDeliverableUpdated = ZDeliverable.extend({ reallocation: ZReallocation.nullable() });
export type TDeliverableUpdated = z.infer<typeof ZDeliverableUpdated>;

export const ZReallocationUndo = z.object({
  /** Also put the due date back to what it was before the reallocation. */
  revertDate: z.boolean().default(false),
  /** Restore even when hours were edited since (the edits are lost). */
  force: z.boolean().default(false),
});
export type TReallocationUndo = z.input<typeof ZReallocationUndo>;
export const ZReallocationUndone = z.object({
  deliverable: ZDeliverable,
  restoredAssignments: z.number().int(),
  /** Weeks edited after the reallocation that a forced undo overwrote. */
  overwrittenWeeks: z.array(z.object({ assignmentId: ZId, week: ZIsoWeek })),
});
export type TReallocationUndone = z.infer<typeof ZReallocationUndone>;

// ---------- assignments ----------

export const ASSIGNMENT_STATUSES = ['tentative', 'confirmed'] as const;
export const ZAssignmentStatus = z.enum(ASSIGNMENT_STATUSES);

export const ZAssignment = z.object({
  id: ZId,
  projectId: ZId,
  deliverableId: ZId.nullable(),
  /** The person, or null for a placeholder. */
  personId: ZId.nullable(),
  /** A role still to fill, such as "Senior designer (to hire)"; null when a person is assigned. */
  placeholder: ZString.nullable(),
  status: ZAssignmentStatus,
  note: ZString.nullable(),
  /** Bumped by every change of the weekly hours; the ETag of the hours grid. */
  hoursVersion: z.number().int(),
  createdAt: ZIsoDateTime,
  updatedAt: ZIsoDateTime,
});
export type TAssignment = z.infer<typeof ZAssignment>;

const personOrPlaceholder = (v: { personId?: string | null; placeholder?: string | null }) =>
  (v.personId == null) !== (v.placeholder == null);
const PERSON_OR_PLACEHOLDER = {
  message: 'Give either a person or a placeholder, not both',
  path: ['personId'],
};

export const ZAssignmentCreate = z
  .object({
    projectId: ZId,
    deliverableId: ZId.nullable().optional(),
    personId: ZId.nullable().optional(),
    placeholder: text(200).optional(),
    status: ZAssignmentStatus.default('confirmed'),
    note: text(2000).optional(),
  })
  .refine(personOrPlaceholder, PERSON_OR_PLACEHOLDER);
export type TAssignmentCreate = z.input<typeof ZAssignmentCreate>;

/** The project stays; a placeholder can be given a person (send `personId` and `placeholder: null`). */
export const ZAssignmentUpdate = z
  .object({
    deliverableId: ZId.nullable(),
    personId: ZId.nullable(),
    placeholder: text(200),
    status: ZAssignmentStatus,
    note: text(2000),
  })
  .partial();
export type TAssignmentUpdate = z.infer<typeof ZAssignmentUpdate>;

export const ASSIGNMENT_SORTS = ['createdAt', 'updatedAt'] as const;
export const ZAssignmentListQuery = ZPageQuery.extend({
  deliverableId: ZId.optional(),
  personId: ZId.optional(),
  projectId: ZId.optional(),
  status: ZAssignmentStatus.optional(),
  sort: z.enum(ASSIGNMENT_SORTS).default('createdAt'),
  dir: ZSortDir.default('asc'),
});
export type TAssignmentListQuery = z.infer<typeof ZAssignmentListQuery>;
export const ZAssignmentPage = ZPage(ZAssignment);

// ---------- weekly hours ----------

export const ZWeekRange = z.object({ from: ZIsoWeek, to: ZIsoWeek });
export type TWeekRange = z.infer<typeof ZWeekRange>;

export const ZWeeklyHoursItem = z.object({ week: ZIsoWeek, hours: ZWeekHours });
export type TWeeklyHoursItem = z.infer<typeof ZWeeklyHoursItem>;

/** The weeks of an assignment that have hours, within the asked range. */
export const ZWeeklyHours = z.object({
  assignmentId: ZId,
  from: ZIsoWeek,
  to: ZIsoWeek,
  version: z.number().int(),
  items: z.array(ZWeeklyHoursItem),
});
export type TWeeklyHours = z.infer<typeof ZWeeklyHours>;

/**
 * Replaces the given weeks (hours 0 clears a week); with `from`/`to` in the query, every week of the
 * range not given is cleared too. `version` (or an If-Match header) must match the current one.
 */
export const ZWeeklyHoursPut = z.object({
  version: z.number().int().optional(),
  items: z.array(ZWeeklyHoursItem).max(530),
});
export type TWeeklyHoursPut = z.infer<typeof ZWeeklyHoursPut>;
export const ZWeeklyHoursPutQuery = ZWeekRange.partial();

// ---------- time off and holidays ----------

export const ZTimeOff = z.object({
  id: ZId,
  personId: ZId,
  startDate: ZIsoDate,
  endDate: ZIsoDate,
  /** Share of each working day taken off: 1 for full days, 0.5 for half days. */
  dayFraction: z.number(),
  note: ZString.nullable(),
  createdAt: ZIsoDateTime,
  updatedAt: ZIsoDateTime,
});
export type TTimeOff = z.infer<typeof ZTimeOff>;

const dayFraction = z
  .number()
  .gt(0)
  .max(1)
  .refine((f) => Number.isInteger(f * 100), { message: 'At most two decimals' });
const ordered = (v: { startDate?: string; endDate?: string }) =>
  !v.startDate || !v.endDate || v.startDate <= v.endDate;
const ORDERED = { message: 'The end date is before the start date', path: ['endDate'] };

export const ZTimeOffCreate = z
  .object({
    personId: ZId,
    startDate: ZIsoDate,
    endDate: ZIsoDate,
    dayFraction: dayFraction.default(1),
    note: text(2000).optional(),
  })
  .refine(ordered, ORDERED);
export type TTimeOffCreate = z.input<typeof ZTimeOffCreate>;
export const ZTimeOffUpdate = z
  .object({ startDate: ZIsoDate, endDate: ZIsoDate, dayFraction, note: text(2000) })
  .partial()
  .refine(ordered, ORDERED);
export type TTimeOffUpdate = z.infer<typeof ZTimeOffUpdate>;

export const ZTimeOffListQuery = ZPageQuery.extend({
  personId: ZId.optional(),
  /** Time off overlapping [from, to]. */
  from: ZIsoDate.optional(),
  to: ZIsoDate.optional(),
  sort: z.enum(['startDate']).default('startDate'),
  dir: ZSortDir.default('asc'),
});
export type TTimeOffListQuery = z.infer<typeof ZTimeOffListQuery>;
export const ZTimeOffPage = ZPage(ZTimeOff);

export const ZHoliday = z.object({
  id: ZId,
  date: ZIsoDate,
  name: ZString,
  /** Null: the whole company; otherwise only where utilisation is asked for this region. */
  region: ZString.nullable(),
  createdAt: ZIsoDateTime,
});
export type THoliday = z.infer<typeof ZHoliday>;
export const ZHolidayCreate = z.object({
  date: ZIsoDate,
  name,
  region: text(100).optional(),
});
export type THolidayCreate = z.input<typeof ZHolidayCreate>;
export const ZHolidayUpdate = z.object({ date: ZIsoDate, name, region: text(100) }).partial();
export type THolidayUpdate = z.infer<typeof ZHolidayUpdate>;
export const ZHolidayListQuery = ZPageQuery.extend({
  from: ZIsoDate.optional(),
  to: ZIsoDate.optional(),
  region: ZString.trim().min(1).max(100).optional(),
  sort: z.enum(['date']).default('date'),
  dir: ZSortDir.default('asc'),
});
export type THolidayListQuery = z.infer<typeof ZHolidayListQuery>;
export const ZHolidayPage = ZPage(ZHoliday);

// ---------- utilisation ----------

export const UTILISATION_GROUPS = ['person', 'team', 'project'] as const;
export const ZUtilisationQuery = ZWeekRange.extend({
  team: ZId.optional(),
  project: ZId.optional(),
  /** Regional holidays of this region count as well as the company's. */
  region: ZString.trim().min(1).max(100).optional(),
  groupBy: z.enum(UTILISATION_GROUPS).default('person'),
  /** Rows per page; without it every row comes in one answer (5,000 people × 52 weeks is ~5 MB). */
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  /** `nextCursor` of the previous page. */
  cursor: ZString.regex(/^\d{1,7}$/, 'Not a cursor of this grid').optional(),
});
export type TUtilisationQuery = z.infer<typeof ZUtilisationQuery>;

/**
 * Per row and week, aligned with `weeks`: confirmed hours, tentative hours (apart), capacity after
 * holidays and time off, and confirmed ÷ capacity (null without capacity). Project rows and
 * placeholders have no capacity of their own.
 */
export const ZUtilisationSeries = z.object({
  assigned: z.array(z.number()),
  tentative: z.array(z.number()),
  capacity: z.array(z.number()).nullable(),
  utilisation: z.array(z.number().nullable()).nullable(),
});
export const ZUtilisation = z.object({
  from: ZIsoWeek,
  to: ZIsoWeek,
  groupBy: z.enum(UTILISATION_GROUPS),
  weeks: z.array(ZIsoWeek),
  rows: z.array(
    ZUtilisationSeries.extend({
      kind: z.enum(['person', 'placeholder', 'team', 'project']),
      /** Person, team or project id; the placeholder's name for placeholders; null for people without a team. */
      key: ZString.nullable(),
      label: ZString,
    }),
  ),
  totals: ZUtilisationSeries,
  /** With `limit`: the number of rows in all pages, and the cursor of the next page (null on the last). */
  rowCount: z.number().int().optional(),
  nextCursor: ZString.nullable().optional(),
});
export type TUtilisation = z.infer<typeof ZUtilisation>;
