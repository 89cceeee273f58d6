import type { TPage } from '@clockpilot/contracts/common';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { api } from './auth';

export type SortDir = 'asc' | 'desc';
export type QueryValue = string | number | boolean | undefined | null;

/** Search text, sort column and direction of a list, as the user set them. */
export type ListControls<S extends string = string> = {
  /** What is typed in the search box. */
  q: string;
  setQ: (q: string) => void;
  /** The search text after a short pause in typing; what is sent to the server. */
  search: string | undefined;
  sort: S;
  dir: SortDir;
  /** Sorts by `key`; the same key again flips the direction. */
  toggleSort: (key: S) => void;
};

export function useListControls<S extends string>(
  defaultSort: S,
  defaultDir: SortDir = 'asc',
): ListControls<S> {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 300);
  const [{ sort, dir }, setSort] = useState<{ sort: S; dir: SortDir }>({
    sort: defaultSort,
    dir: defaultDir,
  });
  const toggleSort = useCallback(
    (key: S) =>
      setSort((cur) =>
        cur.sort === key ? { sort: key, dir: cur.dir === 'asc' ? 'desc' : 'asc' } : { sort: key, dir: 'asc' },
      ),
    [],
  );
  const trimmed = debounced.trim();
  return { q, setQ, search: trimmed === '' ? undefined : trimmed, sort, dir, toggleSort };
}

export type PagedList<T> = {
  items: T[];
  isPending: boolean;
  isError: boolean;
  error: unknown;
  /** A new filter or sort is loading while the previous rows are still shown. */
  isRefreshing: boolean;
  /** Comes page by page (the table then shows how many are loaded). */
  paged: boolean;
  hasMore: boolean;
  isLoadingMore: boolean;
  loadMore: () => void;
  refetch: () => void;
};

/**
 * A cursor-paginated list endpoint (`{ items, nextCursor }`) read page by page ("load more").
 * `params` are the filters; undefined values are left out of the query string. The query key is
 * `[...queryKey, params]`, so invalidating `queryKey` refreshes every variant of the list.
 */
export function usePagedList<T>({
  queryKey,
  path,
  params = {},
  limit = 50,
  enabled = true,
}: {
  queryKey: readonly unknown[];
  path: string;
  params?: Record<string, QueryValue>;
  limit?: number;
  enabled?: boolean;
}): PagedList<T> {
  const clean = useMemo(
    () =>
      Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')),
    [params],
  );
  const query = useInfiniteQuery({
    queryKey: [...queryKey, clean],
    queryFn: ({ pageParam, signal }) =>
      api<TPage<T>>('GET', path, { query: { ...clean, limit, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  return {
    items,
    isPending: query.isPending,
    isError: query.isError,
    error: query.error,
    isRefreshing: query.isPlaceholderData,
    paged: true,
    hasMore: query.hasNextPage,
    isLoadingMore: query.isFetchingNextPage,
    loadMore: () => void query.fetchNextPage(),
    refetch: () => void query.refetch(),
  };
}

/** A whole (unpaginated) list answer `{ items }` seen as a PagedList, for the same table. */
export function wholeList<T>(query: {
  data: { items: T[] } | undefined;
  isPending: boolean;
  isError: boolean;
  error: unknown;
  isPlaceholderData?: boolean;
  refetch: () => unknown;
}): PagedList<T> {
  return {
    items: query.data?.items ?? [],
    isPending: query.isPending,
    isError: query.isError,
    error: query.error,
    isRefreshing: query.isPlaceholderData ?? false,
    paged: false,
    hasMore: false,
    isLoadingMore: false,
    loadMore: () => {},
    refetch: () => void query.refetch(),
  };
}
