import type { AppContext } from '../../platform/context';
import { createCatalogService } from './catalog.service';
import { createPeopleService } from './people.service';
import { createTeamsService } from './teams.service';

export type DirectoryService = ReturnType<typeof createDirectoryService>;

/** The directory as routes and other modules see it: people, teams and the catalog, composed. */
export function createDirectoryService(ctx: AppContext) {
  return { ...createPeopleService(ctx), ...createTeamsService(ctx), ...createCatalogService(ctx) };
}
