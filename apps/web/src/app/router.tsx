import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { clockStatusQuery } from '../features/time/api';
import { auth } from './auth';
import { requirePermission } from './guards';
import { AppLayout } from './layout';
import { safeRedirect } from './nav';
import { NotFoundPage, RouteErrorPage } from './pages';

/** The directory's tabs, in the order shown (`?tab=teams`). */
const DIRECTORY_TABS = ['people', 'teams', 'clients', 'projects', 'activities'] as const;
type DirectoryTab = (typeof DIRECTORY_TABS)[number];

export type RouterContext = { queryClient: QueryClient };

/** `?week=2026-W48`; anything else means the current week. */
function weekSearch(search: Record<string, unknown>): { week?: string } {
  const week = search.week;
  return {
    week: typeof week === 'string' && /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/.test(week) ? week : undefined,
  };
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (search: Record<string, unknown>): { redirect?: string; sso_error?: string } => ({
    redirect: safeRedirect(search.redirect),
    sso_error: typeof search.sso_error === 'string' ? search.sso_error.slice(0, 200) : undefined,
  }),
}).lazy(() => import('../features/identity/LoginPage').then((m) => m.Route));

/** Every signed-in page lives under this layout; without a session it sends to login, remembering the page. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: '_app',
  beforeLoad: async ({ location }) => {
    await auth.ready();
    if (auth.getState().status !== 'signed-in') {
      throw redirect({ to: '/login', search: { redirect: safeRedirect(location.href) } });
    }
  },
  component: AppLayout,
});

const homeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  beforeLoad: requirePermission('time:track'),
  // Not awaited: the status request runs alongside the page's code download.
  loader: ({ context }) => {
    void context.queryClient.prefetchQuery(clockStatusQuery);
  },
}).lazy(() => import('../features/time/HomePage').then((m) => m.Route));

const myTimeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/time',
  beforeLoad: requirePermission('time:track'),
  validateSearch: weekSearch,
}).lazy(() => import('../features/time/MyTimePage').then((m) => m.Route));

const timesheetRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/timesheet',
  beforeLoad: requirePermission('time:track'),
  validateSearch: weekSearch,
}).lazy(() => import('../features/time/TimesheetPage').then((m) => m.Route));

const approvalsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/approvals',
  beforeLoad: requirePermission('time:approve'),
}).lazy(() => import('../features/time/ApprovalsPage').then((m) => m.Route));

const directoryRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/directory',
  beforeLoad: requirePermission('directory:read'),
  validateSearch: (search: Record<string, unknown>): { tab?: DirectoryTab } => ({
    tab: DIRECTORY_TABS.includes(search.tab as DirectoryTab) ? (search.tab as DirectoryTab) : undefined,
  }),
}).lazy(() => import('../features/directory/DirectoryPage').then((m) => m.Route));

const reportsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/reports',
  beforeLoad: requirePermission('reports:read'),
}).lazy(() => import('../features/time/ReportsPage').then((m) => m.Route));

const adminUsersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/users',
  beforeLoad: requirePermission('users:manage'),
}).lazy(() => import('../features/identity/UsersPage').then((m) => m.Route));

const adminAuditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/audit',
  beforeLoad: requirePermission('audit:read'),
}).lazy(() => import('../features/identity/AuditPage').then((m) => m.Route));

const adminTimeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/time',
  beforeLoad: requirePermission('time:lock'),
}).lazy(() => import('../features/time/TimeAdminPage').then((m) => m.Route));

const presenceRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/presence',
  beforeLoad: requirePermission('time:read_team'),
}).lazy(() => import('../features/time/PresencePage').then((m) => m.Route));

const profileRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/profile',
}).lazy(() => import('../features/identity/ProfilePage').then((m) => m.Route));

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([
    homeRoute,
    myTimeRoute,
    timesheetRoute,
    approvalsRoute,
    directoryRoute,
    reportsRoute,
    adminUsersRoute,
    adminAuditRoute,
    adminTimeRoute,
    presenceRoute,
    profileRoute,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    defaultErrorComponent: RouteErrorPage,
    defaultNotFoundComponent: NotFoundPage,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
