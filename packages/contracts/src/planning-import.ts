import { z } from 'zod';
import { ZId, ZIsoDate, ZIsoDateTime, ZIsoWeek, ZPage, ZPageQuery, ZString, ZTimeZone } from './common';

/** What an import brings in: people (directory), projects with their deliverables, or assignments with weekly hours. */
export const IMPORT_KINDS = ['people', 'projects', 'assignments'] as const;
export const ZImportKind = z.enum(IMPORT_KINDS);
export type TImportKind = z.infer<typeof ZImportKind>;

export const ZImportStatus = z.enum(['queued', 'running', 'succeeded', 'failed']);
export type TImportStatus = z.infer<typeof ZImportStatus>;

/** A field an import kind reads, and the header spellings matched to it (case, accents, punctuation aside). */
export type TImportField = { key: string; required?: boolean; synonyms: readonly string[] };

const PERSON_KEYS: TImportField[] = [
  { key: 'email', synonyms: ['E-mail', 'Email address', 'E-mail address', 'Mail', 'Work email'] },
  {
    key: 'employeeNumber',
    synonyms: ['Employee number', 'Employee no', 'Employee ID', 'Personnel number', 'Staff number'],
  },
];

/** The fields of each kind. A row needs the required ones; people need an email or an employee number. */
export const IMPORT_FIELDS: Record<TImportKind, readonly TImportField[]> = {
  people: [
    { key: 'name', required: true, synonyms: ['Full name', 'Person', 'Employee', 'Employee name'] },
    ...PERSON_KEYS,
    { key: 'title', synonyms: ['Job title', 'Position', 'Role'] },
    { key: 'department', synonyms: ['Dept'] },
    { key: 'team', synonyms: ['Team name'] },
    { key: 'weeklyHours', synonyms: ['Weekly hours', 'Contract hours', 'Hours per week'] },
    { key: 'weeklyCapacity', synonyms: ['Capacity', 'Weekly capacity', 'Capacity hours'] },
    { key: 'timeZone', synonyms: ['Time zone', 'TZ'] },
    { key: 'active', synonyms: ['Is active', 'Enabled'] },
  ],
  projects: [
    { key: 'code', required: true, synonyms: ['Project code', 'Project ID', 'Project number', 'Code'] },
    { key: 'name', synonyms: ['Project', 'Project name'] },
    { key: 'client', synonyms: ['Client name', 'Customer', 'Account'] },
    { key: 'billable', synonyms: ['Is billable'] },
    { key: 'budgetHours', synonyms: ['Budget', 'Budget hours', 'Budgeted hours'] },
    { key: 'status', synonyms: ['Project status'] },
    { key: 'deliverable', synonyms: ['Deliverable', 'Deliverable name', 'Milestone'] },
    { key: 'deliverableDescription', synonyms: ['Deliverable description', 'Description'] },
    { key: 'deliverableStartDate', synonyms: ['Start date', 'Start', 'Deliverable start'] },
    { key: 'deliverableDueDate', synonyms: ['Due date', 'Due', 'Deadline', 'Deliverable due'] },
    { key: 'deliverableStatus', synonyms: ['Deliverable status'] },
  ],
  assignments: [
    ...PERSON_KEYS,
    { key: 'placeholder', synonyms: ['Role', 'Placeholder', 'Open role'] },
    { key: 'projectCode', required: true, synonyms: ['Project code', 'Project', 'Code'] },
    { key: 'deliverable', synonyms: ['Deliverable', 'Milestone'] },
    { key: 'tentative', synonyms: ['Is tentative', 'Tentative'] },
    { key: 'note', synonyms: ['Notes', 'Comment'] },
    { key: 'week', required: true, synonyms: ['ISO week', 'Week', 'Week of', 'Week starting'] },
    { key: 'hours', required: true, synonyms: ['Hours', 'Planned hours', 'Allocated hours'] },
  ],
};

/** Header as written in the file → field key, or null to ignore the column. */
export const ZImportMapping = z.record(ZString.max(200), ZString.max(50).nullable());
export type TImportMapping = z.infer<typeof ZImportMapping>;

/** How the rows are read: the mapping (else guessed from the headers), the date format, the sheet. */
export const ZImportOptions = z.object({
  mapping: ZImportMapping.optional(),
  /** Dates that are not ISO, in luxon tokens, e.g. `dd/MM/yyyy`. */
  dateFormat: ZString.trim().min(1).max(40).optional(),
  /** Sheet of an .xlsx; default the first. */
  sheet: ZString.trim().min(1).max(100).optional(),
});
export type TImportOptions = z.infer<typeof ZImportOptions>;

const formBool = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((v) => v === true || v === 'true');
const formJson = <T extends z.ZodType>(schema: T) =>
  ZString.max(100_000)
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'Must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

