import { IconHistory, IconUsers } from '@tabler/icons-react';
import { createRoute } from '@tanstack/react-router';
import type { Feature } from '../../app/features';
import { requirePermission } from '../../app/guards';
import { requireModule } from '../../app/modules';
import type { AppRoute } from '../../app/router';

function routes(app: AppRoute) {
  const identity = createRoute({
    getParentRoute: () => app,
    id: '_identity',
    beforeLoad: requireModule('identity'),
  });
  return identity.addChildren([
    createRoute({
      getParentRoute: () => identity,
      path: '/profile',
    }).lazy(() => import('./ProfilePage').then((m) => m.Route)),
    createRoute({
      getParentRoute: () => identity,
      path: '/admin/users',
      beforeLoad: requirePermission('users:manage'),
    }).lazy(() => import('./UsersPage').then((m) => m.Route)),
    createRoute({
      getParentRoute: () => identity,
      path: '/admin/audit',
      beforeLoad: requirePermission('audit:read'),
    }).lazy(() => import('./AuditPage').then((m) => m.Route)),
  ]);
}

export const identityFeature = {
  module: 'identity',
  routes,
  nav: [
    { to: '/admin/users', label: 'nav.users', permission: 'users:manage', icon: IconUsers, group: 'admin' },
    {
      to: '/admin/audit',
      label: 'nav.auditLog',
      permission: 'audit:read',
      icon: IconHistory,
      group: 'admin',
    },
  ],
} satisfies Feature;
