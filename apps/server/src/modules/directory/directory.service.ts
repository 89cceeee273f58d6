import type { AppContext } from '../../platform/context';
import { createCatalogService } from './catalog.service';
import { createImportsService } from './imports.service';
import { createPeopleService } from './people.service';
import { createTeamsService } from './teams.service';

export type DirectoryService = ReturnType<typeof createDirectoryService>;

/** The directory as routes and other modules see it: people, teams, the catalog and bulk imports, composed. */
export function createDirectoryService(ctx: AppContext) {
  return {
    ...createPeopleService(ctx),
    ...createTeamsService(ctx),
    ...createCatalogService(ctx),
    ...createImportsService(ctx),
  };
}
