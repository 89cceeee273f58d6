import { z } from 'zod';
import { ZId, ZIsoDate, ZIsoDateTime, ZIsoWeek, ZPage, ZPageQuery, ZString } from './common';

/**
 * Time & attendance: clocking, time entries, weekly timesheets, locks, rules, reports and exports.
 * Durations are whole seconds of real elapsed time (a shift across a DST change counts what the clock
 * on the wall did not). Weeks are ISO weeks and days are calendar days in the person's time zone.
 */

/** Boolean query parameter: `true`/`false`. */
const queryBool = z.enum(['true', 'false']).transform((v) => v === 'true');
const note = ZString.trim().max(2000);

export type TIsoWeek = z.infer<typeof ZIsoWeek>;

// ---------- entries ----------

export const ZTimeBreak = z.object({
  id: ZId,
  startedAt: ZIsoDateTime,
  /** Null while the break is running. */
  endedAt: ZIsoDateTime.nullable(),
});
export type TTimeBreak = z.infer<typeof ZTimeBreak>;

export const TIME_ENTRY_SOURCES = ['clock', 'manual'] as const;

export const ZTimeEntry = z.object({
  id: ZId,
  personId: ZId,
  startedAt: ZIsoDateTime,
  /** Null while the person is clocked in. */
  endedAt: ZIsoDateTime.nullable(),
  /** The person's zone when the entry was made; days and weeks of the entry are counted in it. */
  timeZone: ZString,
  projectId: ZId.nullable(),
  activityId: ZId.nullable(),
  note: ZString.nullable(),
  billable: z.boolean(),
  source: z.enum(TIME_ENTRY_SOURCES),
  breaks: z.array(ZTimeBreak),
  breakSeconds: z.number().int(),
  /** Elapsed time minus breaks; for an open entry, up to now. */
  workedSeconds: z.number().int(),
  createdAt: ZIsoDateTime,
  updatedAt: ZIsoDateTime,
});
export type TTimeEntry = z.infer<typeof ZTimeEntry>;

export const ZTimeBreakInput = z.object({ startedAt: ZIsoDateTime, endedAt: ZIsoDateTime });
export type TTimeBreakInput = z.infer<typeof ZTimeBreakInput>;

export const ZTimeEntryCreate = z.object({
  /** Whose entry; defaults to the caller's own person record. */
  personId: ZId.optional(),
  startedAt: ZIsoDateTime,
  endedAt: ZIsoDateTime,
  breaks: z.array(ZTimeBreakInput).max(20).default([]),
  projectId: ZId.nullable().optional(),
  activityId: ZId.nullable().optional(),
  note: note.nullable().optional(),
  /** Defaults to the project's billable flag, or false without a project. */
  billable: z.boolean().optional(),
});
export type TTimeEntryCreate = z.infer<typeof ZTimeEntryCreate>;

