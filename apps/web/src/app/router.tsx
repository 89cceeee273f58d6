import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { auth } from './auth';
import { FEATURES } from './features';
import { AppLayout } from './layout';
import { safeRedirect } from './nav';
import { NotFoundPage, RouteErrorPage } from './pages';

export type RouterContext = { queryClient: QueryClient };

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

const registerRoute = createRoute({ getParentRoute: () => rootRoute, path: '/register' }).lazy(() =>
  import('../features/identity/RegisterPage').then((m) => m.Route),
);

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
export type AppRoute = typeof appRoute;

const routeTree = rootRoute.addChildren([
  loginRoute,
  registerRoute,
  appRoute.addChildren(FEATURES.map((f) => f.routes(appRoute))),
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
