import type { TSamplePoint } from '@clockpilot/contracts/autoscaler';
import { Badge, Button, Group, Modal, Paper, SimpleGrid, Stack, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { createLazyRoute, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { errorMessage } from '../../app/api';
import { ConfirmDialog } from '../../app/confirm';
import { timeOfDay } from '../../app/format';
import { t } from '../../app/i18n';
import { ErrorState, LoadingState, PageTitle } from '../../app/ui';
import { POLL_MS, useCluster, useDeleteCluster, useSamples } from './api';
import { ClusterForm } from './ClusterForm';
import { DecisionTimeline, EventsTable } from './EventsPanel';
import { useLiveCluster } from './live';
import { MetricChart } from './MetricChart';
import { SimulatorControls } from './SimulatorControls';
import { BreakerBadge, MODE_LABEL } from './status';

export const Route = createLazyRoute('/_app/_autoscaler/autoscaler/$clusterId')({ component: ClusterPage });

/** Servers asked for but not ready yet: booting ones (the simulator drains removed ones at once). */
export const booting = (p: TSamplePoint) => Math.max(0, p.desiredServers - p.readyServers);

function ClusterPage() {
  const { clusterId } = Route.useParams();
  const pollMs = useLiveCluster(clusterId);
  const cluster = useCluster(clusterId, pollMs);
  const samples = useSamples(clusterId, pollMs);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const remove = useDeleteCluster();
  const navigate = useNavigate();

  if (cluster.isPending) return <LoadingState />;
  if (cluster.isError) return <ErrorState error={cluster.error} onRetry={() => void cluster.refetch()} />;
  const c = cluster.data;
  const points = samples.data?.points ?? [];
  const last = points.at(-1);

  return (
    <>
      <PageTitle
        actions={
          <Group gap="xs">
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
              {t('autoscaler.edit')}
            </Button>
            <Button
              variant="subtle"
              color="red"
              leftSection={<IconTrash size={16} />}
              onClick={() => setDeleting(true)}
            >
              {t('autoscaler.delete')}
            </Button>
          </Group>
        }
      >
        {c.name}
      </PageTitle>
      <Group gap="xs" mb="md">
        <Link to="/autoscaler">{t('autoscaler.allClusters')}</Link>
        <Badge variant="outline">{t(MODE_LABEL[c.mode])}</Badge>
        <BreakerBadge state={c.breaker} />
        <Text size="xs" c="dimmed">
          {c.lastTickAt
            ? t('autoscaler.lastDecision', { time: timeOfDay(c.lastTickAt, undefined, undefined, true) })
            : t('autoscaler.waitingForDecision')}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} mb="md">
        <Stat label={t('autoscaler.desiredServers')} value={c.desiredServers} testId="stat-desired" />
        <Stat label={t('autoscaler.readyServers')} value={last?.readyServers} testId="stat-ready" />
        <Stat
          label={t('autoscaler.booting')}
          value={last ? booting(last) : undefined}
          testId="stat-booting"
        />
        <Stat
          label={t('autoscaler.requestsPerSecond')}
          value={last ? Math.round(last.requestRate) : undefined}
          testId="stat-rate"
        />
      </SimpleGrid>
      <Tabs defaultValue="dashboard" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="dashboard">{t('autoscaler.dashboard')}</Tabs.Tab>
          <Tabs.Tab value="events">{t('autoscaler.events')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="dashboard">
          <Stack gap="md">
            {samples.isError && <ErrorState error={samples.error} onRetry={() => void samples.refetch()} />}
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <MetricChart
                id="demand"
                title={t('autoscaler.demand')}
                unit={t('autoscaler.unit.rps')}
                series={[
                  {
                    label: t('autoscaler.requests'),
                    color: '#1971c2',
                    values: points.map((p) => p.requestRate),
                  },
                ]}
              />
              <MetricChart
                title={t('autoscaler.servers')}
                unit=""
                series={[
                  {
                    label: t('autoscaler.desired'),
                    color: '#868e96',
                    values: points.map((p) => p.desiredServers),
                  },
                  {
                    label: t('autoscaler.ready'),
                    color: '#2f9e44',
                    values: points.map((p) => p.readyServers),
                  },
                  { label: t('autoscaler.booting'), color: '#f08c00', values: points.map(booting) },
                ]}
              />
              <MetricChart
                title={t('autoscaler.cpu')}
                unit=" %"
                series={[
                  { label: t('autoscaler.cpu'), color: '#e8590c', values: points.map((p) => p.cpuPercent) },
                ]}
              />
              <MetricChart
                title={t('autoscaler.latency')}
                unit=" ms"
                series={[
                  { label: t('autoscaler.p95'), color: '#7048e8', values: points.map((p) => p.p95Ms) },
                ]}
              />
            </SimpleGrid>
            <DecisionTimeline clusterId={c.id} pollMs={pollMs} />
            <SimulatorControls cluster={c} pollMs={POLL_MS} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="events">
          <EventsTable clusterId={c.id} />
        </Tabs.Panel>
      </Tabs>
      <Modal
        opened={editing}
        onClose={() => setEditing(false)}
        title={t('autoscaler.editTitle', { name: c.name })}
        size="lg"
      >
        <ClusterForm cluster={c} onCancel={() => setEditing(false)} onDone={() => setEditing(false)} />
      </Modal>
      <ConfirmDialog
        opened={deleting}
        title={t('autoscaler.deleteTitle')}
        confirmLabel={t('autoscaler.delete')}
        loading={remove.isPending}
        onClose={() => setDeleting(false)}
        onConfirm={() =>
          remove.mutate(c.id, {
            onSuccess: () => {
              notifications.show({ color: 'green', message: t('autoscaler.deleted', { name: c.name }) });
              void navigate({ to: '/autoscaler' });
            },
            onError: (e) =>
              notifications.show({
                color: 'red',
                title: t('autoscaler.notDeleted'),
                message: errorMessage(e),
              }),
          })
        }
      >
        {t('autoscaler.deleteAsk', { name: c.name })}
      </ConfirmDialog>
    </>
  );
}

function Stat({ label, value, testId }: { label: string; value: number | undefined; testId: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" data-testid={testId}>
        {value ?? '–'}
      </Text>
    </Paper>
  );
}
