import type {
  TFieldError,
  TPage,
  TTimeBreakInput,
  TTimeEntry,
  TTimeEntryCreate,
  TTimeEntryListQuery,
  TTimeEntryUpdate,
} from '@clockpilot/contracts';
import { type Actor, recordAudit } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import type { DbOrTx, Tx } from '../../platform/db';
import {
  AppError,
  type ConstraintTable,
  forbidden,
  fromConstraint,
  notFound,
  pgErrorOf,
  unprocessable,
} from '../../platform/errors';
import { type EntryTimes, entrySecondsWithin } from './time.calendar';
import { spanText } from './time.messages';
import type { TimePolicy } from './time.policy';
import { timeRepo } from './time.repo';
import type { BreakRow, EntryRow } from './time.tables';

const ALL_TIME = { start: new Date(0), end: new Date(8.64e15) };

/** An entry's times for the calendar functions; `breaks` may hold other entries' breaks too. */
export function timesOf(row: EntryRow, breaks: BreakRow[]): EntryTimes {
  return {
    start: row.startedAt,
    end: row.endedAt,
    breaks: breaks.filter((b) => b.entryId === row.id).map((b) => ({ start: b.startedAt, end: b.endedAt })),
  };
}

export function toEntry(row: EntryRow, breaks: BreakRow[], now: Date): TTimeEntry {
  const own = breaks.filter((b) => b.entryId === row.id);
  const { worked, breaks: breakSeconds } = entrySecondsWithin(timesOf(row, own), ALL_TIME, now);
  return {
    id: row.id,
    personId: row.personId,
    startedAt: row.startedAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    timeZone: row.timeZone,
    projectId: row.projectId,
    activityId: row.activityId,
    note: row.note,
    billable: row.billable,
    source: row.source,
    breaks: own.map((b) => ({
      id: b.id,
      startedAt: b.startedAt.toISOString(),
      endedAt: b.endedAt?.toISOString() ?? null,
    })),
    breakSeconds,
    workedSeconds: worked,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Entries with their breaks, as the API shows them. */
export async function withBreaks(db: DbOrTx, rows: EntryRow[], now: Date): Promise<TTimeEntry[]> {
  const breaks = await timeRepo.breaksOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toEntry(r, breaks, now));
}

// Field refusals met both in the checks below and as constraints the database enforced.
const END_BEFORE_START = { code: 'end_before_start', message: 'The end must be after the start' };
const BREAKS_OVERLAP = { code: 'breaks_overlap', message: 'Breaks overlap each other' };

/** The constraints of time whose answer needs nothing but their name. */
const CONSTRAINTS: ConstraintTable = {
  time_breaks_no_overlap: {
    code: 'unprocessable',
    path: 'body.breaks',
    message: BREAKS_OVERLAP.message,
    field: BREAKS_OVERLAP,
  },
  time_breaks_one_running: {
    code: 'conflict',
    reason: 'break_running',
    message: 'A break is already running',
  },
  time_entries_end_after_start: {
    code: 'unprocessable',
    path: 'body.endedAt',
    message: END_BEFORE_START.message,
    field: END_BEFORE_START,
  },
  time_breaks_end_after_start: {
    code: 'unprocessable',
    path: 'body.endedAt',
    message: END_BEFORE_START.message,
    field: END_BEFORE_START,
  },
};
/** Collisions with another entry: the answer names the entry, read back from the database. */
const OVERLAPS = new Set(['time_entries_one_open', 'time_entries_no_overlap']);

type Attempted = { personId: string; start: Date; end: Date | null; exceptId?: string };

/** The 409 naming the entry a write collided with (or the clock state it raced). */
function conflictError(other: EntryRow | null, attempted: Attempted, oneOpen = false): AppError {
  const conflict = other && {
    id: other.id,
    startedAt: other.startedAt.toISOString(),
    endedAt: other.endedAt?.toISOString() ?? null,
    timeZone: other.timeZone,
  };
  const clockedIn = oneOpen || (other && !other.endedAt && !attempted.end);
  const message = clockedIn
    ? 'Already clocked in'
    : conflict
      ? `Overlaps the entry ${spanText(other.startedAt, other.endedAt, other.timeZone)}`
      : 'Overlaps another entry';
  return new AppError('conflict', message, {
    reason: clockedIn ? 'already_clocked_in' : 'entry_overlap',
    extra: { conflict },
  });
}

/**
 * Turns a constraint the database enforced under concurrency into the answer a person can act on:
 * the entry they collided with, or the clock state they raced.
 */
export async function mapWriteError(ctx: AppContext, err: unknown, attempted: Attempted): Promise<unknown> {
  const { constraint } = pgErrorOf(err);
  if (!constraint || !OVERLAPS.has(constraint)) return fromConstraint(CONSTRAINTS, err);
  const other = await timeRepo.overlapping(ctx.db, attempted, ctx.clock.now());
  return conflictError(other, attempted, constraint === 'time_entries_one_open');
}

/**
 * Inside a write: the database holds an open entry to its start only, so an entry placed in the time
 * the open entry has already run is refused here. The open entry's row lock orders this check
 * against clocking out and edits of the open entry.
 */
async function assertNoOverlap(tx: Tx, attempted: Attempted, now: Date): Promise<void> {
  await timeRepo.openEntry(tx, attempted.personId, true);
  const other = await timeRepo.overlapping(tx, attempted, now);
  if (other) throw conflictError(other, attempted);
}

export type EntriesService = ReturnType<typeof createEntriesService>;

export function createEntriesService(ctx: AppContext, policy: TimePolicy) {
  const { db, clock } = ctx;
  const maxHours = ctx.config.time.maxEntryHours;

  /** 422 for an unknown or archived project, or an activity that is unknown, inactive or of another project. */
  async function checkRefs(projectId: string | null | undefined, activityId: string | null | undefined) {
    const dir = policy.directory();
    const project = projectId ? await dir.getProject(projectId) : null;
    if (projectId && !project) throw unprocessable('body.projectId', 'No such project', 'unknown_project');
    if (project && project.status !== 'active') {
      throw unprocessable('body.projectId', `Project ${project.code} is archived`, 'project_archived');
    }
    if (activityId) {
      const activity = await dir.getActivity(activityId);
      if (!activity) throw unprocessable('body.activityId', 'No such activity', 'unknown_activity');
      if (!activity.active)
        throw unprocessable('body.activityId', `Activity ${activity.name} is archived`, 'activity_archived');
      if (activity.projectId && activity.projectId !== (projectId ?? null)) {
        throw unprocessable(
          'body.activityId',
          `Activity ${activity.name} belongs to another project`,
          'activity_of_other_project',
        );
      }
    }
    return project;
  }

  /** End after start, not longer than TIME_MAX_ENTRY_HOURS, breaks inside the entry and apart. */
  function checkTimes(start: Date, end: Date | null, breaks: Array<{ start: Date; end: Date }>) {
    const errors: TFieldError[] = [];
    if (end && end <= start) errors.push({ path: 'body.endedAt', ...END_BEFORE_START });
    else if (end && end.getTime() - start.getTime() > maxHours * 3_600_000) {
      errors.push({
        path: 'body.endedAt',
        code: 'entry_too_long',
        message: `An entry cannot be longer than ${maxHours} hours`,
      });
    }
    const sorted = breaks.map((b, i) => ({ ...b, i })).sort((a, b) => a.start.getTime() - b.start.getTime());
    sorted.forEach((b, k) => {
      const path = `body.breaks.${b.i}`;
      if (b.end <= b.start) errors.push({ path: `${path}.endedAt`, ...END_BEFORE_START });
      else if (b.start < start || (end && b.end > end)) {
        errors.push({ path, code: 'break_outside_entry', message: 'A break must lie within its entry' });
      } else if (k > 0 && b.start < sorted[k - 1]!.end) {
        errors.push({ path, ...BREAKS_OVERLAP });
      }
    });
    if (errors.length > 0) throw new AppError('unprocessable', errors[0]!.message, { errors });
  }

  const parseBreaks = (breaks: TTimeBreakInput[]) =>
    breaks.map((b) => ({ start: new Date(b.startedAt), end: new Date(b.endedAt) }));

  /** An entry the caller may see, with its person and the caller's relation to them; else 404. */
  async function visible(principal: Principal, id: string) {
    const row = await timeRepo.entryById(db, id);
    if (!row) throw notFound('Time entry');
    try {
      return { row, ...(await policy.readable(principal, row.personId)) };
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw notFound('Time entry');
      throw err;
    }
  }

  /** Runs a write and maps the constraints it may hit. */
  async function write<T>(
    attempted: Attempted,
    timesChange: boolean,
    fn: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    try {
      return await db.transaction(async (tx) => {
        if (timesChange) await assertNoOverlap(tx, attempted, clock.now());
        return fn(tx);
      });
    } catch (err) {
      throw await mapWriteError(ctx, err, attempted);
    }
  }

  const snapshot = async (tx: DbOrTx, row: EntryRow) => (await withBreaks(tx, [row], clock.now()))[0]!;

  return {
    async get(principal: Principal, id: string): Promise<TTimeEntry> {
      const { row } = await visible(principal, id);
      return snapshot(db, row);
    },

    async list(principal: Principal, q: TTimeEntryListQuery): Promise<TPage<TTimeEntry>> {
      const scope = await policy.scope(principal);
      if (q.person && scope !== null && !scope.includes(q.person)) {
        throw forbidden("You may not see this person's time");
      }
      const page = await timeRepo.listEntries(
        db,
        { scope, person: q.person, project: q.project, from: q.from, to: q.to },
        { limit: q.limit, cursor: q.cursor },
      );
      return { ...page, items: await withBreaks(db, page.items, clock.now()) };
    },

    async create(principal: Principal, actor: Actor, input: TTimeEntryCreate): Promise<TTimeEntry> {
      const { person, relation } = await policy.manageable(principal, input.personId, 'body.personId');
      const start = new Date(input.startedAt);
      const end = new Date(input.endedAt);
      const breaks = parseBreaks(input.breaks);
      checkTimes(start, end, breaks);
      const project = await checkRefs(input.projectId, input.activityId);
      return write({ personId: person.id, start, end }, true, async (tx) => {
        await policy.guardWrite(tx, person, relation, [{ start, end }]);
        const row = await timeRepo.insertEntry(tx, {
          personId: person.id,
          startedAt: start,
          endedAt: end,
          timeZone: person.timeZone,
          projectId: input.projectId ?? null,
          activityId: input.activityId ?? null,
          note: input.note ?? null,
          billable: input.billable ?? project?.billable ?? false,
          source: 'manual',
          createdBy: principal.userId,
          createdAt: clock.now(),
          updatedAt: clock.now(),
        });
        await timeRepo.replaceBreaks(tx, row.id, breaks);
        const after = await snapshot(tx, row);
        await recordAudit(tx, actor, {
          action: 'time_entry.created',
          entityType: 'time_entry',
          entityId: row.id,
          after,
        });
        return after;
      });
    },

    async update(
      principal: Principal,
      actor: Actor,
      id: string,
      patch: TTimeEntryUpdate,
    ): Promise<TTimeEntry> {
      const { row, person, relation } = await visible(principal, id);
      if (relation === 'reader') throw forbidden("You may not change this person's time");
      const start = patch.startedAt ? new Date(patch.startedAt) : row.startedAt;
      const end = patch.endedAt ? new Date(patch.endedAt) : row.endedAt;
      const projectId = patch.projectId === undefined ? row.projectId : patch.projectId;
      const activityId = patch.activityId === undefined ? row.activityId : patch.activityId;
      if (patch.projectId !== undefined || patch.activityId !== undefined)
        await checkRefs(projectId, activityId);
      const timesChange = patch.startedAt !== undefined || patch.endedAt !== undefined;
      return write({ personId: row.personId, start, end, exceptId: id }, timesChange, async (tx) => {
        const current = await timeRepo.entryById(tx, id, true);
        if (!current) throw notFound('Time entry');
        const before = await snapshot(tx, current);
        const breaks = patch.breaks
          ? parseBreaks(patch.breaks)
          : before.breaks.map((b) => ({
              start: new Date(b.startedAt),
              end: b.endedAt ? new Date(b.endedAt) : (end ?? clock.now()),
            }));
        checkTimes(start, end, breaks);
        await policy.guardWrite(tx, person, relation, [
          { start: current.startedAt, end: current.endedAt },
          { start, end },
        ]);
        const updated = await timeRepo.updateEntry(tx, id, {
          startedAt: start,
          endedAt: end,
          projectId,
          activityId,
          note: patch.note === undefined ? current.note : patch.note,
          billable: patch.billable ?? current.billable,
          updatedAt: clock.now(),
        });
        if (patch.breaks) await timeRepo.replaceBreaks(tx, id, breaks);
        else if (patch.endedAt) await timeRepo.endRunningBreak(tx, id, end!);
        const after = await snapshot(tx, updated);
        await recordAudit(tx, actor, {
          action: 'time_entry.updated',
          entityType: 'time_entry',
          entityId: id,
          before,
          after,
        });
        return after;
      });
    },

    async remove(principal: Principal, actor: Actor, id: string): Promise<void> {
      const { row, person, relation } = await visible(principal, id);
      if (relation === 'reader') throw forbidden("You may not change this person's time");
      await write(
        { personId: row.personId, start: row.startedAt, end: row.endedAt, exceptId: id },
        false,
        async (tx) => {
          const current = await timeRepo.entryById(tx, id, true);
          if (!current) throw notFound('Time entry');
          const before = await snapshot(tx, current);
          await policy.guardWrite(tx, person, relation, [{ start: current.startedAt, end: current.endedAt }]);
          await timeRepo.deleteEntry(tx, id);
          await recordAudit(tx, actor, {
            action: 'time_entry.deleted',
            entityType: 'time_entry',
            entityId: id,
            before,
          });
        },
      );
    },

    checkRefs,
  };
}
