import type { AppContext } from '../../platform/context';
import { defineModule } from '../../platform/module';
import { createImports, importCli, importJobs, registerImportRoutes } from './import/import.module';

declare module '../../platform/module' {
  interface ModuleServices {
    planning: PlanningServices;
  }
}

export type PlanningServices = ReturnType<typeof createPlanningServices>;

function createPlanningServices(ctx: AppContext) {
  return { imports: createImports(ctx, (fn) => ctx.db.transaction(fn)) };
}

/** Resource planning: deliverables, assignments, weekly hours, and their imports. No public API. */
export const planningModule = defineModule({
  name: 'planning',
  dependsOn: ['identity', 'directory'],
  services: createPlanningServices,
  routes: (app, s, ctx) => registerImportRoutes(app, s.imports, ctx),
  jobs: (s) => importJobs(s.imports),
  cli: importCli,
});
