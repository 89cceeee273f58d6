import { requireService } from '../../platform/context';
import type { ModuleDef } from '..';
import { directoryRoutes } from './directory.routes';
import { createDirectoryService, type DirectoryService } from './directory.service';

declare module '../../platform/context' {
  interface Services {
    directory: DirectoryService;
  }
}

export const directoryModule: ModuleDef = {
  name: 'directory',
  dependsOn: ['identity'],
  async register(app, ctx) {
    const service = createDirectoryService(ctx);
    ctx.services.directory = service;
    // Every account gets its person in the same transaction, so anyone can clock in at once.
    requireService(ctx, 'identity').onUserCreated((tx, user) =>
      service.ensurePersonForUser(tx, user).then(() => undefined),
    );
    await app.register(directoryRoutes, { prefix: '/api/v1', service });
  },
};
