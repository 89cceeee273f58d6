import type { ModuleDef } from '..';
import { createTimeAdminService } from './admin.service';
import { createClockService } from './clock.service';
import { createDemoSeeder } from './demo.service';
import { createEntriesService } from './entries.service';
import { createReportsService } from './reports.service';
import { createTimeMetrics } from './time.metrics';
import { createTimePolicy } from './time.policy';
import { timeRoutes } from './time.routes';
import { createTimesheetsService } from './timesheets.service';

/** What other modules (and the CLI) may call on time. */
export type TimeService = {
  /** Demo data for `clockpilot seed-demo`: past weeks of entries for the given people. */
  seedDemoEntries: ReturnType<typeof createDemoSeeder>;
};

declare module '../../platform/context' {
  interface Services {
    time: TimeService;
  }
}

export const timeModule: ModuleDef = {
  name: 'time',
  dependsOn: ['identity', 'directory'],
  async register(app, ctx) {
    const metrics = createTimeMetrics(ctx);
    const policy = createTimePolicy(ctx);
    const entries = createEntriesService(ctx, policy);
    ctx.services.time = { seedDemoEntries: createDemoSeeder(ctx, policy) };
    await timeRoutes(app, {
      clock: createClockService(ctx, policy, entries, metrics),
      entries,
      timesheets: createTimesheetsService(ctx, policy, metrics),
      admin: createTimeAdminService(ctx),
      reports: createReportsService(ctx, policy, metrics),
    });
  },
};
