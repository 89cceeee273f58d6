import type { TPage } from '@clockpilot/contracts/common';
import type { TActivity, TProject } from '@clockpilot/contracts/directory';
import type {
  TApprovalQuery,
  TBulkApproveResult,
  TClockInBody,
  TClockStatus,
  TCopyWeekResult,
  TReturnedWeeks,
  TTimeEntry,
  TTimeEntryCreate,
  TTimeEntryUpdate,
  TTimeLock,
  TTimeLockCreate,
  TTimeLockList,
  TTimeSettings,
  TTimeSettingsBody,
  TTimesheet,
  TTimesheetGridBody,
  TTimesheetSummary,
} from '@clockpilot/contracts/time';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/auth';

/** The time module's endpoints, in one place. */
export const TIME = {
  status: '/api/v1/time/status',
  clockIn: '/api/v1/time/clock-in',
  clockOut: '/api/v1/time/clock-out',
  breakStart: '/api/v1/time/break/start',
  breakEnd: '/api/v1/time/break/end',
  entries: '/api/v1/time/entries',
  entry: (id: string) => `/api/v1/time/entries/${id}`,
  timesheet: '/api/v1/time/timesheets',
  submit: '/api/v1/time/timesheets/submit',
  withdraw: '/api/v1/time/timesheets/withdraw',
  copyPrevious: '/api/v1/time/timesheets/copy-previous',
  grid: '/api/v1/time/timesheets/grid',
  returned: '/api/v1/time/timesheets/returned',
  approve: '/api/v1/time/timesheets/approve',
  reject: '/api/v1/time/timesheets/reject',
  approvals: '/api/v1/time/approvals',
  bulkApprove: '/api/v1/time/approvals/approve',
  locks: '/api/v1/time/locks',
  lock: (id: string) => `/api/v1/time/locks/${id}`,
  settings: '/api/v1/time/settings',
} as const;

export const timeKeys = {
  all: ['time'] as const,
  status: ['time', 'status'] as const,
  entries: (from: string, to: string) => ['time', 'entries', from, to] as const,
  timesheet: (week: string | undefined, person?: string) =>
    ['time', 'timesheet', person ?? 'me', week ?? 'current'] as const,
  approvals: (q: Partial<TApprovalQuery>) => ['time', 'approvals', q] as const,
  locks: ['time', 'locks'] as const,
  settings: ['time', 'settings'] as const,
};

/** Also used by the home route's loader, so the status is fetched while the page's code loads. */
export const clockStatusQuery = {
  queryKey: timeKeys.status,
  queryFn: ({ signal }: { signal?: AbortSignal }) => api<TClockStatus>('GET', TIME.status, { signal }),
};

export function useClockStatus() {
  return useQuery({ ...clockStatusQuery, refetchInterval: 60_000 });
}

export type ClockAction = 'in' | 'out' | 'breakStart' | 'breakEnd';
const ACTION_PATH: Record<ClockAction, string> = {
  in: TIME.clockIn,
  out: TIME.clockOut,
  breakStart: TIME.breakStart,
  breakEnd: TIME.breakEnd,
};

export function useClockAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: { action: ClockAction; body?: TClockInBody }) =>
      api<TClockStatus>('POST', ACTION_PATH[action], { body: body ?? {} }),
    onSuccess: (status) => {
      if (status && typeof status === 'object' && 'state' in status) qc.setQueryData(timeKeys.status, status);
      void qc.invalidateQueries({ queryKey: timeKeys.all });
    },
  });
}

export async function fetchAllEntries(from: string, to: string, signal?: AbortSignal): Promise<TTimeEntry[]> {
  const items: TTimeEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<TPage<TTimeEntry>>('GET', TIME.entries, {
      query: { from, to, limit: 200, cursor },
      signal,
    });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

export function useEntries(from: string, to: string) {
  return useQuery({
    queryKey: timeKeys.entries(from, to),
    queryFn: ({ signal }) => fetchAllEntries(from, to, signal),
  });
}

export function useSaveEntry() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: TTimeEntryCreate | TTimeEntryUpdate }) =>
      id
        ? api<TTimeEntry>('PATCH', TIME.entry(id), { body })
        : api<TTimeEntry>('POST', TIME.entries, { body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: timeKeys.all }),
  });
}

