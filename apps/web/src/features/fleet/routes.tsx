import {
  IconCalendarEvent,
  IconCar,
  IconChartBar,
  IconId,
  IconSteeringWheel,
  IconTimeline,
} from '@tabler/icons-react';
import { createRoute } from '@tanstack/react-router';
import type { Feature } from '../../app/features';
import { requirePermission } from '../../app/guards';
import { requireModule } from '../../app/modules';
import type { AppRoute } from '../../app/router';

function routes(app: AppRoute) {
  const fleet = createRoute({ getParentRoute: () => app, id: '_fleet', beforeLoad: requireModule('fleet') });
  const book = requirePermission('fleet:book');
  return fleet.addChildren([
    createRoute({ getParentRoute: () => fleet, path: '/fleet', beforeLoad: book }).lazy(() =>
      import('./SearchPage').then((m) => m.Route),
    ),
    createRoute({ getParentRoute: () => fleet, path: '/fleet/bookings', beforeLoad: book }).lazy(() =>
      import('./BookingsPage').then((m) => m.Route),
    ),
    createRoute({ getParentRoute: () => fleet, path: '/fleet/bookings/$bookingId', beforeLoad: book }).lazy(
      () => import('./BookingPage').then((m) => m.Route),
    ),
    createRoute({ getParentRoute: () => fleet, path: '/fleet/vehicles', beforeLoad: book }).lazy(() =>
      import('./VehiclesPage').then((m) => m.Route),
    ),
    createRoute({
      getParentRoute: () => fleet,
      path: '/fleet/vehicles/$vehicleId',
      beforeLoad: requirePermission('fleet:manage'),
    }).lazy(() => import('./VehiclePage').then((m) => m.Route)),
    createRoute({
      getParentRoute: () => fleet,
      path: '/fleet/dashboard',
      beforeLoad: requirePermission('fleet:manage'),
    }).lazy(() => import('./DashboardPage').then((m) => m.Route)),
    createRoute({
      getParentRoute: () => fleet,
      path: '/fleet/timeline',
      beforeLoad: requirePermission('fleet:manage'),
    }).lazy(() => import('./TimelinePage').then((m) => m.Route)),
    createRoute({ getParentRoute: () => fleet, path: '/fleet/verification', beforeLoad: book }).lazy(() =>
      import('./VerificationPage').then((m) => m.Route),
    ),
    createRoute({
      getParentRoute: () => fleet,
      path: '/fleet/verification/local/$inquiryId',
      beforeLoad: book,
    }).lazy(() => import('./VerificationPage').then((m) => m.LocalRoute)),
  ]);
}

export const fleetFeature = {
  module: 'fleet',
  routes,
  nav: [
    {
      to: '/fleet',
      label: 'nav.bookAVehicle',
      permission: 'fleet:book',
      icon: IconSteeringWheel,
      group: 'me',
    },
    {
      to: '/fleet/bookings',
      label: 'nav.bookings',
      permission: 'fleet:book',
      icon: IconCalendarEvent,
      group: 'me',
    },
    {
      to: '/fleet/verification',
      label: 'nav.identityCheck',
      permission: 'fleet:book',
      icon: IconId,
      group: 'me',
    },
    { to: '/fleet/vehicles', label: 'nav.vehicles', permission: 'fleet:book', icon: IconCar, group: 'me' },
    {
      to: '/fleet/dashboard',
      label: 'nav.fleetDashboard',
      permission: 'fleet:manage',
      icon: IconChartBar,
      group: 'team',
    },
    {
      to: '/fleet/timeline',
      label: 'nav.fleetTimeline',
      permission: 'fleet:manage',
      icon: IconTimeline,
      group: 'team',
    },
  ],
} satisfies Feature;
