import { moduleApi } from '../../platform/context';
import { defineModule } from '../../platform/module';
import { createTimeAdminService, ROLLUP_REBUILD_QUEUE } from './admin.service';
import { createClockService } from './clock.service';
import { createCopyWeekService } from './copy-week.service';
import { createDemoSeeder } from './demo.service';
import { createEntriesService } from './entries.service';
import { createGridService } from './grid.service';
import { createReportsService } from './reports.service';
import { createTimeMetrics } from './time.metrics';
import { createTimePolicy } from './time.policy';
import { timeRoutes } from './time.routes';
import { createTimesheetsService } from './timesheets.service';

declare module '../../platform/module' {
  interface ModuleServices {
    time: TimeServices;
  }
}

export type TimeServices = ReturnType<typeof createTimeServices>;

function createTimeServices(ctx: Parameters<typeof createTimePolicy>[0]) {
  const metrics = createTimeMetrics(ctx);
  const policy = createTimePolicy(ctx);
  const entries = createEntriesService(ctx, policy);
  const timesheets = createTimesheetsService(ctx, policy, metrics);
  return {
    clock: createClockService(ctx, policy, entries, metrics),
    entries,
    timesheets,
    copyWeek: createCopyWeekService(ctx, policy, entries),
    grid: createGridService(ctx, policy, entries, timesheets),
    admin: createTimeAdminService(ctx),
    reports: createReportsService(ctx, policy, metrics),
    /** Past weeks of demo entries for the given people. */
    seedDemoEntries: createDemoSeeder(ctx, policy),
  };
}

/** Time and attendance. Other modules call nothing of it, so it publishes no API. */
export const timeModule = defineModule({
  name: 'time',
  dependsOn: ['identity', 'directory'],
  services: createTimeServices,
  routes: timeRoutes,
  jobs: ({ reports }) => [
    { name: ROLLUP_REBUILD_QUEUE, expireInSeconds: 3600, handler: () => reports.rebuildRollup() },
  ],
  cli(group, run) {
    group
      .command('rebuild-rollup')
      .description('recompute the per-day totals that summary reports read, with the current rounding')
      .action(() =>
        run(async ({ reports }) => {
          await reports.rebuildRollup();
          console.log('time report rollup rebuilt');
        }),
      );
  },
  seed: {
    steps: 1,
    async run({ seedDemoEntries }, opts, ctx) {
      // Everyone active in the directory: the demo company the directory's seed has just made.
      const people = await moduleApi(ctx, 'directory').listPeople({ active: true });
      const timeEntries = await seedDemoEntries(people, opts);
      opts.tick('time entries');
      return {
        timeEntries,
        lines: [`time: ${timeEntries.entries} entries over ${opts.weeks} weeks for ${people.length} people`],
      };
    },
  },
});
