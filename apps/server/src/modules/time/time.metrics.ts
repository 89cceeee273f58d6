import { Counter, Gauge, Histogram } from 'prom-client';
import type { AppContext } from '../../platform/context';
import { reportsRepo } from './reports.repo';
import { timesheetsRepo } from './timesheets.repo';

export type TimeMetrics = ReturnType<typeof createTimeMetrics>;

/** Business metrics of time and attendance, on the app's registry. */
export function createTimeMetrics(ctx: AppContext) {
  const registers = [ctx.metrics.registry];
  return {
    clockEvents: new Counter({
      name: 'clockpilot_time_clock_events_total',
      help: 'Clock events by type (clock_in, clock_out, break_start, break_end)',
      labelNames: ['type'],
      registers,
    }),
    clockedIn: new Gauge({
      name: 'clockpilot_time_clocked_in',
      help: 'People clocked in now, by state (working, on_break)',
      labelNames: ['state'],
      registers,
      // Read at scrape time from the database, so every replica reports the same truth.
      async collect() {
        try {
          const c = await reportsRepo.openCounts(ctx.db);
          this.set({ state: 'working' }, c.working);
          this.set({ state: 'on_break' }, c.onBreak);
        } catch (err) {
          ctx.log.app.warn({ err }, 'could not count people clocked in');
        }
      },
    }),
    awaitingApproval: new Gauge({
      name: 'clockpilot_time_timesheets_awaiting_approval',
      help: 'Submitted timesheets waiting for approval',
      registers,
      // One count at scrape time: correct on every replica, whichever served the transition.
      async collect() {
        try {
          this.set(await timesheetsRepo.submittedCount(ctx.db));
        } catch (err) {
          ctx.log.app.warn({ err }, 'could not count timesheets awaiting approval');
        }
      },
    }),
    timesheetTransitions: new Counter({
      name: 'clockpilot_time_timesheet_transitions_total',
      help: 'Timesheet status changes by from and to status',
      labelNames: ['from', 'to'],
      registers,
    }),
    exportDuration: new Histogram({
      name: 'clockpilot_time_export_duration_seconds',
      help: 'Time to stream a time export, by format',
      labelNames: ['format'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    }),
  };
}
