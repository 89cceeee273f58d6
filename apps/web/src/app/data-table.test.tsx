import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ComponentProps } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../test/render';
import { DataTable } from './data-table';
import type { PagedList } from './list';

type Row = { id: string; name: string };

function list(items: Row[], more: Partial<PagedList<Row>> = {}): PagedList<Row> {
  return {
    items,
    isPending: false,
    isError: false,
    error: null,
    isRefreshing: false,
    paged: true,
    hasMore: false,
    isLoadingMore: false,
    loadMore: vi.fn(),
    refetch: vi.fn(),
    ...more,
  };
}

const columns = [{ key: 'name', header: 'Name', sortKey: 'name', render: (r: Row) => r.name }];

/** The clients table every case renders; only the list and the sort controls vary. */
const renderTable = (l: PagedList<Row>, controls?: ComponentProps<typeof DataTable<Row>>['controls']) =>
  renderWithProviders(
    <DataTable
      caption="Clients"
      columns={columns}
      list={l}
      controls={controls}
      rowKey={(r) => r.id}
      empty={{ title: 'No clients yet' }}
    />,
  );

describe('DataTable', () => {
  it('shows the empty state instead of an empty table', () => {
    renderTable(list([]));
    expect(screen.getByText('No clients yet')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('marks the sorted column, toggles sort and loads the next page', async () => {
    const toggleSort = vi.fn();
    const l = list(
      [
        { id: '1', name: 'Acme' },
        { id: '2', name: 'Globex' },
      ],
      { hasMore: true },
    );
    const user = userEvent.setup({ delay: null });
    renderTable(l, { sort: 'name', dir: 'desc', toggleSort });
    const table = screen.getByRole('table', { name: 'Clients' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByRole('columnheader', { name: /name/i })).toHaveAttribute(
      'aria-sort',
      'descending',
    );
    await user.click(screen.getByRole('button', { name: 'Sort by Name' }));
    expect(toggleSort).toHaveBeenCalledWith('name');
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(l.loadMore).toHaveBeenCalledTimes(1);
  });

  it('shows the error with a retry when the first page fails', async () => {
    const l = list([], { isError: true, error: new Error('boom') });
    const user = userEvent.setup({ delay: null });
    renderTable(l);
    expect(screen.getByRole('alert')).toHaveTextContent('boom');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(l.refetch).toHaveBeenCalled();
  });
});

describe('on a phone', () => {
  it('shows each row as a card with its headers, and no table that could scroll sideways', () => {
    const media = window.matchMedia;
    window.matchMedia = ((query: string) => ({
      ...media(query),
      matches: query.includes('max-width: 30em'),
    })) as typeof window.matchMedia;
    try {
      renderTable(list([{ id: '1', name: 'Acme' }]));
      expect(screen.queryByRole('table')).toBeNull();
      const cards = screen.getByRole('list', { name: 'Clients' });
      const card = within(cards).getByRole('listitem');
      expect(card.textContent).toBe('NameAcme');
    } finally {
      window.matchMedia = media;
    }
  });
});
