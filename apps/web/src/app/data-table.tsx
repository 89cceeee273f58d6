import {
  Button,
  Card,
  Center,
  Group,
  Stack,
  Table,
  Text,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { IconArrowDown, IconArrowsSort, IconArrowUp } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { t } from './i18n';
import type { ListControls, PagedList } from './list';
import { EmptyState, ErrorState, LoadingState, usePhone } from './ui';

export type Column<T, S extends string = string> = {
  key: string;
  header: string;
  render: (row: T) => ReactNode;
  /** The server's sort key for this column; the header becomes a sort button. */
  sortKey?: S;
  align?: 'left' | 'right';
  width?: number | string;
  /** Shown to screen readers only (e.g. an actions column). */
  hiddenHeader?: boolean;
};

/** A last column with one small button per row (revoke, release, details); its header is for screen readers. */
export function rowActionColumn<T>(action: {
  label: string;
  /** The button's accessible name, naming the row it acts on. */
  describe: (row: T) => string;
  onClick: (row: T) => void;
  color?: string;
  hidden?: (row: T) => boolean;
  loading?: (row: T) => boolean;
}): Column<T> {
  return {
    key: 'actions',
    header: t('ui.actions'),
    hiddenHeader: true,
    align: 'right',
    render: (row) =>
      action.hidden?.(row) ? null : (
        <Button
          size="xs"
          variant="subtle"
          color={action.color}
          onClick={() => action.onClick(row)}
          loading={action.loading?.(row)}
          aria-label={action.describe(row)}
        >
          {action.label}
        </Button>
      ),
  };
}

/**
 * A list from a paginated endpoint as a table: sortable headers (`aria-sort`), loading, error and
 * empty states, horizontal scrolling on narrow screens and a "load more" button for the next page.
 */
export function DataTable<T, S extends string = string>({
  caption,
  columns,
  list,
  controls,
  rowKey,
  empty,
  minWidth = 640,
  testId,
}: {
  /** Names the table for screen readers. */
  caption: string;
  columns: Column<T, S>[];
  list: PagedList<T>;
  controls?: Pick<ListControls<S>, 'sort' | 'dir' | 'toggleSort'>;
  rowKey: (row: T) => string;
  /** Shown when the list has no rows. */
  empty: { title: string; hint?: ReactNode };
  minWidth?: number;
  testId?: string;
}) {
  const phone = usePhone();
  if (list.isPending) return <LoadingState />;
  if (list.isError && list.items.length === 0)
    return <ErrorState error={list.error} onRetry={list.refetch} />;
  if (list.items.length === 0) return <EmptyState title={empty.title}>{empty.hint}</EmptyState>;

  return (
    <>
      {phone ? (
        <RowCards caption={caption} columns={columns} items={list.items} rowKey={rowKey} testId={testId} />
      ) : (
        <Table.ScrollContainer minWidth={minWidth}>
          <Table
            striped
            highlightOnHover
            verticalSpacing="xs"
            aria-busy={list.isRefreshing || undefined}
            data-testid={testId}
            style={{ opacity: list.isRefreshing ? 0.6 : 1 }}
          >
            <VisuallyHidden component="caption">{caption}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                {columns.map((c) => (
                  <Table.Th
                    key={c.key}
                    ta={c.align}
                    w={c.width}
                    scope="col"
                    aria-sort={
                      controls && c.sortKey && controls.sort === c.sortKey
                        ? controls.dir === 'asc'
                          ? 'ascending'
                          : 'descending'
                        : undefined
                    }
                  >
                    {c.hiddenHeader ? (
                      <VisuallyHidden>{c.header}</VisuallyHidden>
                    ) : controls && c.sortKey ? (
                      <SortButton
                        label={c.header}
                        active={controls.sort === c.sortKey}
                        dir={controls.dir}
                        onClick={() => controls.toggleSort(c.sortKey as S)}
                      />
                    ) : (
                      c.header
                    )}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((row) => (
                <Table.Tr key={rowKey(row)}>
                  {columns.map((c) => (
                    <Table.Td key={c.key} ta={c.align}>
                      {c.render(row)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.paged && (
        <Center mt="sm">
          <Group gap="sm">
            <Text size="sm" c="dimmed" role="status" aria-live="polite">
              {t('ui.shown', { count: list.items.length })}
              {list.hasMore ? '' : t('ui.allLoaded')}
            </Text>
            {list.hasMore && (
              <Button variant="light" size="xs" onClick={list.loadMore} loading={list.isLoadingMore}>
                {t('ui.loadMore')}
              </Button>
            )}
          </Group>
        </Center>
      )}
      {list.isError && <ErrorState error={list.error} onRetry={list.refetch} />}
    </>
  );
}

/**
 * The rows of a list as cards on a phone: each column's header beside its value, the actions last,
 * so nothing scrolls sideways.
 */
function RowCards<T>({
  caption,
  columns,
  items,
  rowKey,
  testId,
}: {
  caption: string;
  columns: Column<T, string>[];
  items: T[];
  rowKey: (row: T) => string;
  testId?: string;
}) {
  return (
    <Stack gap="xs" component="ul" aria-label={caption} data-testid={testId} className="row-cards">
      {items.map((row) => (
        <Card key={rowKey(row)} withBorder padding="sm" radius="md" component="li">
          <Stack gap={4}>
            {columns.map((c) =>
              c.hiddenHeader ? (
                <Group key={c.key} justify="flex-end">
                  {c.render(row)}
                </Group>
              ) : (
                <Group key={c.key} gap="xs" justify="space-between" wrap="nowrap" align="flex-start">
                  <Text size="xs" c="dimmed" fw={600}>
                    {c.header}
                  </Text>
                  <Text component="div" size="sm" ta="right" miw={0}>
                    {c.render(row)}
                  </Text>
                </Group>
              ),
            )}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}

function SortButton({
  label,
  active,
  dir,
  onClick,
}: {
  label: string;
  active: boolean;
  dir: 'asc' | 'desc';
  onClick: () => void;
}) {
  const Icon = !active ? IconArrowsSort : dir === 'asc' ? IconArrowUp : IconArrowDown;
  return (
    <UnstyledButton onClick={onClick} fw={700} fz="sm" aria-label={t('ui.sortBy', { label })}>
      <Group gap={4} wrap="nowrap">
        {label}
        <Icon size={14} aria-hidden style={{ opacity: active ? 1 : 0.4 }} />
      </Group>
    </UnstyledButton>
  );
}
