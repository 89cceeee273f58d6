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
import { t } from '../../app/i18n';
import type { QueryValue } from '../../app/list';
import { type DirectoryItems, type DirectoryResource, isArchived } from './api';
import { ActivityForm, ClientForm, type FormProps, PersonForm, ProjectForm, TeamForm } from './forms';
import { type Words, wordsOf } from './words';

export type Names = { teams?: Map<string, string>; clients?: Map<string, string> };

/** What differs between the five tabs; everything else is the one ResourceTab below. */
export type TabDef<R extends DirectoryResource> = {
  resource: R;
  words: Words;
  sorts: readonly string[];
  columns: (names: Names) => Column<DirectoryItems[R]>[];
  /** The filter that hides archived items. */
  activeFilter: Record<string, QueryValue>;
  restoreBody: Record<string, unknown>;
  Form: ComponentType<FormProps<DirectoryItems[R]>>;
};

const dash = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v);

const ArchivedBadge = ({ item }: { item: { active?: boolean; status?: string } }) =>
  isArchived(item) ? (
    <Badge size="xs" color="gray" variant="light" ml={6}>
      {t('directory.archivedBadge')}
    </Badge>
  ) : null;

export const TABS: { [R in DirectoryResource]: TabDef<R> } = {
  people: {
    resource: 'people',
    words: wordsOf('people'),
    sorts: PERSON_SORTS,
    columns: (names) => [
      {
        key: 'name',
        header: t('directory.name'),
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
      {
        key: 'email',
        header: t('directory.email'),
        sortKey: 'email',
        render: (p: TPersonView) => dash(p.email),
      },
      {
        key: 'department',
        header: t('directory.department'),
        sortKey: 'department',
        render: (p: TPersonView) => dash(p.department),
      },
      {
        key: 'team',
        header: t('directory.team'),
        render: (p: TPersonView) => (p.teamId ? (names.teams?.get(p.teamId) ?? '…') : '—'),
      },
      {
        key: 'hours',
        header: t('directory.hoursAWeek'),
        align: 'right',
        render: (p: TPersonView) => <span className="tabular">{dash(p.weeklyHours)}</span>,
      },
    ],
    activeFilter: { active: 'true' },
    restoreBody: { active: true },
    Form: PersonForm,
  },
  teams: {
    resource: 'teams',
    words: wordsOf('teams'),
    sorts: TEAM_SORTS,
    columns: () => [
      {
        key: 'name',
        header: t('directory.name'),
        sortKey: 'name',
        render: (team: TTeam) => (
          <>
            <Text size="sm" fw={500} span>
              {team.name}
            </Text>
            <ArchivedBadge item={team} />
            {team.description && (
              <Text size="xs" c="dimmed" lineClamp={1}>
                {team.description}
              </Text>
            )}
          </>
        ),
      },
      {
        key: 'members',
        header: t('directory.members'),
        align: 'right',
        render: (team: TTeam) => team.memberCount,
      },
      {
        key: 'managers',
        header: t('directory.managers'),
        align: 'right',
        render: (team: TTeam) => team.managerIds.length,
      },
    ],
    activeFilter: { active: 'true' },
    restoreBody: { active: true },
    Form: TeamForm,
  },
  clients: {
    resource: 'clients',
    words: wordsOf('clients'),
    sorts: CLIENT_SORTS,
    columns: () => [
      {
        key: 'name',
        header: t('directory.name'),
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
        header: t('directory.added'),
        sortKey: 'createdAt',
        render: (c: TClient) => instantDate(c.createdAt),
      },
    ],
    activeFilter: { active: 'true' },
    restoreBody: { active: true },
    Form: ClientForm,
  },
  projects: {
    resource: 'projects',
    words: wordsOf('projects'),
    sorts: PROJECT_SORTS,
    columns: (names) => [
      {
        key: 'code',
        header: t('directory.code'),
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
        header: t('directory.name'),
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
      {
        key: 'client',
        header: t('directory.client'),
        render: (p: TProject) => names.clients?.get(p.clientId) ?? '…',
      },
      {
        key: 'billable',
        header: t('directory.billable'),
        render: (p: TProject) => (p.billable ? t('directory.yes') : t('directory.no')),
      },
      {
        key: 'budget',
        header: t('directory.budgetShort'),
        align: 'right',
        render: (p: TProject) => <span className="tabular">{dash(p.budgetHours)}</span>,
      },
    ],
    activeFilter: { status: 'active' },
    restoreBody: { status: 'active' },
    Form: ProjectForm,
  },
  activities: {
    resource: 'activities',
    words: wordsOf('activities'),
    sorts: ACTIVITY_SORTS,
    columns: () => [
      {
        key: 'name',
        header: t('directory.name'),
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
        header: t('directory.availableOn'),
        render: (a: TActivity) => (a.projectId ? t('directory.oneProject') : t('directory.everyProject')),
      },
    ],
    activeFilter: { active: 'true' },
    restoreBody: { active: true },
    Form: ActivityForm,
  },
};
