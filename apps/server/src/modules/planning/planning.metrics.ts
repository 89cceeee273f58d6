import type { TUtilisation } from '@clockpilot/contracts';
import { Counter, Gauge } from 'prom-client';
import type { AppContext } from '../../platform/context';
import { weekKey } from './planning.weeks';
import type { UtilisationService } from './utilisation.service';

export type PlanningMetrics = ReturnType<typeof createPlanningMetrics>;

/** Business metrics of resource planning, on the app's registry. */
export function createPlanningMetrics(ctx: AppContext, utilisation: UtilisationService) {
  const registers = [ctx.metrics.registry];
  return {
    utilisation: new Gauge({
      name: 'clockpilot_planning_utilisation_ratio',
      help: 'Confirmed hours of the current week over the capacity of all active people',
      registers,
      // One company-wide figure (no per-person labels), read at scrape time from the cached grid,
      // so every replica reports the same value and a write is seen at the next scrape.
      async collect() {
        try {
          const week = weekKey(ctx.clock.now().toISOString().slice(0, 10));
          const { json } = await utilisation.utilisation({ from: week, to: week, groupBy: 'person' });
          const ratio = (JSON.parse(json.raw.toString()) as TUtilisation).totals.utilisation?.[0];
          this.set(ratio ?? 0);
        } catch (err) {
          ctx.log.app.warn({ err }, 'could not compute planning utilisation');
        }
      },
    }),
    reallocations: new Counter({
      name: 'clockpilot_planning_reallocations_total',
      help: 'Due-date changes that moved the linked assignments hours',
      registers,
    }),
    imports: new Counter({
      name: 'clockpilot_planning_imports_total',
      help: 'Finished import runs by outcome (succeeded, failed)',
      labelNames: ['outcome'],
      registers,
    }),
  };
}
