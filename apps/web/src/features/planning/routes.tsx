import type { TUtilisation } from '@clockpilot/contracts/planning';
import {
  IconCalendarOff,
  IconCalendarStats,
  IconFileImport,
  IconFlag,
  IconLayoutGrid,
} from '@tabler/icons-react';
import { createRoute } from '@tanstack/react-router';
import type { Feature } from '../../app/features';
import { requirePermission } from '../../app/guards';
import { requireModule } from '../../app/modules';
import type { AppRoute } from '../../app/router';

const WEEK = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;
const ID = /^[0-9a-f-]{36}$/i;
// Type-only from the contracts: the routes load with the app shell, the contracts' schemas do not.
const GROUPS = ['person', 'team', 'project'] as const satisfies ReadonlyArray<TUtilisation['groupBy']>;
const pick = (v: unknown, re: RegExp) => (typeof v === 'string' && re.test(v) ? v : undefined);

/** `?from=2026-W05&project=…&person=…&team=…&groupBy=team`; anything malformed is dropped. */
export type PlanningSearch = {
  from?: string;
  project?: string;
  person?: string;
  team?: string;
  groupBy?: TUtilisation['groupBy'];
};
export function planningSearch(search: Record<string, unknown>): PlanningSearch {
  return {
    from: pick(search.from, WEEK),
    project: pick(search.project, ID),
    person: pick(search.person, ID),
    team: pick(search.team, ID),
    groupBy: GROUPS.find((g) => g === search.groupBy),
  };
}

function tabSearch<T extends string>(tabs: readonly T[]) {
  return (search: Record<string, unknown>): { tab?: T } => ({
    tab: tabs.includes(search.tab as T) ? (search.tab as T) : undefined,
  });
}
export const WORK_TABS = ['deliverables', 'assignments'] as const;
export const CALENDAR_TABS = ['time-off', 'holidays'] as const;

function routes(app: AppRoute) {
  const planning = createRoute({
    getParentRoute: () => app,
    id: '_planning',
    beforeLoad: requireModule('planning'),
  });
  return planning.addChildren([
    createRoute({
      getParentRoute: () => planning,
      path: '/planning',
      beforeLoad: requirePermission('planning:read'),
      validateSearch: planningSearch,
    }).lazy(() => import('./PlanPage').then((m) => m.Route)),
    createRoute({
      getParentRoute: () => planning,
      path: '/planning/utilisation',
      beforeLoad: requirePermission('planning:manage'),
      validateSearch: planningSearch,
    }).lazy(() => import('./UtilisationPage').then((m) => m.Route)),
    createRoute({
      getParentRoute: () => planning,
      path: '/planning/work',
      beforeLoad: requirePermission('planning:read'),
      validateSearch: tabSearch(WORK_TABS),
    }).lazy(() => import('./WorkPage').then((m) => m.Route)),
    createRoute({
      getParentRoute: () => planning,
      path: '/planning/calendar',
      beforeLoad: requirePermission('planning:read'),
      validateSearch: tabSearch(CALENDAR_TABS),
    }).lazy(() => import('./CalendarPage').then((m) => m.Route)),
    createRoute({
      getParentRoute: () => planning,
      path: '/planning/import',
      beforeLoad: requirePermission('planning:manage'),
    }).lazy(() => import('./ImportPage').then((m) => m.Route)),
  ]);
}

export const planningFeature = {
  module: 'planning',
  routes,
  nav: [
    { to: '/planning', label: 'nav.plan', permission: 'planning:read', icon: IconLayoutGrid, group: 'me' },
    {
      to: '/planning/utilisation',
      label: 'nav.utilisation',
      permission: 'planning:manage',
      icon: IconCalendarStats,
      group: 'team',
    },
    {
      to: '/planning/work',
      label: 'nav.deliverables',
      permission: 'planning:read',
      icon: IconFlag,
      group: 'team',
    },
    {
      to: '/planning/calendar',
      label: 'nav.timeOffAndHolidays',
      permission: 'planning:read',
      icon: IconCalendarOff,
      group: 'team',
    },
    {
      to: '/planning/import',
      label: 'nav.planningImport',
      permission: 'planning:manage',
      icon: IconFileImport,
      group: 'admin',
    },
  ],
} satisfies Feature;
