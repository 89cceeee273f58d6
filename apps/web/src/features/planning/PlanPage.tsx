import type { TPersonView, TProject } from '@clockpilot/contracts/directory';
import { can } from '@clockpilot/contracts/permissions';
import type { TAssignment } from '@clockpilot/contracts/planning';
import { Button, Drawer, Group, Stack, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { createLazyRoute, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../app/auth';
import { t } from '../../app/i18n';
import { usePagedList } from '../../app/list';
import { RemoteSelect, useNames } from '../../app/remote-select';
import { EmptyState, ErrorState, LoadingState, PageTitle } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { isoWeekOf, shiftWeek, today } from '../time/calendar';
import { planningKeys, planningPath, useUtilisation } from './api';
import { AssignmentForm } from './forms';
import { weekRange } from './grid';
import { PlanGrid, type PlanGroup } from './PlanGrid';
import { RangeNav } from './RangeNav';
import { openRole } from './text';

export const Route = createLazyRoute('/_app/_planning/planning')({ component: PlanPage });

const WEEKS = 8;
const PEOPLE = '/api/v1/people';
const PROJECTS = '/api/v1/projects';

/** Assignments grouped by person (or placeholder), each group with its capacity per shown week. */
export function groupAssignments(
  assignments: readonly TAssignment[],
  names: { people: Map<string, string>; projects: Map<string, string>; deliverables: Map<string, string> },
  capacity: Map<string, number[]>,
  byProject: boolean,
): PlanGroup[] {
  const groups = new Map<string, PlanGroup>();
  for (const a of assignments) {
    const key = a.personId ?? `placeholder:${a.placeholder}`;
    const who = a.personId ? (names.people.get(a.personId) ?? '…') : openRole(a.placeholder);
    const deliverable = a.deliverableId
      ? (names.deliverables.get(a.deliverableId) ?? '…')
      : t('planning.wholeProject');
    const label = byProject ? deliverable : `${names.projects.get(a.projectId) ?? '…'} · ${deliverable}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, label: who, capacity: a.personId ? (capacity.get(a.personId) ?? null) : null, rows: [] };
      groups.set(key, g);
    }
    g.rows.push({ assignment: a, label });
  }
  return [...groups.values()].sort((x, y) => x.label.localeCompare(y.label));
}

export function PlanPage() {
  const me = useMe();
  const canManage = can(me.role, 'planning:manage');
  const search = useSearch({ from: '/_app/_planning/planning' });
  const navigate = useNavigate({ from: '/planning' });
  const current = isoWeekOf(today(me.timeZone));
  const from = search.from ?? current;
  const to = shiftWeek(from, WEEKS - 1);
  const weeks = weekRange(from, WEEKS);
  const project = search.project ?? null;
  const person = search.person ?? null;
  const chosen = !canManage || project !== null || person !== null;
  const [adding, setAdding] = useState(false);

  const list = usePagedList<TAssignment>({
    queryKey: planningKeys.list('assignments'),
    path: planningPath('assignments'),
    params: { projectId: project ?? undefined, personId: person ?? undefined },
    limit: 200,
    enabled: chosen,
  });
  // A person's capacity comes with utilisation: of the project's people, or of the person's team.
  const personRecord = useQuery({
    queryKey: ['lookup', PEOPLE, 'id', person],
    queryFn: ({ signal }) => api<TPersonView>('GET', `${PEOPLE}/${person}`, { signal }),
    enabled: canManage && person !== null,
  });
  const utilisation = useUtilisation({
    from,
    to,
    project,
    team: project ? null : personRecord.data?.teamId,
    enabled: canManage && chosen && (project !== null || personRecord.isSuccess),
  });
  const capacity = new Map<string, number[]>();
  for (const r of utilisation.data?.rows ?? [])
    if (r.kind === 'person' && r.key && r.capacity) capacity.set(r.key, r.capacity);

  const items = list.items;
  const names = {
    people: useNames(
      PEOPLE,
      items.map((a) => a.personId),
    ),
    projects: useNames(
      PROJECTS,
      items.map((a) => a.projectId),
    ),
    deliverables: useNames(
      planningPath('deliverables'),
      items.map((a) => a.deliverableId),
    ),
  };
  const groups = groupAssignments(items, names, capacity, project !== null);
  const setSearch = (patch: Partial<typeof search>) =>
    void navigate({ search: (s: typeof search) => ({ ...s, ...patch }) });

  return (
    <>
      <PageTitle
        actions={
          canManage && (
            <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setAdding(true)}>
              {t('planning.addAssignment')}
            </Button>
          )
        }
      >
        {t(canManage ? 'planning.plan' : 'planning.myPlan')}
      </PageTitle>
      <Stack gap="sm">
        <Group gap="sm" wrap="wrap" align="flex-end">
          {canManage && (
            <>
              <RemoteSelect<TProject>
                label={t('planning.project')}
                placeholder={t('planning.anyProject')}
                clearable
                path={PROJECTS}
                getLabel={(p) => `${p.code} · ${p.name}`}
                value={project}
                onChange={(id) => setSearch({ project: id ?? undefined })}
                w={{ base: '100%', xs: 260 }}
              />
              <RemoteSelect<TPersonView>
                label={t('planning.person')}
                placeholder={t('planning.anyone')}
                clearable
                path={PEOPLE}
                getLabel={(p) => p.name}
                value={person}
                onChange={(id) => setSearch({ person: id ?? undefined })}
                w={{ base: '100%', xs: 220 }}
              />
            </>
          )}
          <RangeNav from={from} count={WEEKS} current={current} onChange={(f) => setSearch({ from: f })} />
        </Group>
        {!chosen ? (
          <EmptyState title={t('planning.pick')}>{t('planning.pickHint')}</EmptyState>
        ) : list.isPending ? (
          <LoadingState />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={list.refetch} />
        ) : groups.length === 0 ? (
          <EmptyState title={t('planning.noAssignmentsYet')}>
            {t(canManage ? 'planning.noAssignmentsManage' : 'planning.noAssignmentsMine')}
          </EmptyState>
        ) : (
          <>
            {canManage && (
              <Text size="sm" c="dimmed">
                {t('planning.gridHelp')} {!person && t('planning.gridTotalsHelp')}
              </Text>
            )}
            <PlanGrid groups={groups} weeks={weeks} canEdit={canManage} />
            {list.hasMore && (
              <Button variant="light" onClick={list.loadMore} loading={list.isLoadingMore}>
                {t('planning.loadMoreAssignments')}
              </Button>
            )}
          </>
        )}
      </Stack>
      <Drawer
        opened={adding}
        onClose={() => setAdding(false)}
        title={t('planning.assignment.new')}
        position="right"
        size="lg"
      >
        {adding && (
          <AssignmentForm
            projectId={project}
            onCancel={() => setAdding(false)}
            onDone={() => setAdding(false)}
          />
        )}
      </Drawer>
    </>
  );
}
