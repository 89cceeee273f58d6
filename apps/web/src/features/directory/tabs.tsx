import {
  ACTIVITY_SORTS,
  CLIENT_SORTS,
  PERSON_SORTS,
  PROJECT_SORTS,
  type TActivity,
  type TClient,
  TEAM_SORTS,
  type TPersonView,
  type TProject,
  type TTeam,
} from '@clockpilot/contracts/directory';
import { Badge, ColorSwatch, Group, Text } from '@mantine/core';
import type { ComponentType } from 'react';
import type { Column } from '../../app/data-table';
import { instantDate } from '../../app/format';
import type { QueryValue } from '../../app/list';
import { type DirectoryItems, type DirectoryResource, isArchived } from './api';
import { ActivityForm, ClientForm, type FormProps, PersonForm, ProjectForm, TeamForm } from './forms';

export type Names = { teams?: Map<string, string>; clients?: Map<string, string> };

/** What differs between the five tabs; everything else is the one ResourceTab below. */
export type TabDef<R extends DirectoryResource> = {
  resource: R;
  label: string;
  noun: string;
  sorts: readonly string[];
  columns: (names: Names) => Column<DirectoryItems[R]>[];
  /** The filter that hides archived items. */
  activeFilter: Record<string, QueryValue>;
  restoreBody: Record<string, unknown>;
  Form: ComponentType<FormProps<DirectoryItems[R]>>;
  emptyHint: string;
};

const dash = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v);

const ArchivedBadge = ({ item }: { item: { active?: boolean; status?: string } }) =>
  isArchived(item) ? (
    <Badge size="xs" color="gray" variant="light" ml={6}>
      archived
    </Badge>
  ) : null;

export const TABS: { [R in DirectoryResource]: TabDef<R> } = {
  people: {
    resource: 'people',
    label: 'People',
    noun: 'person',
    sorts: PERSON_SORTS,
    columns: (names) => [
      {
        key: 'name',
        header: 'Name',
        sortKey: 'name',
        render: (p: TPersonView) => (
          <>
            <Text size="sm" fw={500} span>
              {p.name}
            </Text>
            <ArchivedBadge item={p} />
            {p.title && (
              <Text size="xs" c="dimmed">
                {p.title}
              </Text>
            )}
          </>
        ),
      },
      { key: 'email', header: 'Email', sortKey: 'email', render: (p: TPersonView) => dash(p.email) },
      {
        key: 'department',
        header: 'Department',
        sortKey: 'department',
        render: (p: TPersonView) => dash(p.department),
      },
      {
        key: 'team',
        header: 'Team',
        render: (p: TPersonView) => (p.teamId ? (names.teams?.get(p.teamId) ?? '…') : '—'),
      },
      {
        key: 'hours',
        header: 'Hours a week',
        align: 'right',
        render: (p: TPersonView) => <span className="tabular">{dash(p.weeklyHours)}</span>,
      },
    ],
    activeFilter: { active: 'true' },
    restoreBody: { active: true },
    Form: PersonForm,
    emptyHint: 'Add the people whose time is tracked.',
  },
  teams: {
    resource: 'teams',
    label: 'Teams',
    noun: 'team',
    sorts: TEAM_SORTS,
    columns: () => [
      {
        key: 'name',
        header: 'Name',
        sortKey: 'name',
        render: (t: TTeam) => (
          <>
            <Text size="sm" fw={500} span>
              {t.name}
            </Text>
            <ArchivedBadge item={t} />
            {t.description && (
              <Text size="xs" c="dimmed" lineClamp={1}>
                {t.description}
              </Text>
            )}
          </>
        ),
      },
      { key: 'members', header: 'Members', align: 'right', render: (t: TTeam) => t.memberCount },
      { key: 'managers', header: 'Managers', align: 'right', render: (t: TTeam) => t.managerIds.length },
    ],
    activeFilter: { active: 'true' },
    restoreBody: { active: true },
    Form: TeamForm,
    emptyHint: 'Teams group people under their managers.',
  },
  clients: {
    resource: 'clients',
    label: 'Clients',
    noun: 'client',
    sorts: CLIENT_SORTS,
    columns: () => [
      {
        key: 'name',
        header: 'Name',
        sortKey: 'name',
        render: (c: TClient) => (
          <>
            <Text size="sm" fw={500} span>
              {c.name}
            </Text>
            <ArchivedBadge item={c} />
          </>
        ),
      },
      {
        key: 'createdAt',
        header: 'Added',
        sortKey: 'createdAt',
        render: (c: TClient) => instantDate(c.createdAt),
      },
    ],
    activeFilter: { active: 'true' },
    restoreBody: { active: true },
    Form: ClientForm,
    emptyHint: 'Clients own projects.',
  },
  projects: {
    resource: 'projects',
    label: 'Projects',
    noun: 'project',
    sorts: PROJECT_SORTS,
    columns: (names) => [
      {
        key: 'code',
        header: 'Code',
        sortKey: 'code',
        render: (p: TProject) => (
          <Group gap={6} wrap="nowrap">
            <ColorSwatch color={p.color} size={12} aria-hidden />
            <Text size="sm" ff="monospace">
              {p.code}
            </Text>
          </Group>
        ),
      },
      {
        key: 'name',
        header: 'Name',
        sortKey: 'name',
        render: (p: TProject) => (
          <>
            <Text size="sm" fw={500} span>
              {p.name}
            </Text>
            <ArchivedBadge item={p} />
          </>
        ),
      },
      { key: 'client', header: 'Client', render: (p: TProject) => names.clients?.get(p.clientId) ?? '…' },
      { key: 'billable', header: 'Billable', render: (p: TProject) => (p.billable ? 'Yes' : 'No') },
      {
        key: 'budget',
        header: 'Budget (h)',
        align: 'right',
        render: (p: TProject) => <span className="tabular">{dash(p.budgetHours)}</span>,
      },
    ],
    activeFilter: { status: 'active' },
    restoreBody: { status: 'active' },
    Form: ProjectForm,
    emptyHint: 'Projects are what time is booked against.',
  },
  activities: {
    resource: 'activities',
    label: 'Activities',
    noun: 'activity',
    sorts: ACTIVITY_SORTS,
    columns: () => [
      {
        key: 'name',
        header: 'Name',
        sortKey: 'name',
        render: (a: TActivity) => (
          <>
            <Text size="sm" fw={500} span>
              {a.name}
            </Text>
            <ArchivedBadge item={a} />
          </>
        ),
      },
      {
        key: 'scope',
        header: 'Available on',
        render: (a: TActivity) => (a.projectId ? 'One project' : 'Every project'),
      },
    ],
    activeFilter: { active: 'true' },
    restoreBody: { active: true },
    Form: ActivityForm,
    emptyHint: 'Activities describe the kind of work (design, support, …).',
  },
};
