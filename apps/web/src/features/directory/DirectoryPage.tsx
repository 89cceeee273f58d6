import type { TPersonView, TProject, TTeam } from '@clockpilot/contracts/directory';
import { can } from '@clockpilot/contracts/permissions';
import { Button, Drawer, Group, Stack, Switch, Tabs, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArchive, IconEdit, IconPlus, IconRestore, IconSearch } from '@tabler/icons-react';
import { createLazyRoute, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { errorMessage } from '../../app/api';
import { ConfirmDialog } from '../../app/confirm';
import { type Column, DataTable } from '../../app/data-table';
import { t } from '../../app/i18n';
import { useListControls, usePagedList } from '../../app/list';
import { PageTitle, RowAction } from '../../app/ui';
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
import { DIRECTORY_TABS } from './routes';
import { TeamPeople } from './TeamPeople';
import { TABS, type TabDef } from './tabs';

export const Route = createLazyRoute('/_app/_directory/directory')({ component: DirectoryPage });

export function DirectoryPage() {
  const search = useSearch({ from: '/_app/_directory/directory' });
  const navigate = useNavigate({ from: '/directory' });
  const tab = search.tab ?? 'people';
  return (
    <>
      <PageTitle>{t('nav.directory')}</PageTitle>
      <Tabs
        value={tab}
        onChange={(next) => void navigate({ search: { tab: (next ?? 'people') as DirectoryResource } })}
        keepMounted={false}
      >
        <Tabs.List mb="md" style={{ overflowX: 'auto', flexWrap: 'nowrap' }}>
          {DIRECTORY_TABS.map((r) => (
            <Tabs.Tab key={r} value={r}>
              {t(TABS[r].words.label)}
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
  // Clients, projects and activities are shared by every team: only admins take one out of use.
  const catalog = def.resource !== 'people' && def.resource !== 'teams';
  const canArchive = catalog ? can(me.role, 'catalog:archive') : canManage;
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
  const words = def.words;

  const actions: Column<DirectoryItems[R]> = {
    key: 'actions',
    header: t('ui.actions'),
    hiddenHeader: true,
    align: 'right',
    width: 96,
    render: (item) => {
      const label = (item as AnyItem).name;
      return (
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <RowAction
            tip={t('directory.edit')}
            label={t('directory.editOne', { name: label })}
            icon={<IconEdit size={18} aria-hidden />}
            onClick={() => setEditing({ item })}
          />
          {isArchived(item as AnyItem) ? (
            <RowAction
              tip={t('directory.restore')}
              label={t('directory.restoreOne', { name: label })}
              icon={<IconRestore size={18} aria-hidden />}
              color="teal"
              onClick={() =>
                restore.mutate(
                  { id: (item as AnyItem).id, body: def.restoreBody },
                  {
                    onSuccess: () =>
                      notifications.show({
                        color: 'green',
                        message: t('directory.restored', { name: label }),
                      }),
                    onError: (e) =>
                      notifications.show({
                        color: 'red',
                        title: t('directory.notRestored'),
                        message: errorMessage(e),
                      }),
                  },
                )
              }
            />
          ) : (
            canArchive && (
              <RowAction
                tip={t('directory.archive')}
                label={t('directory.archiveOne', { name: label })}
                icon={<IconArchive size={18} aria-hidden />}
                color="red"
                onClick={() => setArchiving(item)}
              />
            )
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
        notifications.show({ color: 'green', message: t('directory.archived', { name: label }) });
        setArchiving(null);
      },
      onError: (e) =>
        notifications.show({ color: 'red', title: t('directory.notArchived'), message: errorMessage(e) }),
    });
  }

  const editingItem = editing?.item as AnyItem | undefined;

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="md" wrap="wrap">
          <TextInput
            aria-label={t(words.search)}
            placeholder={t(words.search)}
            leftSection={<IconSearch size={16} aria-hidden />}
            value={controls.q}
            onChange={(e) => controls.setQ(e.currentTarget.value)}
            w={{ base: '100%', xs: 260 }}
            type="search"
          />
          <Switch
            label={t('directory.showArchived')}
            checked={showArchived}
            onChange={(e) => setShowArchived(e.currentTarget.checked)}
          />
        </Group>
        {canManage && (
          <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setEditing({})}>
            {t(words.new)}
          </Button>
        )}
      </Group>
      <DataTable<DirectoryItems[R]>
        caption={t(words.label)}
        columns={columns}
        list={list}
        controls={controls}
        rowKey={(i) => (i as AnyItem).id}
        testId={`directory-${def.resource}`}
        empty={{
          title: controls.search ? t(words.noMatch, { q: controls.search }) : t(words.none),
          hint: controls.search ? t('directory.tryAnother') : canManage ? t(words.hint) : undefined,
        }}
      />
      <Drawer
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editingItem ? t(words.edit, { name: editingItem.name }) : t(words.new)}
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
                onTeamChange={(team) => setEditing({ item: team as DirectoryItems[R] })}
              />
            )}
          </>
        )}
      </Drawer>
      <ConfirmDialog
        opened={archiving !== null}
        title={t(words.archiveAsk)}
        confirmLabel={t('directory.archive')}
        loading={archive.isPending}
        onConfirm={confirmArchive}
        onClose={() => setArchiving(null)}
      >
        {t('directory.archiveText', { name: archiving ? (archiving as AnyItem).name : '' })}
      </ConfirmDialog>
    </Stack>
  );
}
