import type { TClockInBody, TClockStatus, TTimeEntry } from '@clockpilot/contracts';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import type { Tx } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { type EntriesService, mapWriteError, timesOf, toEntry } from './entries.service';
import {
  entrySecondsWithin,
  isoWeekOf,
  localDate,
  nextDay,
  startOfLocalDay,
  weekBounds,
} from './time.calendar';
import type { TimeMetrics } from './time.metrics';
import type { TimePolicy } from './time.policy';
import { timeRepo } from './time.repo';
import type { BreakRow, EntryRow } from './time.tables';

/** An entry as a change left it, with its breaks. */
type Changed = { entry: EntryRow; breaks: BreakRow[] };

export type ClockService = ReturnType<typeof createClockService>;

/** Clocking in and out and breaks: always the caller's own time, always at the server's `now`. */
export function createClockService(
  ctx: AppContext,
  policy: TimePolicy,
  entries: EntriesService,
  metrics: TimeMetrics,
) {
  const { db, clock } = ctx;
  const maxMs = ctx.config.time.maxEntryHours * 3_600_000;
  const notClockedIn = () => new AppError('conflict', 'Not clocked in', { reason: 'not_clocked_in' });

  /**
   * Runs `fn` on the caller's open entry, row-locked, inside a guarded transaction; answers the entry
   * after. `endOf` is where the entry ends once `fn` has run (null: still open), given the start of
   * the caller's next entry. `fn` may answer the entry with its breaks, saving their read.
   */
  async function onOpenEntry(
    principal: Principal,
    event: 'clock_out' | 'break_start' | 'break_end',
    fn: (tx: Tx, open: EntryRow, now: Date, end: Date | null) => Promise<Changed | undefined>,
    endOf: (nextStartedAt: Date | null, now: Date) => Date | null,
  ): Promise<TTimeEntry> {
    const person = await policy.self(principal);
    const now = clock.now();
    let attempted = {
      personId: person.id,
      start: now,
      end: null as Date | null,
      exceptId: undefined as string | undefined,
    };
    try {
      const entry = await db.transaction(async (tx) => {
        const found = await timeRepo.openEntryForClock(tx, person.id);
        if (!found) throw notClockedIn();
        const { open } = found;
        const end = endOf(found.nextStartedAt, now);
        attempted = { ...attempted, start: open.startedAt, end, exceptId: open.id };
        await policy.guardWrite(tx, person, 'self', [{ start: open.startedAt, end }]);
        const changed = await fn(tx, open, now, end);
        if (changed) return toEntry(changed.entry, changed.breaks, now);
        return toEntry(open, await timeRepo.breaksOf(tx, [open.id]), now);
      });
      metrics.clockEvents.inc({ type: event });
      return entry;
    } catch (err) {
      throw await mapWriteError(ctx, err, attempted);
    }
  }
  const stillOpen = () => null;

  return {
    async clockIn(principal: Principal, body: TClockInBody): Promise<TTimeEntry> {
      const person = await policy.self(principal);
      const project = await entries.checkRefs(body?.projectId, body?.activityId);
      const now = clock.now();
      try {
        const row = await db.transaction(async (tx) => {
          await policy.guardWrite(tx, person, 'self', [{ start: now, end: null }]);
          return timeRepo.insertEntry(tx, {
            personId: person.id,
            startedAt: now,
            endedAt: null,
            timeZone: person.timeZone,
            projectId: body?.projectId ?? null,
            activityId: body?.activityId ?? null,
            note: body?.note ?? null,
            billable: project?.billable ?? false,
            source: 'clock',
            createdBy: principal.userId,
            createdAt: now,
            updatedAt: now,
          });
        });
        metrics.clockEvents.inc({ type: 'clock_in' });
        // A new entry has no breaks yet.
        return toEntry(row, [], now);
      } catch (err) {
        throw await mapWriteError(ctx, err, { personId: person.id, start: now, end: null });
      }
    },

    /**
     * Closes the open entry and its running break. An entry booked ahead ends it at the latest: clocking
     * out after that entry has begun ends this one where it starts. An entry left open too long is fixed
     * by editing it.
     */
    async clockOut(principal: Principal): Promise<TTimeEntry> {
      return onOpenEntry(
        principal,
        'clock_out',
        async (tx, open, now, end) => {
          if (end!.getTime() - open.startedAt.getTime() > maxMs) {
            throw new AppError(
              'unprocessable',
              `This entry has been open for more than ${ctx.config.time.maxEntryHours} hours; set its end by editing it`,
              {
                reason: 'entry_open_too_long',
                errors: [{ path: 'entry', message: 'Forgotten clock-out' }],
                extra: { entryId: open.id },
              },
            );
          }
          return timeRepo.closeEntry(tx, open.id, end!, now);
        },
        (next, now) => (next && next < now ? next : now),
      );
    },

    async startBreak(principal: Principal): Promise<TTimeEntry> {
      return onOpenEntry(
        principal,
        'break_start',
        async (tx, open, now) => {
          // The entry's row lock makes this check exact; the unique index backs it up.
          if ((await timeRepo.breaksOf(tx, [open.id])).some((b) => !b.endedAt)) {
            throw new AppError('conflict', 'A break is already running', { reason: 'break_running' });
          }
          await timeRepo.startBreak(tx, open.id, now);
          return undefined;
        },
        stillOpen,
      );
    },

    async endBreak(principal: Principal): Promise<TTimeEntry> {
      return onOpenEntry(
        principal,
        'break_end',
        async (tx, open, now) => {
          if (!(await timeRepo.endRunningBreak(tx, open.id, now))) {
            throw new AppError('conflict', 'No break is running', { reason: 'no_break_running' });
          }
          return undefined;
        },
        stillOpen,
      );
    },

    async status(principal: Principal): Promise<TClockStatus> {
      const person = await policy.self(principal);
      const now = clock.now();
      const zone = person.timeZone;
      const week = isoWeekOf(now, zone);
      const bounds = weekBounds(week, zone);
      const { entries: rows, breaks } = await timeRepo.entriesWithBreaks(
        db,
        person.id,
        bounds.start,
        bounds.end,
      );
      // A forgotten entry may have started before this week; it still belongs in the status.
      const open = rows.find((r) => !r.endedAt);
      const today = localDate(now, zone);
      const todayWindow = { start: startOfLocalDay(today, zone), end: startOfLocalDay(nextDay(today), zone) };
      const sum = (window: { start: Date; end: Date }) =>
        rows.reduce((total, r) => total + entrySecondsWithin(timesOf(r, breaks), window, now).worked, 0);
      const openEntry = open ? toEntry(open, breaks, now) : null;
      const runningBreak = openEntry?.breaks.find((b) => b.endedAt === null) ?? null;
      return {
        personId: person.id,
        timeZone: zone,
        state: openEntry ? (runningBreak ? 'break' : 'in') : 'out',
        openEntry,
        runningBreak,
        forgotten: openEntry ? now.getTime() - Date.parse(openEntry.startedAt) > maxMs : false,
        todaySeconds: sum(todayWindow),
        weekSeconds: sum(bounds),
        week,
        now: now.toISOString(),
      };
    },
  };
}