/** The text fields of `POST /planning/imports` (multipart, beside `file`). */
export const ZImportUploadFields = z.object({
  kind: ZImportKind,
  dryRun: formBool.default(false),
  mapping: formJson(ZImportMapping).optional(),
  dateFormat: ZImportOptions.shape.dateFormat,
  sheet: ZImportOptions.shape.sheet,
});

/** `POST /planning/imports/:id/runs`: read the same file again, as a dry run (a changed mapping) or for real. */
export const ZImportRunBody = ZImportOptions.extend({ dryRun: z.boolean().default(false) });
export type TImportRunBody = z.input<typeof ZImportRunBody>;

export const ZImportColumn = z.object({
  column: z.number().int(),
  header: ZString,
  field: ZString.nullable(),
});
export type TImportColumnMap = z.infer<typeof ZImportColumn>;
export const ZImportCounts = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
});
export type TImportCounts = z.infer<typeof ZImportCounts>;

export const ZImportRowError = z.object({
  row: z.number().int(),
  column: ZString.nullable(),
  value: ZString.nullable(),
  message: ZString,
});
export type TImportRowError = z.infer<typeof ZImportRowError>;

export const ZImport = z.object({
  id: ZId,
  kind: ZImportKind,
  status: ZImportStatus,
  dryRun: z.boolean(),
  fileName: ZString,
  /** The run whose file this one reads again (a dry run being applied or remapped). */
  sourceId: ZId.nullable(),
  options: ZImportOptions,
  format: z.enum(['xlsx', 'csv']).nullable(),
  /** How each column was mapped; known once the file has been opened. */
  columns: z.array(ZImportColumn),
  progress: z.object({ done: z.number().int(), total: z.number().int().nullable() }),
  counts: ZImportCounts,
  /** Why the file was refused or the import failed as a whole; row problems are in `errors`. */
  reason: ZString.nullable(),
  createdAt: ZIsoDateTime,
  finishedAt: ZIsoDateTime.nullable(),
});
export type TImport = z.infer<typeof ZImport>;

export const ZImportQuery = ZPageQuery;
export const ZImportDetail = ZImport.extend({ errors: ZPage(ZImportRowError) });
export type TImportDetail = z.infer<typeof ZImportDetail>;
export const ZImportAccepted = z.object({ id: ZId, status: ZImportStatus });

// Rows as the import hands them to the services that write them (validated, typed).

const text = (max: number) => ZString.trim().min(1).max(max);

export const ZImportPersonRow = z
  .object({
    name: text(200),
    email: z.email().max(320).toLowerCase().optional(),
    employeeNumber: text(50).optional(),
    title: text(200).optional(),
    department: text(200).optional(),
    team: text(200).optional(),
    weeklyHours: z.number().min(0).max(168).optional(),
    weeklyCapacity: z.number().min(0).max(168).optional(),
    timeZone: ZTimeZone.optional(),
    active: z.boolean().optional(),
  })
  .refine((r) => r.email !== undefined || r.employeeNumber !== undefined, {
    path: ['email'],
    message: 'A person needs an email or an employee number',
  });
export type TImportPersonRow = z.infer<typeof ZImportPersonRow>;

export const ZImportProjectRow = z.object({
  code: text(50),
  name: text(200).optional(),
  client: text(200).optional(),
  billable: z.boolean().optional(),
  budgetHours: z.number().min(0).max(10_000_000).optional(),
  status: z.enum(['active', 'archived']).optional(),
  deliverable: text(200).optional(),
  deliverableDescription: text(2000).optional(),
  deliverableStartDate: ZIsoDate.optional(),
  deliverableDueDate: ZIsoDate.optional(),
  deliverableStatus: z.enum(['planned', 'active', 'done', 'cancelled']).optional(),
});
export type TImportProjectRow = z.infer<typeof ZImportProjectRow>;

export const ZImportAssignmentRow = z
  .object({
    email: z.email().max(320).toLowerCase().optional(),
    employeeNumber: text(50).optional(),
    placeholder: text(200).optional(),
    projectCode: text(50),
    deliverable: text(200).optional(),
    tentative: z.boolean().optional(),
    note: text(2000).optional(),
    /** The ISO week, e.g. 2026-W05. */
    week: ZIsoWeek,
    hours: z
      .number()
      .gt(0)
      .max(168)
      .refine((h) => Number.isInteger(h * 4), 'Hours go in quarter-hour steps'),
  })
  .refine((r) => [r.email ?? r.employeeNumber, r.placeholder].filter(Boolean).length === 1, {
    path: ['email'],
    message: 'An assignment is for a person (email or employee number) or a placeholder, not both',
  });
export type TImportAssignmentRow = z.infer<typeof ZImportAssignmentRow>;