export function useDeleteEntry() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>('DELETE', TIME.entry(id)),
    onSuccess: () => qc.invalidateQueries({ queryKey: timeKeys.all }),
  });
}

export function useTimesheet(week: string | undefined, person?: string, opts: { enabled?: boolean } = {}) {
  return useQuery({
    enabled: opts.enabled ?? true,
    queryKey: timeKeys.timesheet(week, person),
    queryFn: ({ signal }) => api<TTimesheet>('GET', TIME.timesheet, { query: { week, person }, signal }),
  });
}

export function useTimesheetAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      action,
      week,
      person,
      comment,
    }: {
      action: 'submit' | 'withdraw' | 'approve' | 'reject';
      week: string;
      person?: string;
      comment?: string;
    }) => api<TTimesheet>('POST', TIME[action], { body: { week, person, comment } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: timeKeys.all }),
  });
}

/** Copies the week before into `week` on the server, all in one transaction. */
export function useCopyLastWeek() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (week: string) => api<TCopyWeekResult>('POST', TIME.copyPrevious, { body: { week } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: timeKeys.all }),
  });
}

/** The caller's weeks a manager sent back, with the reason. */
export function useReturnedWeeks() {
  return useQuery({
    queryKey: [...timeKeys.all, 'returned'],
    queryFn: ({ signal }) => api<TReturnedWeeks>('GET', TIME.returned, { signal }),
  });
}

/** Saves the changed cells of the weekly grid; the server answers the week as it is afterwards. */
export function useSaveGrid() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TTimesheetGridBody) => api<TTimesheet>('PUT', TIME.grid, { body }),
    onSuccess: (sheet) => {
      // The answer is the saved week: shown at once, so the typed cells do not flash back.
      qc.setQueryData(timeKeys.timesheet(sheet.week), sheet);
      return qc.invalidateQueries({ queryKey: timeKeys.all });
    },
  });
}

export function useApprovals(q: Partial<TApprovalQuery>) {
  return useQuery({
    queryKey: timeKeys.approvals(q),
    queryFn: ({ signal }) =>
      api<TPage<TTimesheetSummary>>('GET', TIME.approvals, { query: { limit: 200, ...q }, signal }),
  });
}

export function useBulkApprove() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) => api<TBulkApproveResult>('POST', TIME.bulkApprove, { body: { ids } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: timeKeys.all }),
  });
}

export function useLocks() {
  return useQuery({
    queryKey: timeKeys.locks,
    queryFn: ({ signal }) => api<TTimeLockList>('GET', TIME.locks, { signal }),
  });
}

export function useLockMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: { create: TTimeLockCreate } | { release: string }) =>
      'create' in a
        ? api<TTimeLock>('POST', TIME.locks, { body: a.create })
        : api<TTimeLock>('DELETE', TIME.lock(a.release)),
    // Locks change what can be edited anywhere in time.
    onSuccess: () => qc.invalidateQueries({ queryKey: timeKeys.all }),
  });
}

export function useTimeSettings(enabled = true) {
  return useQuery({
    queryKey: timeKeys.settings,
    queryFn: ({ signal }) => api<TTimeSettings>('GET', TIME.settings, { signal }),
    enabled,
  });
}

export function useSaveTimeSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TTimeSettingsBody) => api<TTimeSettings>('PUT', TIME.settings, { body }),
    onSuccess: (saved) => qc.setQueryData(timeKeys.settings, saved),
  });
}

/** One active catalog list of the directory for pickers; an empty list when the directory is off. */
function useCatalog<T>(name: 'projects' | 'activities', query: Record<string, string | number>) {
  return useQuery({
    queryKey: ['directory', name, 'active'],
    queryFn: async ({ signal }) =>
      (await api<TPage<T>>('GET', `/api/v1/${name}`, { query: { ...query, limit: 200 }, signal })).items,
    staleTime: 5 * 60_000,
  });
}

/** Active projects for pickers and grid labels. */
export const useProjects = () => useCatalog<TProject>('projects', { status: 'active' });

/** Active activities: the global ones and those of each project (pickers filter by project). */
export const useActivities = () => useCatalog<TActivity>('activities', { active: 'true' });
