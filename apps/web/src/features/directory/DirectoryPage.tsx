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
import { can } from '@clockpilot/contracts/permissions';
import {
  ActionIcon,
  Badge,
  Button,
  ColorSwatch,
  Drawer,
  Group,
  Stack,
  Switch,
  Tabs,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArchive, IconEdit, IconPlus, IconRestore, IconSearch } from '@tabler/icons-react';
import { createLazyRoute, useNavigate, useSearch } from '@tanstack/react-router';
import { type ComponentType, useState } from 'react';
import { errorMessage } from '../../app/api';
import { ConfirmDialog } from '../../app/confirm';
import { type Column, DataTable } from '../../app/data-table';
import { type QueryValue, useListControls, usePagedList } from '../../app/list';
import { PageTitle } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import {
  DIRECTORY_PATH,
  type DirectoryItems,
  type DirectoryResource,
  directoryKeys,
  isArchived,
  useArchiveItem,
  useNames,
  useSaveItem,
} from './api';
import { ActivityForm, ClientForm, type FormProps, PersonForm, ProjectForm, TeamForm } from './forms';
import { DIRECTORY_TABS } from './routes';
import { TeamPeople } from './TeamPeople';

export const Route = createLazyRoute('/_app/_directory/directory')({ component: DirectoryPage });

type Names = { teams?: Map<string, string>; clients?: Map<string, string> };

