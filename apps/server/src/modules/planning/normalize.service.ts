import { and, eq, sql } from 'drizzle-orm';
import { type Actor, recordAudit } from '../../platform/audit';
import type { AppContext } from '../../platform/context';
import { type NormalizeChange, normalizeRows } from './normalize';
import type { PlanningPolicy } from './planning.policy';
import { planningRepo } from './planning.repo';
import { weeklyHours } from './planning.tables';
import { totalsRepo } from './totals.repo';

/** `clockpilot planning normalize-weekly-hours`: the repair of weekly-hours rows, previewed or applied. */
export function createNormalizeService(ctx: AppContext, policy: PlanningPolicy) {
  async function scan(db = ctx.db): Promise<NormalizeChange[]> {
    const rows = await db
      .select({
        assignmentId: weeklyHours.assignmentId,
        weekStart: weeklyHours.weekStart,
        hours: sql<number>`${weeklyHours.hours}::float8`,
      })
      .from(weeklyHours);
    return normalizeRows(rows.map((r) => ({ ...r, hours: Number(r.hours) })));
  }

  return {
    /** What would change; nothing is written. */
    preview: () => scan(),

    /** Applies every change in one transaction with one audit record; answers what changed. */
    async apply(actor: Actor): Promise<NormalizeChange[]> {
      return policy.write(async (tx) => {
        const changes = await scan(tx);
        if (changes.length === 0) return changes;
        for (const c of changes) {
          for (const b of c.before) {
            await tx
              .delete(weeklyHours)
              .where(
                and(eq(weeklyHours.assignmentId, c.assignmentId), eq(weeklyHours.weekStart, b.weekStart)),
              );
          }
          if (c.after !== null)
            await tx
              .insert(weeklyHours)
              .values({ assignmentId: c.assignmentId, weekStart: c.week, hours: c.after });
        }
        const ids = [...new Set(changes.map((c) => c.assignmentId))];
        await planningRepo.bumpHoursVersion(tx, ids, ctx.clock.now());
        await totalsRepo.sync(tx, { assignmentIds: ids });
        await recordAudit(tx, actor, {
          action: 'planning.hours.normalized',
          entityType: 'planning_weekly_hours',
          before: changes.map((c) => ({ assignmentId: c.assignmentId, rows: c.before })),
          after: changes.map((c) => ({
            assignmentId: c.assignmentId,
            week: c.week,
            hours: c.after,
            reasons: c.reasons,
          })),
        });
        return changes;
      });
    },

    /** Week totals that differ from the week rows: rows written around the repository leave some. */
    totalsDrift: () => totalsRepo.mismatches(ctx.db),

    /** Rebuilds every week total from the week rows in one transaction; answers how many differed. */
    async rebuildTotals(actor: Actor): Promise<number> {
      return policy.write(async (tx) => {
        const drift = await totalsRepo.mismatches(tx);
        if (drift.length === 0) return 0;
        await totalsRepo.rebuildAll(tx);
        await recordAudit(tx, actor, {
          action: 'planning.week_totals.rebuilt',
          entityType: 'planning_year_totals',
          before: drift.slice(0, 1000),
        });
        return drift.length;
      });
    },
  };
}
