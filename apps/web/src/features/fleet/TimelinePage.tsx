import type { TTimeline } from '@clockpilot/contracts/fleet-ops';
import { Box, Button, Group, ScrollArea, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { createLazyRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../app/auth';
import { EmptyState, ErrorState, LoadingState, PageTitle } from '../../app/ui';
import { fleetKeys } from './api';
import { when } from './format';

export const Route = createLazyRoute('/_app/_fleet/fleet/timeline')({ component: TimelinePage });

const DAYS = 14;
const DAY = 86_400_000;
const KIND_COLOR = { booking: 'teal', hold: 'yellow', maintenance: 'orange' } as const;
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
  const [from, setFrom] = useState(() => new Date().toISOString().slice(0, 10));
  const to = from ? new Date(Date.parse(from) + (DAYS - 1) * DAY).toISOString().slice(0, 10) : '';
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
      <PageTitle>Fleet timeline</PageTitle>
      <TextInput
        type="date"
        label="From"
        value={from}
        onChange={(e) => setFrom(e.currentTarget.value)}
        mb="md"
      />
      {q.isPending ? (
        <LoadingState />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title="No vehicles in service" />
      ) : (
        <ScrollArea>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Vehicle</Table.Th>
                {days.map((d) => (
                  <Table.Th key={d}>{d.slice(5)}</Table.Th>
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
                              aria-label={`${r.vehicle.plate} ${d}: ${i.kind}`}
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
                More vehicles
              </Button>
            </Group>
          )}
        </ScrollArea>
      )}
    </>
  );
}
