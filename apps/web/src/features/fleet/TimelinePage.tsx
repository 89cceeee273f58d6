import type { TTimeline } from '@clockpilot/contracts/fleet-ops';
import { Box, Button, Group, ScrollArea, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { createLazyRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../app/auth';
import { dayMonth } from '../../app/format';
import { t } from '../../app/i18n';
import { EmptyState, ErrorState, LoadingState, PageTitle } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { addDays, today } from '../time/calendar';
import { fleetKeys } from './api';
import { KIND_COLOR, KIND_LABEL, when } from './format';

export const Route = createLazyRoute('/_app/_fleet/fleet/timeline')({ component: TimelinePage });

const DAYS = 14;
type Item = TTimeline['rows'][number]['items'][number];

/**
 * What holds the vehicle on a day of its location, if anything (the first item that meets the day):
 * the server says which local days each item meets, in the zone of the vehicle's location.
 */
export function itemOn(items: Item[], day: string): Item | undefined {
  return items.find((i) => i.firstDay <= day && day <= i.lastDay);
}

/** Staff: every vehicle × two weeks of its location's days, with bookings, holds and maintenance, by plate. */
export function TimelinePage() {
  // Today as a calendar day in the person's zone, not the UTC date.
  const zone = useMe().timeZone;
  const [from, setFrom] = useState(() => today(zone));
  const to = from ? addDays(from, DAYS - 1) : '';
  const q = useInfiniteQuery({
    queryKey: [...fleetKeys.all, 'timeline', from],
    enabled: Boolean(from),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: TTimeline) => last.nextCursor ?? undefined,
    queryFn: ({ pageParam, signal }) =>
      api<TTimeline>('GET', '/api/v1/fleet/timeline', {
        query: { from, to, ...(pageParam && { cursor: pageParam }) },
        signal,
      }),
  });
  const days = q.data?.pages[0]?.days ?? [];
  const rows = q.data?.pages.flatMap((p) => p.rows) ?? [];
  return (
    <>
      <PageTitle>{t('fleet.timeline')}</PageTitle>
      <TextInput
        type="date"
        label={t('fleet.from')}
        value={from}
        onChange={(e) => setFrom(e.currentTarget.value)}
        mb="md"
      />
      {q.isPending ? (
        <LoadingState />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={t('fleet.noVehiclesInService')} />
      ) : (
        <ScrollArea>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fleet.vehicle')}</Table.Th>
                {days.map((d) => (
                  <Table.Th key={d}>{dayMonth(d)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.vehicle.id}>
                  <Table.Td>
                    <Text size="sm">{r.vehicle.plate}</Text>
                    <Text size="xs" c="dimmed">
                      {r.vehicle.timeZone}
                    </Text>
                  </Table.Td>
                  {days.map((d) => {
                    const i = itemOn(r.items, d);
                    return (
                      <Table.Td key={d} p={2}>
                        {i && (
                          <Tooltip
                            label={`${i.label}: ${when(i.startAt, r.vehicle.timeZone)} – ${when(i.endAt, r.vehicle.timeZone)}`}
                          >
                            <Box
                              h={20}
                              bg={`${KIND_COLOR[i.kind]}.4`}
                              aria-label={`${r.vehicle.plate} ${d}: ${t(KIND_LABEL[i.kind])}`}
                            />
                          </Tooltip>
                        )}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {q.hasNextPage && (
            <Group mt="sm">
              <Button variant="default" loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
                {t('fleet.moreVehicles')}
              </Button>
            </Group>
          )}
        </ScrollArea>
      )}
    </>
  );
}
