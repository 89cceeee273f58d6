import type { TActivity, TClient, TPersonView, TProject, TTeam } from '@clockpilot/contracts/directory';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/auth';
import { useNames as useNamesAt } from '../../app/remote-select';

/** The five directory resources, their endpoints and what they hold. */
export type DirectoryItems = {
  people: TPersonView;
  teams: TTeam;
  clients: TClient;
  projects: TProject;
  activities: TActivity;
};
export type DirectoryResource = keyof DirectoryItems;

export const DIRECTORY_PATH: Record<DirectoryResource, string> = {
  people: '/api/v1/people',
  teams: '/api/v1/teams',
  clients: '/api/v1/clients',
  projects: '/api/v1/projects',
  activities: '/api/v1/activities',
};

export const directoryKeys = {
  all: ['directory'] as const,
  list: (resource: DirectoryResource) => ['directory', resource] as const,
};

/** Refreshes every directory list and every picker fed from the directory. */
function useInvalidateDirectory() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: directoryKeys.all }),
      qc.invalidateQueries({ queryKey: ['lookup'] }),
    ]);
}

/** Create (no id) or update (PATCH) an item of a resource. */
export function useSaveItem<R extends DirectoryResource>(resource: R) {
  const invalidate = useInvalidateDirectory();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: unknown }) =>
      id
        ? api<DirectoryItems[R]>('PATCH', `${DIRECTORY_PATH[resource]}/${id}`, { body })
        : api<DirectoryItems[R]>('POST', DIRECTORY_PATH[resource], { body }),
    onSuccess: invalidate,
  });
}

/** Archives (DELETE) an item; nothing in the directory is hard-deleted. */
export function useArchiveItem<R extends DirectoryResource>(resource: R) {
  const invalidate = useInvalidateDirectory();
  return useMutation({
    mutationFn: (id: string) => api<DirectoryItems[R]>('DELETE', `${DIRECTORY_PATH[resource]}/${id}`),
    onSuccess: invalidate,
  });
}

/** Adds or removes a team's member or manager. */
export function useTeamPerson() {
  const invalidate = useInvalidateDirectory();
  return useMutation({
    mutationFn: ({
      teamId,
      personId,
      role,
      action,
    }: {
      teamId: string;
      personId: string;
      role: 'members' | 'managers';
      action: 'add' | 'remove';
    }) =>
      action === 'add'
        ? api<unknown>('POST', `${DIRECTORY_PATH.teams}/${teamId}/${role}`, { body: { personId } })
        : api<unknown>('DELETE', `${DIRECTORY_PATH.teams}/${teamId}/${role}/${personId}`),
    onSuccess: invalidate,
  });
}

/** Whether an item is archived, whichever way its resource says so. */
export function isArchived(item: { active?: boolean; status?: string }): boolean {
  return item.status !== undefined ? item.status === 'archived' : item.active === false;
}

/** Names of directory items by id (the teams or clients shown beside rows). */
export function useNames(resource: DirectoryResource, ids: readonly (string | null)[]): Map<string, string> {
  return useNamesAt(DIRECTORY_PATH[resource], ids);
}
