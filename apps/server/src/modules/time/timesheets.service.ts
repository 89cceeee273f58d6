import type {
  TApprovalQuery,
  TBulkApproveResult,
  TPage,
  TReturnedWeeks,
  TTimesheet,
  TTimesheetQuery,
  TTimesheetStatus,
  TTimesheetSummary,
} from '@clockpilot/contracts';
import { type Actor, recordAudit } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { timesOf, toEntry } from './entries.service';
import { isoWeekOf, startOfLocalDay, summariseWeek, weekBounds } from './time.calendar';
import { lockedError, weekClosedError } from './time.messages';
import type { TimeMetrics } from './time.metrics';
import { type Relation, type TimePolicy, weekWritable } from './time.policy';
import { timeRepo } from './time.repo';
import type { TimesheetRow } from './time.tables';
import { timesheetsRepo } from './timesheets.repo';

export type TimesheetAction = 'submit' | 'withdraw' | 'approve' | 'reject' | 'reopen';

/** The workflow: which statuses each action leaves from, where it goes, and who may take it. */
const TRANSITIONS: Record<
  TimesheetAction,
  { from: TTimesheetStatus[]; to: TTimesheetStatus; managerOnly: boolean; verb: string; ownerOnly?: true }
> = {
  submit: { from: ['draft', 'rejected'], to: 'submitted', managerOnly: false, verb: 'submitted' },
  // Until a manager decides, the person may take a submitted week back to fix it.
  withdraw: { from: ['submitted'], to: 'draft', managerOnly: false, verb: 'withdrawn', ownerOnly: true },
  approve: { from: ['submitted'], to: 'approved', managerOnly: true, verb: 'approved' },
  reject: { from: ['submitted'], to: 'rejected', managerOnly: true, verb: 'rejected' },
  reopen: { from: ['submitted', 'approved'], to: 'draft', managerOnly: true, verb: 'reopened' },
};

export type TimesheetsService = ReturnType<typeof createTimesheetsService>;

