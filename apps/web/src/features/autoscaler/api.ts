import type {
  TAutoscalerEvent,
  TCluster,
  TClusterCreate,
  TClusterFaults,
  TClusterSimulatorState,
  TClusterUpdate,
  TSampleSeries,
} from '@clockpilot/contracts/autoscaler';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/auth';
import { usePagedList } from '../../app/list';

export const CLUSTERS_PATH = '/api/v1/autoscaler/clusters';
const clusterPath = (id: string) => `${CLUSTERS_PATH}/${encodeURIComponent(id)}`;

/** How often the dashboard asks for new samples and events while no live stream is open. */
export const POLL_MS = 3000;

/** Changes the decision timeline shows at most. */
export const RECENT_EVENTS = 20;

export const clusterKeys = {
  all: ['autoscaler', 'clusters'] as const,
  one: (id: string) => ['autoscaler', 'cluster', id] as const,
  samples: (id: string) => ['autoscaler', 'cluster', id, 'samples'] as const,
  events: (id: string) => ['autoscaler', 'cluster', id, 'events'] as const,
  simulator: (id: string) => ['autoscaler', 'cluster', id, 'simulator'] as const,
};

export function useCluster(id: string, pollMs: number | false) {
  return useQuery({
    queryKey: clusterKeys.one(id),
    queryFn: ({ signal }) => api<TCluster>('GET', clusterPath(id), { signal }),
    refetchInterval: pollMs,
  });
}

/** The last `minutes` of raw samples, refreshed every `pollMs` (false: only when asked). */
export function useSamples(id: string, pollMs: number | false, minutes = 30) {
  return useQuery({
    queryKey: clusterKeys.samples(id),
    queryFn: ({ signal }) =>
      api<TSampleSeries>('GET', `${clusterPath(id)}/samples`, {
        query: { from: new Date(Date.now() - minutes * 60_000).toISOString(), resolution: 'raw' },
        signal,
      }),
    refetchInterval: pollMs,
  });
}

/** The newest decisions for the timeline (the events table pages further back). */
export function useRecentEvents(id: string, pollMs: number | false) {
  return useQuery({
    queryKey: [...clusterKeys.events(id), 'recent'],
    queryFn: ({ signal }) =>
      api<{ items: TAutoscalerEvent[] }>('GET', `${clusterPath(id)}/events`, {
        query: { limit: RECENT_EVENTS, changesOnly: 'true' },
        signal,
      }),
    refetchInterval: pollMs,
  });
}

export function useEventPages(id: string, changesOnly: boolean) {
  return usePagedList<TAutoscalerEvent>({
    queryKey: clusterKeys.events(id),
    path: `${clusterPath(id)}/events`,
    params: { changesOnly: changesOnly ? 'true' : undefined },
    limit: 25,
  });
}

export function useSimulatorState(id: string, pollMs: number | false) {
  return useQuery({
    queryKey: clusterKeys.simulator(id),
    queryFn: ({ signal }) => api<TClusterSimulatorState>('GET', `${clusterPath(id)}/simulator`, { signal }),
    refetchInterval: pollMs,
    retry: false,
  });
}

/** Creates (no id) or changes a cluster; the list and the cluster's own query see the answer. */
export function useSaveCluster() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: TClusterCreate | TClusterUpdate }) =>
      id ? api<TCluster>('PATCH', clusterPath(id), { body }) : api<TCluster>('POST', CLUSTERS_PATH, { body }),
    onSuccess: (saved) => {
      qc.setQueryData(clusterKeys.one(saved.id), saved);
      void qc.invalidateQueries({ queryKey: clusterKeys.all });
    },
  });
}

export function useDeleteCluster() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>('DELETE', clusterPath(id)),
    onSuccess: () => void qc.invalidateQueries({ queryKey: clusterKeys.all }),
  });
}

export function useFaults(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (faults: TClusterFaults | null) =>
      faults
        ? api<TClusterSimulatorState>('POST', `${clusterPath(id)}/simulator/faults`, { body: faults })
        : api<TClusterSimulatorState>('DELETE', `${clusterPath(id)}/simulator/faults`),
    onSuccess: (state) => qc.setQueryData(clusterKeys.simulator(id), state),
  });
}
