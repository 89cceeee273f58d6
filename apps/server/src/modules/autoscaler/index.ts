import { defineModule } from '../../platform/module';
import { autoscalerCli } from './autoscaler.cli';
import { decide } from './engine/decide';
import { originalRoutes } from './original.routes';

declare module '../../platform/module' {
  interface ModuleServices {
    autoscaler: AutoscalerServices;
  }
}

export type AutoscalerServices = ReturnType<typeof createAutoscalerServices>;

const createAutoscalerServices = () => ({
  /** The HPA-compatible decision of DECIDE-INPUT.md, free of I/O. */
  decide,
});

/** Autoscaling of server clusters: HPA-compatible and predictive decisions, and their evaluation. */
export const autoscalerModule = defineModule({
  name: 'autoscaler',
  dependsOn: ['identity'],
  services: createAutoscalerServices,
  cli: autoscalerCli,
  rootRoutes: (app, _services, ctx) => originalRoutes(app, ctx),
});
