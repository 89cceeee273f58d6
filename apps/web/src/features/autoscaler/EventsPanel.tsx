import type { TAutoscalerEvent } from '@clockpilot/contracts/autoscaler';
import { Badge, Group, Paper, Stack, Switch, Text, Timeline } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconEqual } from '@tabler/icons-react';
import { useState } from 'react';
import { type Column, DataTable } from '../../app/data-table';
import { dateTimeText, timeOfDay } from '../../app/format';
import { ErrorState, LoadingState } from '../../app/ui';
import { useEventPages, useRecentEvents } from './api';
import { BreakerBadge } from './status';

/** What held the count back (or moved it), in the words the timeline shows. */
export const LIMIT_LABEL: Record<TAutoscalerEvent['limitedBy'], string> = {
  metric: 'Metric',
  stabilization: 'Stabilization window',
  rateLimit: 'Rate limit',
  bounds: 'Min/max',
  forecast: 'Forecast',
  breakerOpen: 'Breaker open',
  simulatorError: 'Simulator error',
};

const time = (iso: string) => timeOfDay(iso, undefined, undefined, true);
const change = (e: TAutoscalerEvent) =>
  `${e.previousServers} → ${e.appliedServers}${e.recommendedServers !== e.appliedServers ? ` (asked ${e.recommendedServers})` : ''}`;

/** The latest scaling decisions, newest first, with the engine's reason for each. */
export function DecisionTimeline({ clusterId, pollMs }: { clusterId: string; pollMs: number | false }) {
  const recent = useRecentEvents(clusterId, pollMs);
  if (recent.isPending) return <LoadingState />;
  if (recent.isError) return <ErrorState error={recent.error} onRetry={() => void recent.refetch()} />;
  const items = recent.data.items;
  return (
    <Paper withBorder p="sm" radius="md">
      <Text fw={600} size="sm" mb="xs">
        Decisions
      </Text>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No change of server count yet.
        </Text>
      ) : (
        <Timeline bulletSize={20} lineWidth={2} aria-label="Scaling decisions" data-testid="decisions">
          {items.slice(0, 8).map((e) => {
            const Icon =
              e.appliedServers > e.previousServers
                ? IconArrowUp
                : e.appliedServers < e.previousServers
                  ? IconArrowDown
                  : IconEqual;
            return (
              <Timeline.Item
                key={e.id}
                bullet={<Icon size={12} />}
                title={
                  <Group gap="xs">
                    <Text size="sm" fw={600}>
                      {change(e)}
                    </Text>
                    <Badge size="xs" variant="light">
                      {LIMIT_LABEL[e.limitedBy]}
                    </Badge>
                  </Group>
                }
              >
                <Text size="xs" c="dimmed">
                  {time(e.at)} · {e.reason}
                </Text>
              </Timeline.Item>
            );
          })}
        </Timeline>
      )}
    </Paper>
  );
}

const columns: Column<TAutoscalerEvent>[] = [
  { key: 'at', header: 'Time', render: (e) => dateTimeText(e.at, undefined, true) },
  { key: 'change', header: 'Servers', render: change },
  { key: 'limitedBy', header: 'Limited by', render: (e) => LIMIT_LABEL[e.limitedBy] },
  { key: 'reason', header: 'Reason', render: (e) => <Text size="xs">{e.reason}</Text> },
  { key: 'breaker', header: 'Metrics', render: (e) => <BreakerBadge state={e.breaker} /> },
];

/** Every tick's decision, page by page (cursor), optionally only those that changed the count. */
export function EventsTable({ clusterId }: { clusterId: string }) {
  const [changesOnly, setChangesOnly] = useState(false);
  const list = useEventPages(clusterId, changesOnly);
  return (
    <Stack gap="xs">
      <Switch
        label="Only changes of server count"
        checked={changesOnly}
        onChange={(e) => setChangesOnly(e.currentTarget.checked)}
      />
      <DataTable
        caption="Scaling events"
        columns={columns}
        list={list}
        rowKey={(e) => e.id}
        minWidth={800}
        empty={{
          title: 'No events yet',
          hint: 'The control loop records one each time it looks at the cluster.',
        }}
      />
    </Stack>
  );
}
