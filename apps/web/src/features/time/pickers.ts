import type { TActivity } from '@clockpilot/contracts/directory';
import { useActivities, useProjects } from './api';

/** Activities offered for a project: its own and the global ones, by name. */
export function activitiesFor(activities: TActivity[], projectId: string | null): TActivity[] {
  return activities
    .filter((a) => a.projectId === null || a.projectId === projectId)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Select options for the project and activity pickers of an entry or a running timer. */
export function useWorkPickers() {
  const projects = useProjects();
  const activities = useActivities();
  const list = activities.data ?? [];
  return {
    loading: projects.isPending || activities.isPending,
    projectOptions: (projects.data ?? []).map((p) => ({ value: p.id, label: `${p.code} · ${p.name}` })),
    activityOptions: (projectId: string | null) =>
      activitiesFor(list, projectId).map((a) => ({ value: a.id, label: a.name })),
    /** Whether an activity may stay chosen when the project changes. */
    fits: (activityId: string | null, project: string | null) =>
      activityId === null || activitiesFor(list, project).some((a) => a.id === activityId),
  };
}
