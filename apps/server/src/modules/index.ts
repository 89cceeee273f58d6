import type { FastifyInstance } from 'fastify';
import type { ModuleName } from '../config/load';
import type { AppContext } from '../platform/context';
import { directoryModule } from './directory';
import { identityModule } from './identity';
import { timeModule } from './time';

export type ModuleDef = {
  name: ModuleName;
  /** Modules this one calls; they are registered first and must be enabled. */
  dependsOn?: ModuleName[];
  register(app: FastifyInstance, ctx: AppContext): Promise<void>;
};

/** Every module, in dependency order. */
export const MODULES: ModuleDef[] = [identityModule, directoryModule, timeModule];
