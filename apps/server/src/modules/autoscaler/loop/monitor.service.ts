import type { TEventListQuery, TSampleQuery } from '@clockpilot/contracts';
import type { Principal } from '../../../platform/auth';
import type { AppContext } from '../../../platform/context';
import { notFound } from '../../../platform/errors';
import { clustersRepo } from '../clusters/clusters.repo';
import type { MetricsStore } from '../metrics/store';
import type { Loop } from './loop.service';

/** What the owner of a cluster reads of its history: samples and decisions. */
export function createMonitorService(ctx: AppContext, store: MetricsStore, loop: Loop) {
  const owned = async (principal: Principal, id: string) => {
    if (!(await clustersRepo.owned(ctx.db, principal.userId, id))) throw notFound('Cluster');
  };
  return {
    async samples(principal: Principal, id: string, q: TSampleQuery) {
      await owned(principal, id);
      return store.read(id, q, ctx.clock.now());
    },
    async events(principal: Principal, id: string, q: TEventListQuery) {
      await owned(principal, id);
      return loop.events(id, q);
    },
  };
}
