import type { TFieldError, TTimesheet, TTimesheetGridBody, TTimesheetGridCell } from '@clockpilot/contracts';
import { DateTime } from 'luxon';
import { type Actor, recordAudit } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import type { Tx } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { type EntriesService, mapWriteError, withBreaks } from './entries.service';
import { localDate, startOfLocalDay, weekBounds } from './time.calendar';
import { dayText, spanText } from './time.messages';
import type { TimePolicy } from './time.policy';
import { timeRepo } from './time.repo';
import type { BreakRow, EntryRow } from './time.tables';
import type { TimesheetsService } from './timesheets.service';

/** A new entry of the grid starts here when its day holds no entry yet. */
const DAY_START_HOUR = 9;

/** A cell the grid cannot apply: its path and the reason in the person's words. */
class CellError extends Error {}

const workedSeconds = (e: EntryRow, breaks: BreakRow[]) =>
  Math.round(
    (e.endedAt!.getTime() -
      e.startedAt.getTime() -
      breaks.reduce((sum, b) => sum + (b.endedAt!.getTime() - b.startedAt.getTime()), 0)) /
      1000,
  );

const hoursText = (seconds: number) =>
  `${Math.floor(seconds / 3600)}:${String(Math.round((seconds % 3600) / 60)).padStart(2, '0')}`;

export type GridService = ReturnType<typeof createGridService>;

/**
 * The weekly grid: hours per project and day typed as totals, turned into entries. A cell whose total
 * changes lengthens or shortens the last of its entries, gets a new entry after the day's last one when
 * it has none, or loses its entries at 0. The whole grid is one transaction under the same lock, week
 * status and overlap rules as single entries; every cell that cannot be applied is named (422) and
 * nothing is kept.
 */
