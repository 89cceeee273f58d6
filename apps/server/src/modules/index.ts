import type { AnyModule } from '../platform/module';
import { directoryModule } from './directory';
import { fleetModule } from './fleet';
import { identityModule } from './identity';
import { timeModule } from './time';

/** Every module; the platform orders the enabled ones by their declared dependencies. */
export const MODULES: readonly AnyModule[] = [identityModule, directoryModule, timeModule, fleetModule];
