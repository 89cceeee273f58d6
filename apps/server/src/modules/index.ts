import type { AnyModule } from '../platform/module';
import { autoscalerModule } from './autoscaler';
import { directoryModule } from './directory';
import { fleetModule } from './fleet';
import { identityModule } from './identity';
import { planningModule } from './planning';
import { timeModule } from './time';

/** Every module; the platform orders the enabled ones by their declared dependencies. */
export const MODULES: readonly AnyModule[] = [
  identityModule,
  directoryModule,
  timeModule,
  planningModule,
  fleetModule,
  autoscalerModule,
];
