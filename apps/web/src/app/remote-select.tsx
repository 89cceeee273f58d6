import type { TPage } from '@clockpilot/contracts/common';
import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { api } from './auth';
import { t } from './i18n';
import type { QueryValue } from './list';

type Item = { id: string };

/**
 * A select whose options come from a list endpoint, searched on the server as the user types
 * (`?q=`). The chosen item's label is fetched by id when it is not among the options.
 */
export function RemoteSelect<T extends Item>({
  path,
  value,
  onChange,
  getLabel,
  params,
  exclude,
  ...props
}: {
  path: string;
  value: string | null;
  onChange: (id: string | null, item: T | null) => void;
  getLabel: (item: T) => string;
  params?: Record<string, QueryValue>;
  /** Ids not to offer (e.g. people already in the team). */
  exclude?: readonly string[];
} & Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchValue' | 'onSearchChange'>) {
  const [search, setSearch] = useState('');
  const [typed] = useDebouncedValue(search.trim(), 250);
  // Labels seen so far: the box shows the chosen item's label, which is not a search.
  const labels = useRef(new Map<string, string>());
  const q = value !== null && typed === labels.current.get(value) ? '' : typed;
  const options = useQuery({
    queryKey: ['lookup', path, params ?? {}, q],
    queryFn: ({ signal }) =>
      api<TPage<T>>('GET', path, { query: { ...params, q: q || undefined, limit: 30 }, signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const items = options.data?.items ?? [];
  const missing = value !== null && !items.some((i) => i.id === value);
  const selected = useQuery({
    queryKey: ['lookup', path, 'id', value],
    queryFn: ({ signal }) => api<T>('GET', `${path}/${value}`, { signal }),
    enabled: missing,
    staleTime: 5 * 60_000,
  });
  const data = useMemo(() => {
    const all = [...items];
    if (missing && selected.data) all.unshift(selected.data);
    for (const i of all) labels.current.set(i.id, getLabel(i));
    const skip = new Set(exclude ?? []);
    return all
      .filter((i) => i.id === value || !skip.has(i.id))
      .map((i) => ({ value: i.id, label: getLabel(i) }));
  }, [items, missing, selected.data, exclude, value, getLabel]);

  return (
    <Select
      searchable
      clearable
      {...props}
      data={data}
      value={value}
      onChange={(id) => onChange(id, [...items, selected.data].find((i) => i?.id === id) ?? null)}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: o }) => o}
      nothingFoundMessage={options.isFetching ? t('ui.searching') : t('ui.nothingFound')}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/**
 * The names of items of a list endpoint by id (`GET <path>/:id`), shared with the pickers' cache;
 * ids not loaded yet are missing from the map.
 */
export function useNames(path: string, ids: readonly (string | null)[]): Map<string, string> {
  const unique = [...new Set(ids.filter((i): i is string => i !== null))];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: ['lookup', path, 'id', id],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api<{ id: string; name: string }>('GET', `${path}/${id}`, { signal }),
      staleTime: 5 * 60_000,
    })),
  });
  const names = new Map<string, string>();
  unique.forEach((id, i) => {
    const name = results[i]?.data?.name;
    if (name) names.set(id, name);
  });
  return names;
}
