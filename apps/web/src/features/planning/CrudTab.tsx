import { can } from '@clockpilot/contracts/permissions';
import { Button, Drawer, Group, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconEdit, IconPlus, IconTrash } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { errorMessage } from '../../app/api';
import { ConfirmDialog } from '../../app/confirm';
import { type Column, DataTable } from '../../app/data-table';
import { t } from '../../app/i18n';
import { type QueryValue, useListControls, usePagedList } from '../../app/list';
import { RowAction } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import {
  type PlanningItems,
  type PlanningResource,
  planningKeys,
  planningPath,
  useDeletePlanning,
} from './api';
import type { FormProps } from './forms';
import { RESOURCE_TEXT } from './text';

/**
 * One planning list: filters, a sortable table read page by page, and for planners a create/edit
 * drawer and delete with confirmation. Each tab gives its columns, filters and form; the words for
 * its items come from `RESOURCE_TEXT`.
 */
export function CrudTab<R extends PlanningResource, S extends string>({
  resource,
  sorts,
  columns,
  filters,
  params,
  Form,
  describe,
  rowActions,
  onSaved,
  empty,
}: {
  resource: R;
  /** The server's sort keys, the first the default. */
  sorts: readonly [S, ...S[]];
  columns: Column<PlanningItems[R], S>[];
  filters?: ReactNode;
  params: Record<string, QueryValue>;
  // biome-ignore lint/suspicious/noExplicitAny: each form answers with its own saved shape
  Form: (p: FormProps<PlanningItems[R], any>) => ReactNode;
  describe: (item: PlanningItems[R]) => string;
  rowActions?: (item: PlanningItems[R]) => ReactNode;
  onSaved?: (saved: unknown, editing: PlanningItems[R] | undefined) => void;
  empty: { title: string; hint: string };
}) {
  const me = useMe();
  const canManage = can(me.role, 'planning:manage');
  const controls = useListControls<S>(sorts[0]);
  const list = usePagedList<PlanningItems[R]>({
    queryKey: planningKeys.list(resource),
    path: planningPath(resource),
    params: { ...params, sort: controls.sort, dir: controls.dir },
  });
  const [editing, setEditing] = useState<{ item?: PlanningItems[R] } | null>(null);
  const [deleting, setDeleting] = useState<PlanningItems[R] | null>(null);
  const remove = useDeletePlanning(resource);
  const text = RESOURCE_TEXT[resource];

  const actions: Column<PlanningItems[R], S> = {
    key: 'actions',
    header: t('ui.actions'),
    hiddenHeader: true,
    align: 'right',
    render: (item) => (
      <Group gap={4} justify="flex-end" wrap="nowrap">
        {rowActions?.(item)}
        <RowAction
          tip={t('planning.edit')}
          label={t('planning.editNamed', { name: describe(item) })}
          icon={<IconEdit size={18} aria-hidden />}
          onClick={() => setEditing({ item })}
        />
        <RowAction
          tip={t('planning.delete')}
          label={t('planning.deleteNamed', { name: describe(item) })}
          icon={<IconTrash size={18} aria-hidden />}
          color="red"
          onClick={() => setDeleting(item)}
        />
      </Group>
    ),
  };

  function confirmDelete() {
    if (!deleting) return;
    remove.mutate(deleting.id, {
      onSuccess: () => {
        notifications.show({ color: 'green', message: t('planning.deleted', { name: describe(deleting) }) });
        setDeleting(null);
      },
      onError: (e) =>
        notifications.show({ color: 'red', title: t('planning.notDeleted'), message: errorMessage(e) }),
    });
  }

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Group gap="sm" wrap="wrap" align="flex-end">
          {filters}
        </Group>
        {canManage && (
          <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setEditing({})}>
            {t(text.new)}
          </Button>
        )}
      </Group>
      <DataTable<PlanningItems[R], S>
        caption={t(text.list)}
        columns={canManage ? [...columns, actions] : columns}
        list={list}
        controls={controls}
        rowKey={(i) => i.id}
        testId={`planning-${resource}`}
        empty={{ title: empty.title, hint: canManage ? empty.hint : undefined }}
      />
      <Drawer
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.item ? t(text.edit, { name: describe(editing.item) }) : t(text.new)}
        position="right"
        size="lg"
      >
        {editing && (
          <Form
            key={editing.item?.id ?? 'new'}
            item={editing.item}
            onCancel={() => setEditing(null)}
            onDone={(saved) => {
              setEditing(null);
              onSaved?.(saved, editing.item);
            }}
          />
        )}
      </Drawer>
      <ConfirmDialog
        opened={deleting !== null}
        title={t(text.deleteAsk)}
        confirmLabel={t('planning.delete')}
        loading={remove.isPending}
        onConfirm={confirmDelete}
        onClose={() => setDeleting(null)}
      >
        {t('planning.deleteText', { name: deleting ? describe(deleting) : '' })}
      </ConfirmDialog>
    </Stack>
  );
}
