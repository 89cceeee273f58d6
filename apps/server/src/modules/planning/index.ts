import type { AppContext } from '../../platform/context';
import { defineModule } from '../../platform/module';
import { createAssignmentsService } from './assignments.service';
import { createCalendarService } from './calendar.service';
import { createDeliverablesService } from './deliverables.service';
import { createImports, importCli, importJobs, registerImportRoutes } from './import/import.module';
import { createNormalizeService } from './normalize.service';
import { planningCli } from './planning.cli';
import { createPlanningMetrics } from './planning.metrics';
import { createPlanningPolicy } from './planning.policy';
import { planningRoutes } from './planning.routes';
import { createReallocationService } from './reallocation.service';
import { seedPlanningDemo } from './seed-demo';
import { createUtilisationService } from './utilisation.service';

declare module '../../platform/module' {
  interface ModuleServices {
    planning: PlanningServices;
  }
}

export type PlanningServices = ReturnType<typeof createPlanningServices>;

function createPlanningServices(ctx: AppContext) {
  const policy = createPlanningPolicy(ctx);
  const reallocation = createReallocationService(ctx, policy);
  const utilisation = createUtilisationService(ctx, policy);
  const metrics = createPlanningMetrics(ctx, utilisation);
  return {
    policy,
    deliverables: createDeliverablesService(ctx, policy, reallocation, metrics),
    assignments: createAssignmentsService(ctx, policy),
    calendar: createCalendarService(ctx, policy),
    utilisation,
    reallocation,
    normalize: createNormalizeService(ctx, policy),
    imports: createImports(ctx, policy.write, metrics),
  };
}

/** Resource planning: deliverables, assignments, weekly hours, capacity and reallocation. No public API. */
export const planningModule = defineModule({
  name: 'planning',
  dependsOn: ['identity', 'directory'],
  services: createPlanningServices,
  routes: async (app, s, ctx) => {
    await planningRoutes(app, s);
    await registerImportRoutes(app, s.imports, ctx);
  },
  jobs: (s) => importJobs(s.imports),
  cli: (group, run) => {
    planningCli(group, run);
    importCli(group, run);
  },
  seed: { steps: 1, run: seedPlanningDemo },
});
