import {
  type THoliday,
  type THolidayCreate,
  type THolidayListQuery,
  type THolidayUpdate,
  type TPage,
  type TTimeOff,
  type TTimeOffCreate,
  type TTimeOffListQuery,
  type TTimeOffUpdate,
  ZHolidayCreate,
  ZTimeOffCreate,
} from '@clockpilot/contracts';
import { type Actor, recordAudit } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import { notFound, unprocessable } from '../../platform/errors';
import { calendarRepo } from './calendar.repo';
import type { PlanningPolicy } from './planning.policy';
import type { HolidayRow, TimeOffRow } from './planning.tables';

const toTimeOff = (r: TimeOffRow): TTimeOff => ({
  id: r.id,
  personId: r.personId,
  startDate: r.startDate,
  endDate: r.endDate,
  dayFraction: Number(r.dayFraction),
  note: r.note,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});
const toHoliday = (r: HolidayRow): THoliday => ({
  id: r.id,
  date: r.date,
  name: r.name,
  region: r.region,
  createdAt: r.createdAt.toISOString(),
});

/** Time off and holidays: what takes capacity away. Employees read their own time off; managers all. */
export function createCalendarService(ctx: AppContext, policy: PlanningPolicy) {
  const { db, clock } = ctx;

  async function ownTimeOff(principal: Principal, id: string): Promise<TimeOffRow> {
    const row = await calendarRepo.timeOff(db, id);
    if (!row || (!policy.manages(principal) && row.personId !== (await policy.ownPersonId(principal))))
      throw notFound('Time off');
    return row;
  }

  return {
    async listTimeOff(principal: Principal, q: TTimeOffListQuery): Promise<TPage<TTimeOff>> {
      const { limit, cursor, sort, dir, personId, from, to } = q;
      let personIds = personId ? [personId] : undefined;
      if (!policy.manages(principal)) {
        const own = await policy.ownPersonId(principal);
        personIds = own && (!personId || personId === own) ? [own] : [];
      }
      const page = await calendarRepo.timeOffPage(db, { personIds, from, to }, { limit, cursor, sort, dir });
      return { ...page, items: page.items.map(toTimeOff) };
    },
    getTimeOff: async (principal: Principal, id: string) => toTimeOff(await ownTimeOff(principal, id)),
    async createTimeOff(principal: Principal, actor: Actor, input: TTimeOffCreate): Promise<TTimeOff> {
      policy.assertManages(principal);
      const data = ZTimeOffCreate.parse(input);
      if (!(await policy.directory().getPerson(data.personId)))
        throw unprocessable('body.personId', 'No such person');
      return policy.write(async (tx) => {
        const row = await calendarRepo.insertTimeOff(tx, { ...data, note: data.note ?? null });
        await recordAudit(tx, actor, {
          action: 'planning.time_off.created',
          entityType: 'planning_time_off',
          entityId: row.id,
          after: row,
        });
        return toTimeOff(row);
      });
    },
    async updateTimeOff(
      principal: Principal,
      actor: Actor,
      id: string,
      patch: TTimeOffUpdate,
    ): Promise<TTimeOff> {
      policy.assertManages(principal);
      return policy.write(async (tx) => {
        const before = await calendarRepo.timeOff(tx, id, true);
        if (!before) throw notFound('Time off');
        const after = await calendarRepo.updateTimeOff(tx, id, { ...patch, updatedAt: clock.now() });
        await recordAudit(tx, actor, {
          action: 'planning.time_off.updated',
          entityType: 'planning_time_off',
          entityId: id,
          before,
          after,
        });
        return toTimeOff(after);
      });
    },
    async removeTimeOff(principal: Principal, actor: Actor, id: string): Promise<void> {
      policy.assertManages(principal);
      await policy.write(async (tx) => {
        const before = await calendarRepo.timeOff(tx, id, true);
        if (!before) throw notFound('Time off');
        await calendarRepo.deleteTimeOff(tx, id);
        await recordAudit(tx, actor, {
          action: 'planning.time_off.deleted',
          entityType: 'planning_time_off',
          entityId: id,
          before,
        });
      });
    },

    async listHolidays(q: THolidayListQuery): Promise<TPage<THoliday>> {
      const { limit, cursor, sort, dir, ...filter } = q;
      const page = await calendarRepo.holidayPage(db, filter, { limit, cursor, sort, dir });
      return { ...page, items: page.items.map(toHoliday) };
    },
    async getHoliday(id: string): Promise<THoliday> {
      const row = await calendarRepo.holiday(db, id);
      if (!row) throw notFound('Holiday');
      return toHoliday(row);
    },
    async createHoliday(principal: Principal, actor: Actor, input: THolidayCreate): Promise<THoliday> {
      policy.assertManages(principal);
      const data = ZHolidayCreate.parse(input);
      return policy.write(async (tx) => {
        const row = await calendarRepo.insertHoliday(tx, { ...data, region: data.region ?? null });
        await recordAudit(tx, actor, {
          action: 'planning.holiday.created',
          entityType: 'planning_holiday',
          entityId: row.id,
          after: row,
        });
        return toHoliday(row);
      });
    },
    async updateHoliday(
      principal: Principal,
      actor: Actor,
      id: string,
      patch: THolidayUpdate,
    ): Promise<THoliday> {
      policy.assertManages(principal);
      return policy.write(async (tx) => {
        const before = await calendarRepo.holiday(tx, id, true);
        if (!before) throw notFound('Holiday');
        const after = await calendarRepo.updateHoliday(tx, id, patch);
        await recordAudit(tx, actor, {
          action: 'planning.holiday.updated',
          entityType: 'planning_holiday',
          entityId: id,
          before,
          after,
        });
        return toHoliday(after);
      });
    },
    async removeHoliday(principal: Principal, actor: Actor, id: string): Promise<void> {
      policy.assertManages(principal);
      await policy.write(async (tx) => {
        const before = await calendarRepo.holiday(tx, id, true);
        if (!before) throw notFound('Holiday');
        await calendarRepo.deleteHoliday(tx, id);
        await recordAudit(tx, actor, {
          action: 'planning.holiday.deleted',
          entityType: 'planning_holiday',
          entityId: id,
          before,
        });
      });
    },
  };
}
