import { IconUsersGroup } from '@tabler/icons-react';
import { createRoute } from '@tanstack/react-router';
import type { Feature } from '../../app/features';
import { requirePermission } from '../../app/guards';
import { requireModule } from '../../app/modules';
import type { AppRoute } from '../../app/router';

/** The directory's tabs, in the order shown (`?tab=teams`). */
export const DIRECTORY_TABS = ['people', 'teams', 'clients', 'projects', 'activities'] as const;
type DirectoryTab = (typeof DIRECTORY_TABS)[number];

function routes(app: AppRoute) {
  const directory = createRoute({
    getParentRoute: () => app,
    id: '_directory',
    beforeLoad: requireModule('directory'),
  });
  return directory.addChildren([
    createRoute({
      getParentRoute: () => directory,
      path: '/directory',
      beforeLoad: requirePermission('directory:read'),
      validateSearch: (search: Record<string, unknown>): { tab?: DirectoryTab } => ({
        tab: DIRECTORY_TABS.includes(search.tab as DirectoryTab) ? (search.tab as DirectoryTab) : undefined,
      }),
    }).lazy(() => import('./DirectoryPage').then((m) => m.Route)),
  ]);
}

export const directoryFeature = {
  module: 'directory',
  routes,
  nav: [
    {
      to: '/directory',
      label: 'nav.directory',
      permission: 'directory:read',
      icon: IconUsersGroup,
      group: 'team',
    },
  ],
} satisfies Feature;
