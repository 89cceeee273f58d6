import type {
  TAssignment,
  TDeliverable,
  TDeliverableUpdated,
  THoliday,
  TReallocationUndone,
  TTimeOff,
  TUtilisation,
  TWeeklyHours,
} from '@clockpilot/contracts/planning';
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import { api } from '../../app/auth';

const BASE = '/api/v1/planning';

/** The planning resources with create/read/update/delete, their endpoints and what they hold. */
export type PlanningItems = {
  deliverables: TDeliverable;
  assignments: TAssignment;
  'time-off': TTimeOff;
  holidays: THoliday;
};
export type PlanningResource = keyof PlanningItems;
export const planningPath = (r: PlanningResource) => `${BASE}/${r}`;

export const planningKeys = {
  all: ['planning'] as const,
  list: (r: PlanningResource) => ['planning', r] as const,
  hours: (id: string, from: string, to: string) => ['planning', 'hours', id, from, to] as const,
  utilisation: ['planning', 'utilisation'] as const,
};

/** Every planning write can change hours, capacity or utilisation: refresh all of it. */
function useInvalidatePlanning() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: planningKeys.all });
}

/** What a save answers: a deliverable's PATCH adds its reallocation. */
type Saved<R extends PlanningResource> = R extends 'deliverables' ? TDeliverableUpdated : PlanningItems[R];

/** Create (no id) or update (PATCH) an item. */
export function useSavePlanning<R extends PlanningResource>(resource: R) {
  const invalidate = useInvalidatePlanning();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: unknown }) =>
      api<Saved<R>>(id ? 'PATCH' : 'POST', id ? `${planningPath(resource)}/${id}` : planningPath(resource), {
        body,
      }),
    onSuccess: invalidate,
  });
}

export function useDeletePlanning(resource: PlanningResource) {
  const invalidate = useInvalidatePlanning();
  return useMutation({
    mutationFn: (id: string) => api<void>('DELETE', `${planningPath(resource)}/${id}`),
    onSuccess: invalidate,
  });
}

/** Restores the hours of a deliverable's last reallocation (and its old due date with `revertDate`). */
export function useUndoReallocation() {
  const invalidate = useInvalidatePlanning();
  return useMutation({
    mutationFn: ({ id, revertDate, force }: { id: string; revertDate: boolean; force?: boolean }) =>
      api<TReallocationUndone>('POST', `${BASE}/deliverables/${id}/reallocation/undo`, {
        body: { revertDate, force: force ?? false },
      }),
    onSuccess: invalidate,
  });
}

export function useUtilisation(params: {
  from: string;
  to: string;
  team?: string | null;
  project?: string | null;
  groupBy?: TUtilisation['groupBy'];
  enabled?: boolean;
}) {
  const query = {
    from: params.from,
    to: params.to,
    team: params.team ?? undefined,
    project: params.project ?? undefined,
    groupBy: params.groupBy,
  };
  return useQuery({
    queryKey: [...planningKeys.utilisation, query],
    queryFn: ({ signal }) => api<TUtilisation>('GET', `${BASE}/utilisation`, { query, signal }),
    placeholderData: keepPreviousData,
    enabled: params.enabled ?? true,
  });
}

/** One assignment's hours, week → hours, with the version a write must name. */
export type HoursRow = { version: number; hours: Map<string, number> };

/**
 * The weekly hours of several assignments over [from, to], one request each, and a `save` that
 * writes changed weeks of one assignment. Saves of the same assignment run one after another, each
 * with the version the previous one returned, so quick typing across a row never races itself.
 */
export function useHoursGrid(ids: readonly string[], from: string, to: string) {
  const qc = useQueryClient();
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: planningKeys.hours(id, from, to),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api<TWeeklyHours>('GET', `${BASE}/assignments/${id}/hours`, { query: { from, to }, signal }),
    })),
  });
  const rows = new Map<string, HoursRow>();
  ids.forEach((id, i) => {
    const data = results[i]?.data;
    if (data)
      rows.set(id, { version: data.version, hours: new Map(data.items.map((x) => [x.week, x.hours])) });
  });
  const queue = useRef(new Map<string, Promise<unknown>>());
  const save = useCallback(
    (id: string, items: { week: string; hours: number }[]): Promise<TWeeklyHours> => {
      const key = planningKeys.hours(id, from, to);
      const run = async () => {
        const current = qc.getQueryData<TWeeklyHours>(key);
        const saved = await api<TWeeklyHours>('PUT', `${BASE}/assignments/${id}/hours`, {
          body: { version: current?.version, items },
        });
        // The PUT answers with the weeks of its own items only: merge them into the shown range.
        qc.setQueryData<TWeeklyHours>(key, (old) => {
          const merged = new Map((old?.items ?? []).map((x) => [x.week, x.hours]));
          for (const x of items) merged.set(x.week, x.hours);
          return {
            assignmentId: id,
            from,
            to,
            version: saved.version,
            items: [...merged].filter(([, h]) => h > 0).map(([week, hours]) => ({ week, hours })),
          };
        });
        void qc.invalidateQueries({ queryKey: planningKeys.utilisation });
        return saved;
      };
      const next = (queue.current.get(id) ?? Promise.resolve()).catch(() => undefined).then(run);
      queue.current.set(id, next);
      return next;
    },
    [qc, from, to],
  );
  const reload = (id: string) => qc.invalidateQueries({ queryKey: planningKeys.hours(id, from, to) });
  return {
    rows,
    isPending: results.some((r) => r.isPending),
    error: results.find((r) => r.isError)?.error,
    save,
    reload,
  };
}
