import type { TReallocation, TReallocationUndone } from '@clockpilot/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { type Actor, recordAudit } from '../../platform/audit';
import type { AppContext } from '../../platform/context';
import type { Tx } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import type { TPersonCapacity } from '../directory';
import { calendarRepo } from './calendar.repo';
import { capacityCalendar } from './capacity';
import { type PlanningPolicy, toDeliverable } from './planning.policy';
import { type HoursOwner, planningRepo } from './planning.repo';
import type { DeliverableRow } from './planning.tables';
import { addDays, addWeeks, mondayOf, once, weekKey, weeksBetween } from './planning.weeks';
import { reallocate, type WeekHours } from './reallocate';
import { decodeImage, encodeImage, type StoredImage } from './reallocation.image';
import { type TotalSeries, totalsRepo } from './totals.repo';

/** The weeks whose hours differ between two images, per assignment. */
function differences(
  expected: ReadonlyMap<string, WeekHours>,
  actual: ReadonlyMap<string, WeekHours>,
): Array<{ assignmentId: string; week: string }> {
  const out: Array<{ assignmentId: string; week: string }> = [];
  for (const id of [...expected.keys()].sort()) {
    const a = expected.get(id)!;
    const b = actual.get(id) ?? {};
    const weeks = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const w of weeks) if ((a[w] ?? 0) !== (b[w] ?? 0)) out.push({ assignmentId: id, week: weekKey(w) });
  }
  return out;
}

/**
 * Hours per person and window week on assignments other than the linked ones: the people's week
 * totals less the linked hours (read under the assignments' locks). One year row per person is read
 * instead of the week rows of all their assignments.
 */
function otherLoad(
  width: number,
  windowIndex: ReadonlyMap<string, number>,
  series: readonly TotalSeries[],
  linked: readonly HoursOwner[],
  hours: ReadonlyMap<string, WeekHours>,
): Map<string, number[]> {
  const load = new Map<string, number[]>();
  for (const s of series) {
    const row = load.get(s.key) ?? new Array<number>(width).fill(0);
    load.set(s.key, row);
    for (let i = Math.max(0, s.offset); i < width && i - s.offset < s.confirmed.length; i++) {
      row[i]! += s.confirmed[i - s.offset]! + (s.tentative?.[i - s.offset] ?? 0);
    }
  }
  for (const a of linked) {
    const row = a.personId ? load.get(a.personId) : undefined;
    if (!row) continue;
    const weeks = hours.get(a.id)!;
    for (const week of Object.keys(weeks)) {
      const i = windowIndex.get(week);
      // Never below zero, even with totals behind rows written around the repository.
      if (i !== undefined) row[i] = Math.max(0, row[i]! - weeks[week]!);
    }
  }
  return load;
}

export type ReallocationService = ReturnType<typeof createReallocationService>;

/**
 * A due-date change's reallocation: its summary, as JSON text too (made once for the audit record
 * and the answer: 200 assignments' moves are ~60,000 characters), and, when hours moved, the insert
 * of its record (with the before-image undo restores), for the caller to run with its audit record
 * in one statement: the record's summary is the audit record's `reallocation`, sent once.
 */
export type MovedHours = { summary: TReallocation; json: string; record?: (audited: SQL) => SQL };

/** The summary with its keys in the answer's order, so its JSON text is what the answer's schema writes. */
function summaryOf(
  s: Pick<TReallocation, 'oldDueDate' | 'newDueDate' | 'shiftWeeks'>,
  applied: boolean,
  reason: string | null,
  assignments: TReallocation['assignments'] = [],
  overAllocations: TReallocation['overAllocations'] = [],
): { summary: TReallocation; json: string } {
  const summary: TReallocation = {
    applied,
    reason,
    oldDueDate: s.oldDueDate,
    newDueDate: s.newDueDate,
    shiftWeeks: s.shiftWeeks,
    assignments,
    overAllocations,
  };
  return { summary, json: JSON.stringify(summary) };
}