/** What differs between the five tabs; everything else is the one ResourceTab below. */
type TabDef<R extends DirectoryResource> = {
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
        render: (c: TClient) => new Date(c.createdAt).toLocaleDateString(),
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

export function DirectoryPage() {
  const search = useSearch({ from: '/_app/_directory/directory' });
  const navigate = useNavigate({ from: '/directory' });
  const tab = search.tab ?? 'people';
  return (
    <>
      <PageTitle>Directory</PageTitle>
      <Tabs
        value={tab}
        onChange={(t) => void navigate({ search: { tab: (t ?? 'people') as DirectoryResource } })}
        keepMounted={false}
      >
        <Tabs.List mb="md" style={{ overflowX: 'auto', flexWrap: 'nowrap' }}>
          {DIRECTORY_TABS.map((r) => (
            <Tabs.Tab key={r} value={r}>
              {TABS[r].label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {DIRECTORY_TABS.map((r) => (
          <Tabs.Panel key={r} value={r}>
            <ResourceTab def={TABS[r] as TabDef<DirectoryResource>} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}

type AnyItem = DirectoryItems[DirectoryResource];

/** One directory tab: search, archived toggle, sortable table, create/edit drawer, archive/restore. */
export function ResourceTab<R extends DirectoryResource>({ def }: { def: TabDef<R> }) {
  const me = useMe();
  const canManage = can(me.role, 'directory:manage');
  const controls = useListControls(def.sorts[0] ?? 'name');
  const [showArchived, setShowArchived] = useState(false);
  const list = usePagedList<DirectoryItems[R]>({
    queryKey: directoryKeys.list(def.resource),
    path: DIRECTORY_PATH[def.resource],
    params: {
      q: controls.search,
      sort: controls.sort,
      dir: controls.dir,
      ...(showArchived ? {} : def.activeFilter),
    },
  });
  const rows = list.items as AnyItem[];
  const teams = useNames(
    'teams',
    def.resource === 'people' ? rows.map((r) => (r as TPersonView).teamId) : [],
  );
  const clients = useNames(
    'clients',
    def.resource === 'projects' ? rows.map((r) => (r as TProject).clientId) : [],
  );
  const [editing, setEditing] = useState<{ item?: DirectoryItems[R] } | null>(null);
  const [archiving, setArchiving] = useState<DirectoryItems[R] | null>(null);
  const archive = useArchiveItem(def.resource);
  const restore = useSaveItem(def.resource);
  const Form = def.Form;
  const noun = def.noun;

  const actions: Column<DirectoryItems[R]> = {
    key: 'actions',
    header: 'Actions',
    hiddenHeader: true,
    align: 'right',
    width: 96,
    render: (item) => {
      const label = (item as AnyItem).name;
      return (
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <Tooltip label="Edit">
            <ActionIcon variant="subtle" aria-label={`Edit ${label}`} onClick={() => setEditing({ item })}>
              <IconEdit size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
          {isArchived(item as AnyItem) ? (
            <Tooltip label="Restore">
              <ActionIcon
                variant="subtle"
                color="teal"
                aria-label={`Restore ${label}`}
                onClick={() =>
                  restore.mutate(
                    { id: (item as AnyItem).id, body: def.restoreBody },
                    {
                      onSuccess: () => notifications.show({ color: 'green', message: `${label} restored` }),
                      onError: (e) =>
                        notifications.show({ color: 'red', title: 'Not restored', message: errorMessage(e) }),
                    },
                  )
                }
              >
                <IconRestore size={18} aria-hidden />
              </ActionIcon>
            </Tooltip>
          ) : (
            <Tooltip label="Archive">
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`Archive ${label}`}
                onClick={() => setArchiving(item)}
              >
                <IconArchive size={18} aria-hidden />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
      );
    },
  };
  const columns = [...def.columns({ teams, clients }), ...(canManage ? [actions] : [])];

  function confirmArchive() {
    if (!archiving) return;
    const label = (archiving as AnyItem).name;
    archive.mutate((archiving as AnyItem).id, {
      onSuccess: () => {
        notifications.show({ color: 'green', message: `${label} archived` });
        setArchiving(null);
      },
      onError: (e) => notifications.show({ color: 'red', title: 'Not archived', message: errorMessage(e) }),
    });
  }

  const editingItem = editing?.item as AnyItem | undefined;

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="md" wrap="wrap">
          <TextInput
            aria-label={`Search ${def.label.toLowerCase()}`}
            placeholder={`Search ${def.label.toLowerCase()}`}
            leftSection={<IconSearch size={16} aria-hidden />}
            value={controls.q}
            onChange={(e) => controls.setQ(e.currentTarget.value)}
            w={{ base: '100%', xs: 260 }}
            type="search"
          />
          <Switch
            label="Show archived"
            checked={showArchived}
            onChange={(e) => setShowArchived(e.currentTarget.checked)}
          />
        </Group>
        {canManage && (
          <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setEditing({})}>
            New {noun}
          </Button>
        )}
      </Group>
      <DataTable<DirectoryItems[R]>
        caption={def.label}
        columns={columns}
        list={list}
        controls={controls}
        rowKey={(i) => (i as AnyItem).id}
        testId={`directory-${def.resource}`}
        empty={{
          title: controls.search
            ? `No ${def.label.toLowerCase()} match “${controls.search}”`
            : `No ${def.label.toLowerCase()} yet`,
          hint: controls.search ? 'Try another search.' : canManage ? def.emptyHint : undefined,
        }}
      />
      <Drawer
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editingItem ? `Edit ${noun}: ${editingItem.name}` : `New ${noun}`}
        position="right"
        size="lg"
      >
        {editing && (
          <>
            <Form
              key={editingItem?.id ?? 'new'}
              item={editing.item}
              onCancel={() => setEditing(null)}
              onDone={(saved) =>
                // A new team stays open so its managers and members can be added next.
                def.resource === 'teams' && !editing.item ? setEditing({ item: saved }) : setEditing(null)
              }
            />
            {def.resource === 'teams' && editingItem && can(me.role, 'directory:assign') && (
              <TeamPeople
                team={editingItem as TTeam}
                onTeamChange={(t) => setEditing({ item: t as DirectoryItems[R] })}
              />
            )}
          </>
        )}
      </Drawer>
      <ConfirmDialog
        opened={archiving !== null}
        title={`Archive this ${noun}?`}
        confirmLabel="Archive"
        loading={archive.isPending}
        onConfirm={confirmArchive}
        onClose={() => setArchiving(null)}
      >
        {`${archiving ? (archiving as AnyItem).name : ''} will be hidden from lists and pickers. Recorded time keeps pointing at it, and it can be restored. Nothing in the directory is ever deleted.`}
      </ConfirmDialog>
    </Stack>
  );
}
