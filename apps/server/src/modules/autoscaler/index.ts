import type { AppContext } from '../../platform/context';
import { defineModule } from '../../platform/module';
import { autoscalerCli } from './autoscaler.cli';
import { autoscalerRoutes } from './autoscaler.routes';
import { createClustersService } from './clusters/clusters.service';
import { decide } from './engine/decide';
import { createMetricsStore } from './metrics/store';
import { createSimulatorClient } from './simulator-client';

declare module '../../platform/module' {
  interface ModuleServices {
    autoscaler: AutoscalerServices;
  }
}

export type AutoscalerServices = ReturnType<typeof createAutoscalerServices>;

function createAutoscalerServices(ctx: AppContext) {
  const simulator = createSimulatorClient(ctx.config);
  return {
    /** The HPA-compatible decision of DECIDE-INPUT.md, free of I/O. */
    decide,
    clusters: createClustersService(ctx, simulator),
    metrics: createMetricsStore(ctx),
  };
}

/** Autoscaling of server clusters: HPA-compatible and predictive decisions, and their evaluation. */
export const autoscalerModule = defineModule({
  name: 'autoscaler',
  dependsOn: ['identity'],
  services: createAutoscalerServices,
  routes: autoscalerRoutes,
  jobs: ({ metrics }, ctx) => [
    {
      // Partitions for the next days, and whole days past the retention dropped.
      name: 'autoscaler.partitions',
      everySeconds: 3600,
      handler: async () => {
        await metrics.prepare(ctx.clock.now());
        await metrics.retain(ctx.clock.now());
      },
    },
  ],
  cli: autoscalerCli,
});
