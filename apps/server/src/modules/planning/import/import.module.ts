import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../platform/context';
import type { QueueDef } from '../../../platform/jobs';
import type { PlanningMetrics } from '../planning.metrics';
import { createPlanningWrites } from './import.planning';
import { importRoutes } from './import.routes';
import { createImportService, type ImportJob, type ImportService, type Transact } from './import.service';

export { importCli } from './import.cli';
export type { ImportService };

/** The import part of planning, built from the module's transaction (`policy.write`). */
export const createImports = (ctx: AppContext, transact: Transact, metrics: PlanningMetrics) =>
  createImportService(ctx, createPlanningWrites(ctx), transact, metrics);

/**
 * One job per run; a retry means the process died mid-run, so the run is marked failed, not repeated.
 * Hourly, uploads older than a day that no run still needs are deleted.
 */
export const importJobs = (imports: ImportService): QueueDef[] => [
  {
    name: 'planning.import',
    retryLimit: 1,
    expireInSeconds: 3600,
    handler: async (data, job) => {
      const { id, by } = data as ImportJob;
      if (job.attempt > 1) await imports.abandon(id);
      else await imports.run(id, by);
    },
  },
  {
    name: 'planning.import-sweep',
    everySeconds: 3600,
    handler: async () => {
      await imports.sweep();
    },
  },
];

export async function registerImportRoutes(app: FastifyInstance, imports: ImportService, ctx: AppContext) {
  await app.register(importRoutes, { imports, ctx });
}
