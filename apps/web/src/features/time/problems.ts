import type { TTimesheetStatus } from '@clockpilot/contracts/time';
import { dateText } from '../../app/format';
import { type MessageKey, t } from '../../app/i18n';
import type { ProblemBody, ProblemWords } from '../../app/problems';
import { dayOf } from './calendar';
import { longDay, timeOfDay } from './format';
import { weekRange } from './WeekNav';

const STATUS: Record<TTimesheetStatus, MessageKey> = {
  draft: 'problem.week.draft',
  submitted: 'problem.week.submitted',
  approved: 'problem.week.approved',
  rejected: 'problem.week.rejected',
};
const VERB: Record<string, MessageKey> = {
  change: 'problem.verb.change',
  submit: 'problem.verb.submit',
  withdraw: 'problem.verb.withdraw',
  approve: 'problem.verb.approve',
  reject: 'problem.verb.reject',
  reopen: 'problem.verb.reopen',
};

type Conflict = { startedAt: string; endedAt: string | null; timeZone: string };
const isConflict = (v: unknown): v is Conflict =>
  typeof v === 'object' && v !== null && typeof (v as Conflict).startedAt === 'string';

/** `09:00–12:30 on Monday, 30 November` in the entry's zone; an open one `from 09:00 on …`. */
function spanWords({ startedAt, endedAt, timeZone }: Conflict): string {
  const from = timeOfDay(startedAt, timeZone);
  const day = longDay(dayOf(startedAt, timeZone));
  return endedAt
    ? t('problem.span', { from, to: timeOfDay(endedAt, timeZone), day })
    : t('problem.spanOpen', { from, day });
}

const fixed =
  (key: MessageKey): ProblemWords =>
  () =>
    t(key);

function weekClosed(p: ProblemBody): string | null {
  const status = STATUS[p.weekStatus as TTimesheetStatus];
  const verb = VERB[typeof p.action === 'string' ? p.action : 'change'];
  if (typeof p.week !== 'string' || !status || !verb) return null;
  return t('problem.week_closed', {
    week: weekRange(p.week, { year: true }),
    status: t(status),
    verb: t(verb),
  });
}

/** The time module's refusals (`reason` of its problems), worded in the person's language. */
export const timeProblems: Record<string, ProblemWords> = {
  entry_overlap: (p) =>
    isConflict(p.conflict)
      ? t('problem.entry_overlap', { span: spanWords(p.conflict) })
      : t('problem.entry_overlap_any'),
  already_clocked_in: fixed('problem.already_clocked_in'),
  not_clocked_in: fixed('problem.not_clocked_in'),
  break_running: fixed('problem.break_running'),
  no_break_running: fixed('problem.no_break_running'),
  entry_open_too_long: fixed('problem.entry_open_too_long'),
  clock_out_first: fixed('problem.clock_out_first'),
  lock_released: fixed('problem.lock_released'),
  period_locked: (p) =>
    typeof p.lockedBefore === 'string' ? t('problem.period_locked', { day: dateText(p.lockedBefore) }) : null,
  week_closed: weekClosed,
  timesheet_not_found: fixed('problem.timesheet_not_found'),
  timesheet_read_only: fixed('problem.timesheet_read_only'),
  timesheet_owner_only: fixed('problem.timesheet_owner_only'),
  timesheet_own_decision: fixed('problem.timesheet_own_decision'),
  timesheet_manager_only: fixed('problem.timesheet_manager_only'),
};