export function createTimesheetsService(ctx: AppContext, policy: TimePolicy, metrics: TimeMetrics) {
  const { db, clock } = ctx;

  async function subject(principal: Principal, personId: string | undefined) {
    if (!personId) return { person: await policy.self(principal), relation: 'self' as Relation };
    return policy.readable(principal, personId);
  }

  async function build(
    person: Awaited<ReturnType<typeof policy.self>>,
    relation: Relation,
    week: string,
  ): Promise<TTimesheet> {
    const now = clock.now();
    const zone = person.timeZone;
    const bounds = weekBounds(week, zone, 'query.week');
    const [row, rows, settings, lockedBefore] = await Promise.all([
      timesheetsRepo.weekRow(db, person.id, week),
      timeRepo.entriesWithin(db, [person.id], bounds.start, bounds.end),
      timesheetsRepo.settings(db),
      timesheetsRepo.activeLockDate(db),
    ]);
    const breaks = await timeRepo.breaksOf(
      db,
      rows.map((r) => r.id),
    );
    const { days, totals } = summariseWeek(
      rows.map((r) => timesOf(r, breaks)),
      bounds,
      zone,
      {
        now,
        targetSeconds: Math.round(person.weeklyHours * 3600),
        overtime: { dailyThresholdMinutes: settings.dailyOvertimeMinutes, weekly: settings.weeklyOvertime },
      },
    );
    const status = row?.status ?? 'draft';
    const wholeWeekLocked = lockedBefore !== null && bounds.end <= startOfLocalDay(lockedBefore, zone);
    return {
      id: row?.id ?? null,
      personId: person.id,
      personName: person.name,
      week,
      timeZone: zone,
      startsAt: bounds.start.toISOString(),
      endsAt: bounds.end.toISOString(),
      status,
      editable: weekWritable(status, relation) && !wholeWeekLocked,
      locked: wholeWeekLocked,
      days,
      totals,
      entries: rows.map((r) => toEntry(r, breaks, now)),
      submittedAt: row?.submittedAt?.toISOString() ?? null,
      decidedAt: row?.decidedAt?.toISOString() ?? null,
      decidedBy: row?.decidedBy ?? null,
      comment: row?.comment ?? null,
    };
  }

  async function transition(
    principal: Principal,
    actor: Actor,
    action: TimesheetAction,
    input: { person?: string; week: string; comment?: string },
  ): Promise<TTimesheet> {
    const rule = TRANSITIONS[action];
    const { person, relation } = await subject(principal, input.person);
    const refuse = (reason: string, message: string) => new AppError('forbidden', message, { reason });
    if (relation === 'reader')
      throw refuse('timesheet_read_only', "You may not change this person's timesheet");
    if (rule.ownerOnly && relation !== 'self')
      throw refuse('timesheet_owner_only', 'Only its owner may withdraw a timesheet');
    // Deciding takes a manager of the person; admins may also decide on their own week.
    if (rule.managerOnly && relation !== 'manager' && !(relation === 'self' && principal.role === 'admin')) {
      throw relation === 'self'
        ? refuse('timesheet_own_decision', 'You cannot decide on your own timesheet')
        : refuse('timesheet_manager_only', `Only a manager of ${person.name} may do this`);
    }
    const bounds = weekBounds(input.week, person.timeZone, 'body.week');
    const now = clock.now();
    await db.transaction(async (tx) => {
      await timesheetsRepo.holdLocksShared(tx);
      const {
        rows: [row],
        lockedBefore,
      } = await timesheetsRepo.lockWeeks(tx, [
        {
          personId: person.id,
          week: input.week,
          timeZone: person.timeZone,
          startsAt: bounds.start,
          endsAt: bounds.end,
        },
      ]);
      if (!rule.from.includes(row!.status)) {
        throw weekClosedError(input.week, row!.status, { action, verb: rule.verb });
      }
      if (action === 'submit') {
        const open = (await timeRepo.entriesWithin(tx, [person.id], bounds.start, bounds.end)).find(
          (e) => !e.endedAt,
        );
        if (open)
          throw new AppError('conflict', 'Clock out before submitting this week', {
            reason: 'clock_out_first',
          });
      }
      if (action === 'reopen') {
        if (lockedBefore && bounds.start < startOfLocalDay(lockedBefore, person.timeZone)) {
          throw lockedError(lockedBefore);
        }
      }
      const values: Partial<TimesheetRow> =
        action === 'submit'
          ? { status: rule.to, submittedAt: now, submittedBy: principal.userId, updatedAt: now }
          : action === 'withdraw'
            ? { status: rule.to, submittedAt: null, submittedBy: null, updatedAt: now }
            : {
                status: rule.to,
                decidedAt: now,
                decidedBy: principal.userId,
                comment: action === 'approve' ? null : (input.comment ?? null),
                updatedAt: now,
              };
      const updated = await timesheetsRepo.updateTimesheet(tx, row!.id, values);
      await recordAudit(tx, actor, {
        action: `timesheet.${rule.verb}`,
        entityType: 'timesheet',
        entityId: row!.id,
        before: { personId: person.id, week: input.week, status: row!.status },
        after: { personId: person.id, week: input.week, status: updated.status, comment: updated.comment },
      });
      metrics.timesheetTransitions.inc({ from: row!.status, to: rule.to });
    });
    return build(person, relation, input.week);
  }

  return {
    async get(principal: Principal, q: TTimesheetQuery): Promise<TTimesheet> {
      const { person, relation } = await subject(principal, q.person);
      return build(person, relation, q.week ?? isoWeekOf(clock.now(), person.timeZone));
    },

    transition,

    /** The caller's own weeks a manager sent back, with the comment, so the home page can say so. */
    async returned(principal: Principal): Promise<TReturnedWeeks> {
      const person = await policy.self(principal);
      const rows = await timesheetsRepo.returnedWeeks(db, person.id, 10);
      return {
        items: rows.map((r) => ({
          week: r.week,
          comment: r.comment,
          decidedAt: r.decidedAt?.toISOString() ?? null,
        })),
      };
    },

    /** Timesheets waiting for the caller's decision: their teams' (admins: everyone's), never their own. */
    async queue(principal: Principal, q: TApprovalQuery): Promise<TPage<TTimesheetSummary>> {
      const dir = policy.directory();
      let scope = await policy.scope(principal);
      const self = await dir.personForUser(principal.userId);
      if (scope !== null && self) scope = scope.filter((id) => id !== self.id);
      if (q.team) {
        const members = (await dir.listPeople({ teamId: q.team })).map((p) => p.id);
        scope = scope === null ? members : scope.filter((id) => members.includes(id));
      }
      const page =
        scope !== null && scope.length === 0
          ? { items: [], nextCursor: null }
          : await timesheetsRepo.listTimesheets(
              db,
              { scope, status: q.status, week: q.week },
              { limit: q.limit, cursor: q.cursor },
              clock.now(),
            );
      const ids = [...new Set(page.items.map((r) => r.person_id))];
      const people = new Map((await dir.listPeople({ ids })).map((p) => [p.id, p]));
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((r) => {
          const p = people.get(r.person_id);
          return {
            id: r.id,
            personId: r.person_id,
            personName: p?.name ?? '',
            teamId: p?.teamId ?? null,
            week: r.week,
            status: r.status,
            submittedAt: r.submitted_at,
            workedSeconds: r.worked_seconds,
            targetSeconds: Math.round((p?.weeklyHours ?? 0) * 3600),
          };
        }),
      };
    },

    /** Approves each timesheet on its own; one refusal does not stop the others. */
    async bulkApprove(principal: Principal, actor: Actor, ids: string[]): Promise<TBulkApproveResult> {
      const result: TBulkApproveResult = { approved: [], failed: [] };
      for (const id of [...new Set(ids)]) {
        const row = await timesheetsRepo.timesheetById(db, id);
        try {
          if (!row) throw new AppError('not_found', 'Timesheet not found');
          await transition(principal, actor, 'approve', { person: row.personId, week: row.week });
          result.approved.push(id);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          // A timesheet the caller may not see is reported like a missing one.
          result.failed.push(
            err.status === 404
              ? { id, code: 'not_found', detail: 'Timesheet not found', reason: 'timesheet_not_found' }
              : {
                  ...err.details.extra,
                  id,
                  code: err.code,
                  detail: err.message,
                  reason: err.details.reason ?? err.code,
                },
          );
        }
      }
      return result;
    },
  };
}
