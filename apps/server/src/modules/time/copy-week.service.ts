import type { TCopyWeekBody, TCopyWeekResult } from '@clockpilot/contracts';
import { DateTime } from 'luxon';
import { type Actor, recordAudit } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { type EntriesService, mapWriteError, withBreaks } from './entries.service';
import { type Interval, weekBounds } from './time.calendar';
import { spanText } from './time.messages';
import type { TimePolicy } from './time.policy';
import { timeRepo } from './time.repo';
import type { EntryRow } from './time.tables';

type Skipped = TCopyWeekResult['skipped'][number];
type Planned = Interval & { source: EntryRow; breaks: Interval[] };

/** Seven days later on the wall clock of the entry's zone: 09:00 stays 09:00 across a DST change. */
const nextWeek = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).plus({ weeks: 1 }).toJSDate();

export type CopyWeekService = ReturnType<typeof createCopyWeekService>;

/**
 * "Copy last week": the entries of the week before, with their project, activity, note and breaks,
 * placed seven days later. One transaction: either every copy that fits is made or none is; a copy
 * that would overlap an entry already there, or whose project or activity is archived, is left out and
 * named in the answer.
 */
export function createCopyWeekService(ctx: AppContext, policy: TimePolicy, entries: EntriesService) {
  const { db, clock } = ctx;

  /** Why a copy cannot refer to its project and activity any more, or null when it still can. */
  async function referenceProblem(projectId: string | null, activityId: string | null) {
    try {
      await entries.checkRefs(projectId, activityId);
      return null;
    } catch (err) {
      if (err instanceof AppError && err.status === 422) return err.message;
      throw err;
    }
  }

  return {
    async copyPreviousWeek(
      principal: Principal,
      actor: Actor,
      body: TCopyWeekBody,
    ): Promise<TCopyWeekResult> {
      const { person, relation } = await policy.manageable(principal, body.person, 'body.person');
      const target = weekBounds(body.week, person.timeZone, 'body.week');
      const sourceStart = DateTime.fromJSDate(target.start, { zone: person.timeZone }).minus({ weeks: 1 });
      // Entries starting in the week before; one running over into this week already shows here.
      const sources = (await timeRepo.entriesWithin(db, [person.id], sourceStart.toJSDate(), target.start))
        .filter((e) => e.startedAt >= sourceStart.toJSDate())
        .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
      const breaks = await timeRepo.breaksOf(
        db,
        sources.map((e) => e.id),
      );
      const skipped: Skipped[] = [];
      const planned: Planned[] = [];
      for (const e of sources) {
        const startedAt = e.startedAt.toISOString();
        if (!e.endedAt) {
          skipped.push({ sourceId: e.id, startedAt, reason: 'running', message: 'Still running' });
          continue;
        }
        const problem = await referenceProblem(e.projectId, e.activityId);
        if (problem) {
          skipped.push({ sourceId: e.id, startedAt, reason: 'reference', message: problem });
          continue;
        }
        const shift = (d: Date) => nextWeek(d, e.timeZone);
        planned.push({
          source: e,
          start: shift(e.startedAt),
          end: shift(e.endedAt),
          breaks: breaks
            .filter((b) => b.entryId === e.id && b.endedAt)
            .map((b) => ({ start: shift(b.startedAt), end: shift(b.endedAt!) })),
        });
      }
      const attempted = { personId: person.id, start: target.start, end: target.end };
      try {
        const { copied, overlaps } = await db.transaction(async (tx) => {
          const overlaps: Skipped[] = [];
          // The whole target week is checked, so a locked or submitted week refuses even an empty copy.
          await policy.guardWrite(tx, person, relation, [{ start: target.start, end: target.end }]);
          await timeRepo.openEntry(tx, person.id, true);
          const rows = [];
          for (const p of planned) {
            // Earlier copies are in the transaction already, so two copies cannot overlap each other either.
            const other = await timeRepo.overlapping(
              tx,
              { personId: person.id, start: p.start, end: p.end },
              clock.now(),
            );
            if (other) {
              const message = `Overlaps the entry ${spanText(other.startedAt, other.endedAt, other.timeZone)}`;
              const startedAt = p.source.startedAt.toISOString();
              overlaps.push({ sourceId: p.source.id, startedAt, reason: 'overlap', message });
              continue;
            }
            const row = await timeRepo.insertEntry(tx, {
              personId: person.id,
              startedAt: p.start,
              endedAt: p.end,
              timeZone: p.source.timeZone,
              projectId: p.source.projectId,
              activityId: p.source.activityId,
              note: p.source.note,
              billable: p.source.billable,
              source: 'manual',
              createdBy: principal.userId,
              createdAt: clock.now(),
              updatedAt: clock.now(),
            });
            await timeRepo.replaceBreaks(tx, row.id, p.breaks);
            rows.push(row);
          }
          const made = await withBreaks(tx, rows, clock.now());
          await recordAudit(tx, actor, {
            action: 'timesheet.copied',
            entityType: 'timesheet',
            entityId: person.id,
            after: { week: body.week, entries: made.map((m) => m.id) },
          });
          return { copied: made, overlaps };
        });
        skipped.push(...overlaps);
        skipped.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
        return { week: body.week, copied, skipped };
      } catch (err) {
        throw await mapWriteError(ctx, err, attempted);
      }
    },
  };
}