export function createGridService(
  ctx: AppContext,
  policy: TimePolicy,
  entries: EntriesService,
  timesheets: TimesheetsService,
) {
  const { db, clock } = ctx;
  const maxMs = ctx.config.time.maxEntryHours * 3_600_000;

  /** Shape checks that need no database: the day lies in the week, each cell comes once. */
  function checkCells(cells: TTimesheetGridCell[], days: string[]): TFieldError[] {
    const errors: TFieldError[] = [];
    const seen = new Set<string>();
    cells.forEach((c, i) => {
      const key = `${c.projectId}|${c.date}`;
      if (!days.includes(c.date)) {
        errors.push({ path: `body.cells.${i}.date`, message: 'This day is not in the week' });
      } else if (seen.has(key)) {
        errors.push({ path: `body.cells.${i}`, message: 'This cell is given twice' });
      }
      seen.add(key);
    });
    return errors;
  }

  return {
    async save(principal: Principal, actor: Actor, body: TTimesheetGridBody): Promise<TTimesheet> {
      const { person, relation } = await policy.manageable(principal, body.person, 'body.person');
      const zone = person.timeZone;
      const week = weekBounds(body.week, zone, 'body.week');
      const shapeErrors = checkCells(body.cells, week.days);
      if (shapeErrors.length > 0) {
        throw new AppError('unprocessable', shapeErrors[0]!.message, { errors: shapeErrors });
      }
      // A project a new entry books must be active: its billable flag, or why not, once per project.
      const projects = new Map<string, { billable: boolean } | { problem: string }>();
      for (const projectId of new Set(body.cells.map((c) => c.projectId))) {
        if (!projectId) continue;
        try {
          projects.set(projectId, {
            billable: (await entries.checkRefs(projectId, null))?.billable ?? false,
          });
        } catch (err) {
          if (!(err instanceof AppError) || err.status !== 422) throw err;
          projects.set(projectId, { problem: err.message });
        }
      }
      const now = () => clock.now();
      const cells = body.cells.map((c, i) => ({ ...c, i })).sort((a, b) => a.date.localeCompare(b.date));

      /** Applies one cell inside the transaction; a CellError names why it cannot be. */
      async function apply(tx: Tx, cell: TTimesheetGridCell) {
        const dayStart = startOfLocalDay(cell.date, zone);
        const dayEnd = DateTime.fromJSDate(dayStart, { zone }).plus({ days: 1 }).toJSDate();
        // Entries count on the day they start, in their own zone, as the timesheet shows them.
        const ofDay = (await timeRepo.entriesWithin(tx, [person.id], dayStart, dayEnd)).filter(
          (e) => localDate(e.startedAt, e.timeZone) === cell.date,
        );
        const own = ofDay.filter((e) => e.projectId === cell.projectId);
        if (own.some((e) => !e.endedAt)) throw new CellError('A running entry cannot be changed here');
        const breaks = await timeRepo.breaksOf(
          tx,
          own.map((e) => e.id),
        );
        const breaksOf = (e: EntryRow) => breaks.filter((b) => b.entryId === e.id);
        const have = own.reduce((sum, e) => sum + workedSeconds(e, breaksOf(e)), 0);
        if (have === cell.seconds) return;
        if (cell.seconds === 0) {
          for (const e of own) await remove(tx, e);
          return;
        }
        if (own.length === 0) {
          const project = cell.projectId ? projects.get(cell.projectId) : undefined;
          if (project && 'problem' in project) throw new CellError(project.problem);
          const lastEnd = ofDay.reduce<Date | null>(
            (max, e) => (e.endedAt && (!max || e.endedAt > max) ? e.endedAt : max),
            null,
          );
          const start =
            lastEnd ?? DateTime.fromJSDate(dayStart, { zone }).set({ hour: DAY_START_HOUR }).toJSDate();
          const end = new Date(start.getTime() + cell.seconds * 1000);
          if (end > dayEnd) {
            throw new CellError(
              `${hoursText(cell.seconds)} do not fit into ${dayText(cell.date)} after ${DateTime.fromJSDate(start, { zone }).toFormat('HH:mm')}`,
            );
          }
          await create(tx, cell, start, end, project && 'billable' in project ? project.billable : false);
          return;
        }
        const last = own[own.length - 1]!;
        const end = new Date(last.endedAt!.getTime() + (cell.seconds - have) * 1000);
        const cutsBreak = breaksOf(last).some((b) => b.endedAt! > end);
        if (end <= last.startedAt || cutsBreak) {
          throw new CellError(
            own.length > 1
              ? `This cell holds ${own.length} entries: change them in the list`
              : 'The entry has a break in the time taken off: change it in the list',
          );
        }
        if (end.getTime() - last.startedAt.getTime() > maxMs) {
          throw new CellError(`An entry cannot be longer than ${ctx.config.time.maxEntryHours} hours`);
        }
        // Lengthening may not run past midnight into the next day's time.
        if (end > last.endedAt! && end > dayEnd) {
          throw new CellError(`${hoursText(cell.seconds)} do not fit into ${dayText(cell.date)}`);
        }
        await update(tx, last, end);
      }

      const overlapCheck = async (tx: Tx, start: Date, end: Date, exceptId?: string) => {
        const attempted = { personId: person.id, start, end, exceptId };
        const other = await timeRepo.overlapping(tx, attempted, now());
        if (other) {
          throw new CellError(
            `Overlaps the entry ${spanText(other.startedAt, other.endedAt, other.timeZone)}`,
          );
        }
      };

      async function create(tx: Tx, cell: TTimesheetGridCell, start: Date, end: Date, billable: boolean) {
        await overlapCheck(tx, start, end);
        const row = await timeRepo.insertEntry(tx, {
          personId: person.id,
          startedAt: start,
          endedAt: end,
          timeZone: zone,
          projectId: cell.projectId,
          activityId: null,
          note: null,
          billable,
          source: 'manual',
          createdBy: principal.userId,
          createdAt: now(),
          updatedAt: now(),
        });
        const [after] = await withBreaks(tx, [row], now());
        await recordAudit(tx, actor, {
          action: 'time_entry.created',
          entityType: 'time_entry',
          entityId: row.id,
          after,
        });
      }

      async function update(tx: Tx, row: EntryRow, end: Date) {
        await policy.guardWrite(tx, person, relation, [{ start: row.startedAt, end: row.endedAt }]);
        await overlapCheck(tx, row.startedAt, end, row.id);
        const [before] = await withBreaks(tx, [row], now());
        const updated = await timeRepo.updateEntry(tx, row.id, { endedAt: end, updatedAt: now() });
        const [after] = await withBreaks(tx, [updated], now());
        await recordAudit(tx, actor, {
          action: 'time_entry.updated',
          entityType: 'time_entry',
          entityId: row.id,
          before,
          after,
        });
      }

      async function remove(tx: Tx, row: EntryRow) {
        await policy.guardWrite(tx, person, relation, [{ start: row.startedAt, end: row.endedAt }]);
        const [before] = await withBreaks(tx, [row], now());
        await timeRepo.deleteEntry(tx, row.id);
        await recordAudit(tx, actor, {
          action: 'time_entry.deleted',
          entityType: 'time_entry',
          entityId: row.id,
          before,
        });
      }

      const attempted = { personId: person.id, start: week.start, end: week.end };
      try {
        await db.transaction(async (tx) => {
          // The days of the cells: a locked (423) or closed (409) week refuses the whole grid.
          await policy.guardWrite(
            tx,
            person,
            relation,
            cells.map((c) => {
              const start = startOfLocalDay(c.date, zone);
              return { start, end: DateTime.fromJSDate(start, { zone }).plus({ days: 1 }).toJSDate() };
            }),
          );
          await timeRepo.openEntry(tx, person.id, true);
          const errors: TFieldError[] = [];
          for (const cell of cells) {
            try {
              await apply(tx, cell);
            } catch (err) {
              if (!(err instanceof CellError)) throw err;
              errors.push({ path: `body.cells.${cell.i}.seconds`, message: err.message });
            }
          }
          if (errors.length > 0) {
            errors.sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true }));
            throw new AppError('unprocessable', errors[0]!.message, { errors });
          }
        });
      } catch (err) {
        throw await mapWriteError(ctx, err, attempted);
      }
      return timesheets.get(principal, { person: person.id, week: body.week });
    },
  };
}
