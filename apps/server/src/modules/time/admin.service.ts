import type {
  TTimeLock,
  TTimeLockCreate,
  TTimeLockList,
  TTimeSettings,
  TTimeSettingsBody,
} from '@clockpilot/contracts';
import { type Actor, recordAudit } from '../../platform/audit';
import type { AppContext } from '../../platform/context';
import type { Tx } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import type { LockRow, SettingsRow } from './time.tables';
import { timesheetsRepo } from './timesheets.repo';

/** Rebuilds the report rollup after a change of the rounding rule. */
export const ROLLUP_REBUILD_QUEUE = 'time.rebuild-rollup';

const toLock = (r: LockRow): TTimeLock => ({
  id: r.id,
  before: r.before,
  reason: r.reason,
  createdAt: r.createdAt.toISOString(),
  createdBy: r.createdBy,
  releasedAt: r.releasedAt?.toISOString() ?? null,
});

export const toSettings = (r: SettingsRow): TTimeSettings => ({
  rounding: { mode: r.roundingMode, minutes: r.roundingMinutes },
  overtime: { dailyThresholdMinutes: r.dailyOvertimeMinutes, weekly: r.weeklyOvertime },
  updatedAt: r.updatedAt?.toISOString() ?? null,
  updatedBy: r.updatedBy,
});

export type TimeAdminService = ReturnType<typeof createTimeAdminService>;

/** Period locks and the rules (rounding, overtime), both admin-only and audited. */
export function createTimeAdminService(ctx: AppContext) {
  const { db, clock } = ctx;

  /** Lock changes wait for writes of time in flight, so none commits into a period just locked. */
  const exclusive = <T>(fn: (tx: Tx) => Promise<T>) =>
    db.transaction(async (tx) => {
      await timesheetsRepo.lockForLockChange(tx);
      return fn(tx);
    });

  return {
    async locks(): Promise<TTimeLockList> {
      const [items, lockedBefore] = await Promise.all([
        timesheetsRepo.listLocks(db),
        timesheetsRepo.activeLockDate(db),
      ]);
      return { lockedBefore, items: items.map(toLock) };
    },

    async lock(actor: Actor, input: TTimeLockCreate): Promise<TTimeLock> {
      return exclusive(async (tx) => {
        const row = await timesheetsRepo.insertLock(tx, {
          before: input.before,
          reason: input.reason ?? null,
          createdAt: clock.now(),
          createdBy: actor.userId,
        });
        await recordAudit(tx, actor, {
          action: 'time_lock.created',
          entityType: 'time_lock',
          entityId: row.id,
          after: toLock(row),
        });
        return toLock(row);
      });
    },

    async unlock(actor: Actor, id: string): Promise<TTimeLock> {
      return exclusive(async (tx) => {
        const before = await timesheetsRepo.lockById(tx, id);
        if (!before) throw notFound('Lock');
        if (before.releasedAt)
          throw new AppError('conflict', 'This lock is already released', { reason: 'lock_released' });
        const row = await timesheetsRepo.releaseLock(tx, id, clock.now(), actor.userId);
        await recordAudit(tx, actor, {
          action: 'time_lock.released',
          entityType: 'time_lock',
          entityId: id,
          before: toLock(before),
          after: toLock(row),
        });
        return toLock(row);
      });
    },

    async settings(): Promise<TTimeSettings> {
      return toSettings(await timesheetsRepo.settings(db));
    },

    async updateSettings(actor: Actor, input: TTimeSettingsBody): Promise<TTimeSettings> {
      const saved = await db.transaction(async (tx) => {
        const before = toSettings(await timesheetsRepo.settings(tx));
        const row = await timesheetsRepo.updateSettings(tx, {
          roundingMode: input.rounding.mode,
          roundingMinutes: input.rounding.minutes,
          dailyOvertimeMinutes: input.overtime.dailyThresholdMinutes,
          weeklyOvertime: input.overtime.weekly,
          updatedAt: clock.now(),
          updatedBy: actor.userId,
        });
        const after = toSettings(row);
        await recordAudit(tx, actor, {
          action: 'time_settings.updated',
          entityType: 'time_settings',
          entityId: '1',
          before,
          after,
        });
        return { before, after };
      });
      // Reports use the live query until the rollup is rebuilt with the new rule.
      const { before, after } = saved;
      if (before.rounding.mode !== after.rounding.mode || before.rounding.minutes !== after.rounding.minutes)
        await ctx.jobs.send(ROLLUP_REBUILD_QUEUE, null);
      return after;
    },
  };
}