export const ZTimeEntryUpdate = z
  .object({
    startedAt: ZIsoDateTime,
    /** Setting the end of an open entry closes it (the way to fix a forgotten clock-out). */
    endedAt: ZIsoDateTime,
    /** Replaces all breaks of the entry. */
    breaks: z.array(ZTimeBreakInput).max(20),
    projectId: ZId.nullable(),
    activityId: ZId.nullable(),
    note: note.nullable(),
    billable: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Nothing to change' });
export type TTimeEntryUpdate = z.infer<typeof ZTimeEntryUpdate>;

export const ZTimeEntryListQuery = ZPageQuery.extend({
  person: ZId.optional(),
  /** First day (in the entry's zone) whose entries are listed. */
  from: ZIsoDate.optional(),
  /** Last day, inclusive. */
  to: ZIsoDate.optional(),
  project: ZId.optional(),
});
export type TTimeEntryListQuery = z.infer<typeof ZTimeEntryListQuery>;
export const ZTimeEntryPage = ZPage(ZTimeEntry);

/** Body of a 409 when an entry would overlap another of the same person. */
export const ZTimeConflict = z.object({ id: ZId, startedAt: ZIsoDateTime, endedAt: ZIsoDateTime.nullable() });
export type TTimeConflict = z.infer<typeof ZTimeConflict>;

// ---------- clock ----------

export const ZClockInBody = z
  .object({
    projectId: ZId.optional(),
    activityId: ZId.optional(),
    note: note.optional(),
  })
  // A POST without a body arrives as null.
  .nullish();
export type TClockInBody = z.infer<typeof ZClockInBody>;

export const CLOCK_STATES = ['out', 'in', 'break'] as const;
export const ZClockState = z.enum(CLOCK_STATES);

export const ZClockStatus = z.object({
  personId: ZId,
  timeZone: ZString,
  state: ZClockState,
  openEntry: ZTimeEntry.nullable(),
  runningBreak: ZTimeBreak.nullable(),
  /** The open entry is older than TIME_MAX_ENTRY_HOURS: the person probably forgot to clock out. */
  forgotten: z.boolean(),
  /** Worked today and this ISO week (in the person's zone), including the open entry up to now. */
  todaySeconds: z.number().int(),
  weekSeconds: z.number().int(),
  week: ZIsoWeek,
  now: ZIsoDateTime,
});
export type TClockStatus = z.infer<typeof ZClockStatus>;

// ---------- timesheets ----------

export const TIMESHEET_STATUSES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export const ZTimesheetStatus = z.enum(TIMESHEET_STATUSES);
export type TTimesheetStatus = z.infer<typeof ZTimesheetStatus>;

export const ZTimesheetDay = z.object({
  date: ZIsoDate,
  workedSeconds: z.number().int(),
  breakSeconds: z.number().int(),
  /** Worked beyond the daily threshold. */
  overtimeSeconds: z.number().int(),
  entryCount: z.number().int(),
});
export type TTimesheetDay = z.infer<typeof ZTimesheetDay>;

export const ZTimesheetTotals = z.object({
  workedSeconds: z.number().int(),
  breakSeconds: z.number().int(),
  /** Contracted hours of the person for the week. */
  targetSeconds: z.number().int(),
  dailyOvertimeSeconds: z.number().int(),
  /** Worked beyond the contracted hours, not already counted as daily overtime. */
  weeklyOvertimeSeconds: z.number().int(),
  overtimeSeconds: z.number().int(),
  /** Worked minus target (negative when short). */
  balanceSeconds: z.number().int(),
});
export type TTimesheetTotals = z.infer<typeof ZTimesheetTotals>;

export const ZTimesheet = z.object({
  /** Null until the week is first submitted or written to. */
  id: ZId.nullable(),
  personId: ZId,
  personName: ZString,
  week: ZIsoWeek,
  timeZone: ZString,
  startsAt: ZIsoDateTime,
  endsAt: ZIsoDateTime,
  status: ZTimesheetStatus,
  /** Whether the caller may change entries of this week now (status, locks and rights). */
  editable: z.boolean(),
  /** The whole week lies before the period lock: nobody can change it, whatever its status. */
  locked: z.boolean(),
  days: z.array(ZTimesheetDay),
  totals: ZTimesheetTotals,
  entries: z.array(ZTimeEntry),
  submittedAt: ZIsoDateTime.nullable(),
  decidedAt: ZIsoDateTime.nullable(),
  decidedBy: ZId.nullable(),
  /** The reason of the last rejection or reopening. */
  comment: ZString.nullable(),
});
export type TTimesheet = z.infer<typeof ZTimesheet>;

export const ZTimesheetQuery = z.object({
  /** Defaults to the caller's own person record. */
  person: ZId.optional(),
  /** Defaults to the current week in the person's zone. */
  week: ZIsoWeek.optional(),
});
export type TTimesheetQuery = z.infer<typeof ZTimesheetQuery>;

export const ZTimesheetAction = z.object({ person: ZId.optional(), week: ZIsoWeek });
export type TTimesheetAction = z.infer<typeof ZTimesheetAction>;
export const ZTimesheetReject = ZTimesheetAction.extend({ comment: ZString.trim().min(1).max(2000) });
export type TTimesheetReject = z.infer<typeof ZTimesheetReject>;
export const ZTimesheetReopen = ZTimesheetAction.extend({
  comment: ZString.trim().min(1).max(2000).optional(),
});
export type TTimesheetReopen = z.infer<typeof ZTimesheetReopen>;

/** Copies the entries of the week before `week` into `week`, shifted by seven days of local time. */
export const ZCopyWeekBody = ZTimesheetAction;
export type TCopyWeekBody = z.infer<typeof ZCopyWeekBody>;
export const COPY_SKIP_REASONS = ['overlap', 'running', 'reference'] as const;
export const ZCopyWeekResult = z.object({
  week: ZIsoWeek,
  /** The entries made, in the order of their start. */
  copied: z.array(ZTimeEntry),
  /** Entries of the week before that were not copied, with the reason in words. */
  skipped: z.array(
    z.object({
      sourceId: ZId,
      startedAt: ZIsoDateTime,
      reason: z.enum(COPY_SKIP_REASONS),
      message: z.string(),
    }),
  ),
});
export type TCopyWeekResult = z.infer<typeof ZCopyWeekResult>;

/**
 * One cell of the weekly grid: the worked time wanted for a project (null: no project) on a day of
 * the week. 0 removes the cell's entries; a cell without entries gets one, after the day's last entry.
 */
export const ZTimesheetGridCell = z.object({
  projectId: ZId.nullable(),
  date: ZIsoDate,
  seconds: z.number().int().min(0).max(86_400),
});
export type TTimesheetGridCell = z.infer<typeof ZTimesheetGridCell>;
/** The changed cells of one week's grid, applied together or not at all. */
export const ZTimesheetGridBody = ZTimesheetAction.extend({
  cells: z.array(ZTimesheetGridCell).min(1).max(350),
});
export type TTimesheetGridBody = z.infer<typeof ZTimesheetGridBody>;

/** The caller's weeks a manager sent back (newest first, at most 10), each with the reason. */
export const ZReturnedWeeks = z.object({
  items: z.array(
    z.object({ week: ZIsoWeek, comment: ZString.nullable(), decidedAt: ZIsoDateTime.nullable() }),
  ),
});
export type TReturnedWeeks = z.infer<typeof ZReturnedWeeks>;

/** A row of the approval queue. */
export const ZTimesheetSummary = z.object({
  id: ZId,
  personId: ZId,
  personName: ZString,
  teamId: ZId.nullable(),
  week: ZIsoWeek,
  status: ZTimesheetStatus,
  submittedAt: ZIsoDateTime.nullable(),
  workedSeconds: z.number().int(),
  targetSeconds: z.number().int(),
});
export type TTimesheetSummary = z.infer<typeof ZTimesheetSummary>;

export const ZApprovalQuery = ZPageQuery.extend({
  status: ZTimesheetStatus.default('submitted'),
  week: ZIsoWeek.optional(),
  team: ZId.optional(),
});
export type TApprovalQuery = z.infer<typeof ZApprovalQuery>;
export const ZApprovalPage = ZPage(ZTimesheetSummary);

export const ZBulkApproveBody = z.object({ ids: z.array(ZId).min(1).max(200) });
export type TBulkApproveBody = z.infer<typeof ZBulkApproveBody>;
/**
 * A week bulk approval left as it was: `detail` in the server's English, `reason` (a problem reason of
 * the time module) with the fields it names, so a client words it in the person's language.
 */
export const ZBulkApproveFailure = z.object({
  id: ZId,
  code: ZString,
  detail: ZString,
  reason: ZString,
  week: ZIsoWeek.optional(),
  weekStatus: ZTimesheetStatus.optional(),
  action: ZString.optional(),
  lockedBefore: ZIsoDate.optional(),
});
export type TBulkApproveFailure = z.infer<typeof ZBulkApproveFailure>;
export const ZBulkApproveResult = z.object({
  approved: z.array(ZId),
  failed: z.array(ZBulkApproveFailure),
});
export type TBulkApproveResult = z.infer<typeof ZBulkApproveResult>;

// ---------- locks ----------

export const ZTimeLock = z.object({
  id: ZId,
  /** Everything before this day (in each person's zone) is locked. */
  before: ZIsoDate,
  reason: ZString.nullable(),
  createdAt: ZIsoDateTime,
  createdBy: ZId.nullable(),
  releasedAt: ZIsoDateTime.nullable(),
});
export type TTimeLock = z.infer<typeof ZTimeLock>;

export const ZTimeLockCreate = z.object({
  before: ZIsoDate,
  reason: ZString.trim().min(1).max(500).optional(),
});
export type TTimeLockCreate = z.infer<typeof ZTimeLockCreate>;

export const ZTimeLockList = z.object({
  /** The effective lock: the latest `before` of the active locks. */
  lockedBefore: ZIsoDate.nullable(),
  items: z.array(ZTimeLock),
});
export type TTimeLockList = z.infer<typeof ZTimeLockList>;

// ---------- settings ----------

export const ROUNDING_MODES = ['none', 'nearest', 'up', 'down'] as const;
export const ZRoundingMode = z.enum(ROUNDING_MODES);
export type TRoundingMode = z.infer<typeof ZRoundingMode>;

export const ZTimeSettingsBody = z.object({
  /** Applied to each entry's worked time in reports and exports; stored times stay raw. */
  rounding: z.object({ mode: ZRoundingMode, minutes: z.number().int().min(1).max(60) }),
  overtime: z.object({
    /** Worked beyond this many minutes a day is overtime; null turns daily overtime off. */
    dailyThresholdMinutes: z.number().int().min(1).max(1440).nullable(),
    /** Count the week's time beyond the contracted hours as overtime. */
    weekly: z.boolean(),
  }),
});
export type TTimeSettingsBody = z.infer<typeof ZTimeSettingsBody>;
export const ZTimeSettings = ZTimeSettingsBody.extend({
  updatedAt: ZIsoDateTime.nullable(),
  updatedBy: ZId.nullable(),
});
export type TTimeSettings = z.infer<typeof ZTimeSettings>;

// ---------- reports and exports ----------

export const REPORT_GROUPS = ['person', 'project', 'activity', 'day', 'week'] as const;
export const ZReportGroup = z.enum(REPORT_GROUPS);
export type TReportGroup = z.infer<typeof ZReportGroup>;

const reportFilters = {
  from: ZIsoDate,
  /** Inclusive. */
  to: ZIsoDate,
  team: ZId.optional(),
  person: ZId.optional(),
  project: ZId.optional(),
  billable: queryBool.optional(),
};

export const ZTimeReportQuery = z.object({ ...reportFilters, groupBy: ZReportGroup.default('person') });
export type TTimeReportQuery = z.infer<typeof ZTimeReportQuery>;

export const ZTimeReportRow = z.object({
  /** Person, project or activity id, the day (`2026-11-23`) or the week (`2026-W48`); null: none. */
  key: ZString.nullable(),
  label: ZString,
  workedSeconds: z.number().int(),
  /** After the rounding rule, per entry and day. */
  roundedSeconds: z.number().int(),
  billableSeconds: z.number().int(),
  hours: z.number(),
  entryCount: z.number().int(),
});
export type TTimeReportRow = z.infer<typeof ZTimeReportRow>;

export const ZTimeReport = z.object({
  from: ZIsoDate,
  to: ZIsoDate,
  groupBy: ZReportGroup,
  rounding: ZTimeSettingsBody.shape.rounding,
  rows: z.array(ZTimeReportRow),
  totals: ZTimeReportRow.omit({ key: true, label: true }),
});
export type TTimeReport = z.infer<typeof ZTimeReport>;

export const ZTimeExportQuery = z.object({
  ...reportFilters,
  format: z.enum(['csv', 'xlsx']).default('csv'),
});
export type TTimeExportQuery = z.infer<typeof ZTimeExportQuery>;
