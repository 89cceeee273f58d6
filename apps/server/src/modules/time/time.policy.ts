import { can, type TPerson, type TTimesheetStatus } from '@clockpilot/contracts';
import { DateTime } from 'luxon';
import type { Principal } from '../../platform/auth';
import { type AppContext, moduleApi } from '../../platform/context';
import type { Tx } from '../../platform/db';
import { AppError, forbidden, notFound } from '../../platform/errors';
import { isoWeekOf, startOfLocalDay, weekBounds } from './time.calendar';
import { lockedError, weekClosedError } from './time.messages';
import type { Scope } from './time.repo';
import { timesheetsRepo } from './timesheets.repo';

/**
 * How the caller stands to a person's time: their own (`self`), managing it (`manager`: admins, and
 * managers of the person's teams with time:manage_team), only reading it (`reader`), or unrelated.
 */
export type Relation = 'self' | 'manager' | 'reader';

/**
 * Who may change a week: nobody once approved (until reopened); only a manager while submitted; the
 * person and their managers while draft or rejected.
 */
export function weekWritable(status: TTimesheetStatus, relation: Relation): boolean {
  if (status === 'approved' || relation === 'reader') return false;
  if (status === 'submitted') return relation === 'manager';
  return true;
}

export type Span = { start: Date; end: Date | null };

export type TimePolicy = ReturnType<typeof createTimePolicy>;

/** Object-level access and the guard every write of time passes, shared by the module's services. */
export function createTimePolicy(ctx: AppContext) {
  const directory = () => moduleApi(ctx, 'directory');

  async function relation(principal: Principal, person: TPerson): Promise<Relation | null> {
    if (person.userId === principal.userId) return 'self';
    if (principal.role === 'admin') return 'manager';
    if (!can(principal.role, 'time:read_team')) return null;
    if (!(await directory().isManagerOf(principal.userId, person.id))) return null;
    return can(principal.role, 'time:manage_team') ? 'manager' : 'reader';
  }

  return {
    directory,
    relation,

    /** The caller's own person record. */
    async self(principal: Principal): Promise<TPerson> {
      const person = await directory().personForUser(principal.userId);
      if (!person)
        throw new AppError('unprocessable', 'Your account is not linked to a person in the directory');
      return person;
    },

    /** The people whose time the caller may read: all (admins), their own and their teams', or their own. */
    async scope(principal: Principal): Promise<Scope> {
      if (principal.role === 'admin') return null;
      const own = await directory().personForUser(principal.userId);
      const ids = own ? [own.id] : [];
      if (can(principal.role, 'time:read_team')) {
        for (const id of await directory().managedPersonIds(principal.userId))
          if (!ids.includes(id)) ids.push(id);
      }
      return ids;
    },

    /** A person whose time the caller may read; 404 for a stranger's id so it reveals nothing. */
    async readable(principal: Principal, personId: string): Promise<{ person: TPerson; relation: Relation }> {
      const person = await directory().getPerson(personId);
      const rel = person ? await relation(principal, person) : null;
      if (!person || !rel) throw notFound('Person');
      return { person, relation: rel };
    },

    /** A person whose time the caller may change (their own, or their team's as a manager), else 403. */
    async manageable(
      principal: Principal,
      personId: string | undefined,
      path: string,
    ): Promise<{ person: TPerson; relation: Relation }> {
      const person = personId ? await directory().getPerson(personId) : await this.self(principal);
      if (!person) {
        throw new AppError('unprocessable', 'No such person', {
          errors: [{ path, message: 'No such person' }],
        });
      }
      const rel = await relation(principal, person);
      if (rel !== 'self' && rel !== 'manager') throw forbidden("You may not change this person's time");
      return { person, relation: rel };
    },

    /**
     * Inside the write's transaction: refuses spans in a locked period (423) and in weeks the caller may
     * not change (409), and holds the weeks' rows so no submission slips in before the commit.
     */
    async guardWrite(tx: Tx, person: TPerson, rel: Relation, spans: Span[]): Promise<void> {
      await timesheetsRepo.holdLocksShared(tx);
      const weeks = new Set<string>();
      for (const s of spans) {
        // The end is exclusive: an entry ending at Monday 00:00 does not touch the next week.
        const last = s.end ? new Date(s.end.getTime() - 1) : s.start;
        for (let d = DateTime.fromJSDate(s.start); d.toMillis() <= last.getTime(); d = d.plus({ days: 1 })) {
          weeks.add(isoWeekOf(d.toJSDate(), person.timeZone));
        }
        weeks.add(isoWeekOf(last, person.timeZone));
      }
      const { rows, lockedBefore } = await timesheetsRepo.lockWeeks(
        tx,
        [...weeks].sort().map((week) => {
          const b = weekBounds(week, person.timeZone);
          return { personId: person.id, week, timeZone: person.timeZone, startsAt: b.start, endsAt: b.end };
        }),
      );
      if (lockedBefore) {
        const boundary = startOfLocalDay(lockedBefore, person.timeZone);
        if (spans.some((s) => s.start < boundary)) {
          throw lockedError(lockedBefore);
        }
      }
      const closed = rows.find((r) => !weekWritable(r.status, rel));
      if (closed) {
        throw weekClosedError(closed.week, closed.status);
      }
    },
  };
}
