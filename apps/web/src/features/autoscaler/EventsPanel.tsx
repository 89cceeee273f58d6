import type { TAutoscalerEvent } from '@clockpilot/contracts/autoscaler';
import { Badge, Group, Paper, Stack, Switch, Text, Timeline } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconEqual } from '@tabler/icons-react';
import { useState } from 'react';
import { type Column, DataTable } from '../../app/data-table';
import { dateTimeText, timeOfDay } from '../../app/format';
import { type MessageKey, t } from '../../app/i18n';
import { ErrorState, LoadingState } from '../../app/ui';
import { useEventPages, useRecentEvents } from './api';
import { BreakerBadge } from './status';

/** What held the count back (or moved it), in the words the timeline shows. */
export const LIMIT_LABEL: Record<TAutoscalerEvent['limitedBy'], MessageKey> = {
  metric: 'autoscaler.limit.metric',
  stabilization: 'autoscaler.limit.stabilization',
  rateLimit: 'autoscaler.limit.rateLimit',
  bounds: 'autoscaler.limit.bounds',
  forecast: 'autoscaler.limit.forecast',
  breakerOpen: 'autoscaler.limit.breakerOpen',
  simulatorError: 'autoscaler.limit.simulatorError',
};

const time = (iso: string) => timeOfDay(iso, undefined, undefined, true);
const change = (e: TAutoscalerEvent) =>
  `${e.previousServers} → ${e.appliedServers}${e.recommendedServers !== e.appliedServers ? ` ${t('autoscaler.asked', { count: e.recommendedServers })}` : ''}`;

/** The latest scaling decisions, newest first, with the engine's reason for each. */
export function DecisionTimeline({ clusterId, pollMs }: { clusterId: string; pollMs: number | false }) {
  const recent = useRecentEvents(clusterId, pollMs);
  if (recent.isPending) return <LoadingState />;
  if (recent.isError) return <ErrorState error={recent.error} onRetry={() => void recent.refetch()} />;
  const items = recent.data.items;
  return (
    <Paper withBorder p="sm" radius="md">
      <Text fw={600} size="sm" mb="xs">
        {t('autoscaler.decisions')}
      </Text>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('autoscaler.noDecisions')}
        </Text>
      ) : (
        <Timeline
          bulletSize={20}
          lineWidth={2}
          aria-label={t('autoscaler.scalingDecisions')}
          data-testid="decisions"
        >
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
                      {t(LIMIT_LABEL[e.limitedBy])}
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

const columns = (): Column<TAutoscalerEvent>[] => [
  { key: 'at', header: t('autoscaler.time'), render: (e) => dateTimeText(e.at, undefined, true) },
  { key: 'change', header: t('autoscaler.servers'), render: change },
  { key: 'limitedBy', header: t('autoscaler.limitedBy'), render: (e) => t(LIMIT_LABEL[e.limitedBy]) },
  { key: 'reason', header: t('autoscaler.reason'), render: (e) => <Text size="xs">{e.reason}</Text> },
  { key: 'breaker', header: t('autoscaler.metrics'), render: (e) => <BreakerBadge state={e.breaker} /> },
];

/** Every tick's decision, page by page (cursor), optionally only those that changed the count. */
export function EventsTable({ clusterId }: { clusterId: string }) {
  const [changesOnly, setChangesOnly] = useState(false);
  const list = useEventPages(clusterId, changesOnly);
  return (
    <Stack gap="xs">
      <Switch
        label={t('autoscaler.onlyChanges')}
        checked={changesOnly}
        onChange={(e) => setChangesOnly(e.currentTarget.checked)}
      />
      <DataTable
        caption={t('autoscaler.scalingEvents')}
        columns={columns()}
        list={list}
        rowKey={(e) => e.id}
        minWidth={800}
        empty={{
          title: t('autoscaler.noEvents'),
          hint: t('autoscaler.noEventsHint'),
        }}
      />
    </Stack>
  );
}
