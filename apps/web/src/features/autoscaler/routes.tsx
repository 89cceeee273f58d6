import { IconChartHistogram, IconChartLine } from '@tabler/icons-react';
import { createRoute } from '@tanstack/react-router';
import type { Feature } from '../../app/features';
import { requireModule } from '../../app/modules';
import type { AppRoute } from '../../app/router';

function routes(app: AppRoute) {
  const autoscaler = createRoute({
    getParentRoute: () => app,
    id: '_autoscaler',
    beforeLoad: requireModule('autoscaler'),
  });
  return autoscaler.addChildren([
    createRoute({ getParentRoute: () => autoscaler, path: '/autoscaler' }).lazy(() =>
      import('./ClustersPage').then((m) => m.Route),
    ),
    createRoute({ getParentRoute: () => autoscaler, path: '/autoscaler/evaluate' }).lazy(() =>
      import('./EvaluationPage').then((m) => m.Route),
    ),
    createRoute({ getParentRoute: () => autoscaler, path: '/autoscaler/$clusterId' }).lazy(() =>
      import('./ClusterPage').then((m) => m.Route),
    ),
  ]);
}

/** Every signed-in user may own clusters, so the entry needs no permission. */
export const autoscalerFeature = {
  module: 'autoscaler',
  routes,
  nav: [
    { to: '/autoscaler', label: 'nav.autoscaler', permission: null, icon: IconChartLine, group: 'me' },
    {
      to: '/autoscaler/evaluate',
      label: 'nav.autoscalerEvaluation',
      permission: null,
      icon: IconChartHistogram,
      group: 'me',
    },
  ],
} satisfies Feature;