/** Moves a deliverable's hours with its due date (rules in reallocate.ts) and undoes the last move. */
export function createReallocationService(ctx: AppContext, policy: PlanningPolicy) {
  /**
   * Inside the due-date change's transaction: moves the linked assignments' hours from the old due week
   * towards the new one and answers the summary with the insert that stores the before-image.
   */
  async function run(
    tx: Tx,
    actor: Actor,
    before: DeliverableRow,
    newDueDate: string,
    people: ReadonlyMap<string, TPersonCapacity>,
  ): Promise<MovedHours> {
    const oldDueWeek = mondayOf(before.dueDate);
    const newDueWeek = mondayOf(newDueDate);
    const shiftWeeks = Math.round((Date.parse(newDueWeek) - Date.parse(oldDueWeek)) / (7 * 86_400_000));
    const dates = { oldDueDate: before.dueDate, newDueDate, shiftWeeks };
    const skipped = (reason: string): MovedHours => summaryOf(dates, false, reason);
    if (!ctx.config.planning.autoReallocation)
      return skipped('AUTO_REALLOCATION is off: no hours were moved');
    const linked = await planningRepo.linkedAssignments(tx, before.id);
    if (linked.length === 0) return skipped('No assignments are linked to this deliverable');
    const currentWeek = mondayOf(ctx.clock.now().toISOString().slice(0, 10));
    const ids = linked.map((a) => a.id);
    // Hours before the current week never move (rule 1): only the weeks from it are read, written and kept.
    const hours = await planningRepo.hoursOf(tx, ids, currentWeek);
    const personIds = [...new Set(linked.flatMap((a) => (a.personId ? [a.personId] : [])))];

    // Capacity and other load of the people over the window.
    const lastDay = addDays(newDueWeek, 6);
    const unknown = personIds.find((id) => !people.has(id));
    if (unknown) throw new AppError('conflict', 'The assignments changed meanwhile; try again');
    // One after another: a transaction's queries share one connection.
    const holidays = await calendarRepo.holidayDates(tx, currentWeek, lastDay);
    const timeOff = await calendarRepo.timeOffWithin(tx, currentWeek, lastDay, personIds);
    const window = Array.from({ length: Math.max(0, weeksBetween(currentWeek, newDueWeek) + 1) }, (_, i) =>
      addWeeks(currentWeek, i),
    );
    const windowIndex = new Map(window.map((w, i) => [w, i]));
    const series = await totalsRepo.seriesInRange(tx, currentWeek, newDueWeek, personIds);
    const load = otherLoad(window.length, windowIndex, series, linked, hours);
    const calendar = capacityCalendar(window, holidays);
    const capacities = new Map(
      personIds.map((id) => [
        id,
        calendar.of(
          people.get(id)!.weeklyCapacity,
          timeOff.filter((t) => t.personId === id),
        ),
      ]),
    );
    const result = reallocate({
      oldDueWeek,
      newDueWeek,
      currentWeek,
      assignments: linked.map((a) => ({ id: a.id, personId: a.personId, hours: hours.get(a.id)! })),
      capacity: (personId, week) => capacities.get(personId)?.[windowIndex.get(week)!] ?? 0,
      otherLoad: (personId, week) => load.get(personId)?.[windowIndex.get(week)!] ?? 0,
    });
    const byId = new Map(linked.map((a) => [a.id, a]));
    // ~1,000 moves between a few dozen distinct weeks.
    const key = once(weekKey);
    const moved = summaryOf(
      dates,
      result.applied,
      result.applied ? null : 'The new due date is before the current week: no hours were moved',
      result.assignments.map((a) => ({
        assignmentId: a.id,
        personId: a.personId,
        placeholder: byId.get(a.id)!.placeholder,
        moves: a.moves.map((m) => ({ from: key(m.from), to: key(m.to), hours: m.hours })),
        unplacedHours: a.unplacedHours,
      })),
      result.overAllocations.map((o) => ({
        personId: o.personId,
        week: key(o.week),
        hoursOver: o.hoursOver,
      })),
    );
    if (!result.applied) return moved;
    const after = new Map(result.assignments.map((a) => [a.id, a.hours]));
    await planningRepo.setAllHours(tx, linked, hours, after, ctx.clock.now());
    const images = { before: encodeImage(currentWeek, hours), after: encodeImage(currentWeek, after) };
    const record = (audited: SQL) =>
      planningRepo.reallocationInsert({
        deliverableId: before.id,
        oldDueDate: before.dueDate,
        newDueDate,
        ...images,
        summary: sql`(${audited} -> 'reallocation')`,
        createdBy: actor.userId,
      });
    return { ...moved, record };
  }

  /**
   * The people of the deliverable's assignments, read before its transaction: the directory's reads
   * use their own connection, which a transaction on the embedded database would wait for.
   */
  async function peopleOf(deliverableId: string): Promise<Map<string, TPersonCapacity>> {
    const ids = await planningRepo.linkedPersonIds(ctx.db, deliverableId);
    const people = await policy.directory().listCapacities({ ids });
    return new Map(people.map((p) => [p.id, p]));
  }

  /**
   * Restores the hours of the deliverable's last reallocation exactly, in the weeks its images cover
   * (from its current week on; all weeks for images stored without one). Weeks edited since make it a
   * 409 naming them, unless forced; edits to earlier weeks, which it never touched, stay.
   */
  async function undo(
    actor: Actor,
    deliverableId: string,
    opts: { revertDate?: boolean; force?: boolean },
  ): Promise<TReallocationUndone> {
    return policy.write(async (tx) => {
      let deliverable = await planningRepo.deliverable(tx, deliverableId, true);
      if (!deliverable) throw notFound('Deliverable');
      const last = await planningRepo.lastReallocation(tx, deliverableId);
      if (!last) throw new AppError('conflict', 'This deliverable has no reallocation to undo');
      const { from, hours: before } = decodeImage(last.before as StoredImage);
      const after = decodeImage(last.after as StoredImage).hours;
      const ids = [...before.keys()];
      // Locked before their hours are read: the write below goes from exactly these hours.
      const owners = await planningRepo.lockOwners(tx, ids);
      const existing = new Set(owners.map((o) => o.id));
      const currentHours = await planningRepo.hoursOf(tx, ids, from);
      const changed = differences(after, currentHours);
      if (changed.length > 0 && !opts.force) {
        throw new AppError(
          'conflict',
          `Hours were edited since the reallocation (${changed.map((c) => c.week).join(', ')}); undo with force to overwrite them`,
          { extra: { changedWeeks: changed } },
        );
      }
      // Assignments deleted since have nothing left to restore.
      const restore = new Map([...before].filter(([id]) => existing.has(id)));
      await planningRepo.setAllHours(tx, owners, currentHours, restore, ctx.clock.now());
      await planningRepo.markUndone(tx, last.id, ctx.clock.now());
      const datePatch = opts.revertDate && deliverable.dueDate !== last.oldDueDate;
      if (datePatch) {
        deliverable = await planningRepo.updateDeliverable(tx, deliverableId, {
          dueDate: last.oldDueDate,
          updatedAt: ctx.clock.now(),
        });
      }
      await recordAudit(tx, actor, {
        action: 'planning.reallocation.undone',
        entityType: 'planning_deliverable',
        entityId: deliverableId,
        before: { dueDate: last.newDueDate, hours: Object.fromEntries(currentHours) },
        after: {
          dueDate: deliverable.dueDate,
          hours: Object.fromEntries(restore),
          forced: changed.length > 0,
        },
      });
      return {
        deliverable: toDeliverable(deliverable),
        restoredAssignments: restore.size,
        overwrittenWeeks: changed,
      };
    });
  }

  return { peopleOf, run, undo };
}
