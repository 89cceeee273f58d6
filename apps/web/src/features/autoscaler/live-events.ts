import type { TAutoscalerEvent } from '@clockpilot/contracts/autoscaler';
import type { TPage } from '@clockpilot/contracts/common';
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { clusterKeys, RECENT_EVENTS } from './api';

type Loaded = { items: TAutoscalerEvent[] } | InfiniteData<TPage<TAutoscalerEvent>>;

/**
 * Puts an event the stream delivered into the cluster's loaded event lists (the timeline's and the
 * table's), newest first and once, instead of reading them again: a changes-only list takes only a
 * change. Lists not loaded yet read it themselves.
 */
export function addEvent(qc: QueryClient, clusterId: string, event: TAutoscalerEvent) {
  const isChange = event.appliedServers !== event.previousServers;
  const withEvent = (items: TAutoscalerEvent[]) =>
    items.some((e) => e.id === event.id) ? items : [event, ...items];
  for (const [key, data] of qc.getQueriesData<Loaded>({ queryKey: clusterKeys.events(clusterId) })) {
    const filter = key[key.length - 1];
    const changesOnly =
      filter === 'recent' || (typeof filter === 'object' && filter !== null && 'changesOnly' in filter);
    if (!data || (changesOnly && !isChange)) continue;
    if ('pages' in data) {
      const [first, ...rest] = data.pages;
      if (first)
        qc.setQueryData(key, { ...data, pages: [{ ...first, items: withEvent(first.items) }, ...rest] });
    } else qc.setQueryData(key, { ...data, items: withEvent(data.items).slice(0, RECENT_EVENTS) });
  }
}
