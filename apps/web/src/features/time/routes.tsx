import {
  IconChecklist,
  IconClock,
  IconHome,
  IconListDetails,
  IconReportAnalytics,
  IconSettings,
  IconUserCheck,
} from '@tabler/icons-react';
import { createRoute } from '@tanstack/react-router';
import { lazy } from 'react';
import type { Feature } from '../../app/features';
import { requirePermission } from '../../app/guards';
import { requireModule } from '../../app/modules';
import type { AppRoute } from '../../app/router';
import { clockStatusQuery } from './api';
import { timeProblems } from './problems';

/** `?week=2026-W48`; anything else means the current week. */
function weekSearch(search: Record<string, unknown>): { week?: string } {
  const week = search.week;
  return {
    week: typeof week === 'string' && /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/.test(week) ? week : undefined,
  };
}

/**
 * My time: the week, `?view=calendar` for the calendar instead of the list, and `?new=true` to open the
 * new-entry form at once (the `n` shortcut).
 */
function myTimeSearch(search: Record<string, unknown>): { week?: string; view?: 'calendar'; new?: boolean } {
  return {
    ...weekSearch(search),
    view: search.view === 'calendar' ? 'calendar' : undefined,
    new: search.new === true || search.new === 'true' ? true : undefined,
  };
}

function routes(app: AppRoute) {
  const time = createRoute({ getParentRoute: () => app, id: '_time', beforeLoad: requireModule('time') });
  return time.addChildren([
    createRoute({
      getParentRoute: () => time,
      path: '/',
      beforeLoad: requirePermission('time:track'),
      // Not awaited: the status request runs alongside the page's code download.
      loader: ({ context }) => {
        void context.queryClient.prefetchQuery(clockStatusQuery);
      },
    }).lazy(() => import('./HomePage').then((m) => m.Route)),
    createRoute({
      getParentRoute: () => time,
      path: '/time',
      beforeLoad: requirePermission('time:track'),
      validateSearch: myTimeSearch,
    }).lazy(() => import('./MyTimePage').then((m) => m.Route)),
    createRoute({
      getParentRoute: () => time,
      path: '/timesheet',
      beforeLoad: requirePermission('time:track'),
      validateSearch: weekSearch,
    }).lazy(() => import('./TimesheetPage').then((m) => m.Route)),
    createRoute({
      getParentRoute: () => time,
      path: '/approvals',
      beforeLoad: requirePermission('time:approve'),
    }).lazy(() => import('./ApprovalsPage').then((m) => m.Route)),
    createRoute({
      getParentRoute: () => time,
      path: '/presence',
      beforeLoad: requirePermission('time:read_team'),
    }).lazy(() => import('./PresencePage').then((m) => m.Route)),
    createRoute({
      getParentRoute: () => time,
      path: '/reports',
      beforeLoad: requirePermission('reports:read'),
    }).lazy(() => import('./ReportsPage').then((m) => m.Route)),
    createRoute({
      getParentRoute: () => time,
      path: '/admin/time',
      beforeLoad: requirePermission('time:lock'),
    }).lazy(() => import('./TimeAdminPage').then((m) => m.Route)),
  ]);
}

export const timeFeature = {
  module: 'time',
  routes,
  Shell: lazy(() => import('./TimeShortcuts').then((m) => ({ default: m.TimeShortcuts }))),
  problems: timeProblems,
  nav: [
    { to: '/', label: 'nav.home', permission: 'time:track', icon: IconHome, group: 'me' },
    { to: '/time', label: 'nav.myTime', permission: 'time:track', icon: IconClock, group: 'me' },
    {
      to: '/timesheet',
      label: 'nav.timesheet',
      permission: 'time:track',
      icon: IconListDetails,
      group: 'me',
    },
    {
      to: '/approvals',
      label: 'nav.approvals',
      permission: 'time:approve',
      icon: IconChecklist,
      group: 'team',
    },
    {
      to: '/presence',
      label: 'nav.presence',
      permission: 'time:read_team',
      icon: IconUserCheck,
      group: 'team',
    },
    {
      to: '/reports',
      label: 'nav.reports',
      permission: 'reports:read',
      icon: IconReportAnalytics,
      group: 'team',
    },
    {
      to: '/admin/time',
      label: 'nav.timeRulesAndLocks',
      permission: 'time:lock',
      icon: IconSettings,
      group: 'admin',
    },
  ],
} satisfies Feature;
