import type { TSamplePoint } from '@clockpilot/contracts/autoscaler';
import { Badge, Button, Group, Modal, Paper, SimpleGrid, Stack, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { createLazyRoute, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { errorMessage } from '../../app/api';
import { ConfirmDialog } from '../../app/confirm';
import { timeOfDay } from '../../app/format';
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
              Edit
            </Button>
            <Button
              variant="subtle"
              color="red"
              leftSection={<IconTrash size={16} />}
              onClick={() => setDeleting(true)}
            >
              Delete
            </Button>
          </Group>
        }
      >
        {c.name}
      </PageTitle>
      <Group gap="xs" mb="md">
        <Link to="/autoscaler">All clusters</Link>
        <Badge variant="outline">{MODE_LABEL[c.mode]}</Badge>
        <BreakerBadge state={c.breaker} />
        <Text size="xs" c="dimmed">
          {c.lastTickAt
            ? `Last decision ${timeOfDay(c.lastTickAt, undefined, undefined, true)}`
            : 'Waiting for the first decision'}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} mb="md">
        <Stat label="Desired servers" value={c.desiredServers} testId="stat-desired" />
        <Stat label="Ready servers" value={last?.readyServers} testId="stat-ready" />
        <Stat label="Booting" value={last ? booting(last) : undefined} testId="stat-booting" />
        <Stat label="Requests/s" value={last ? Math.round(last.requestRate) : undefined} testId="stat-rate" />
      </SimpleGrid>
      <Tabs defaultValue="dashboard" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="dashboard">Dashboard</Tabs.Tab>
          <Tabs.Tab value="events">Events</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="dashboard">
          <Stack gap="md">
            {samples.isError && <ErrorState error={samples.error} onRetry={() => void samples.refetch()} />}
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <MetricChart
                title="Demand"
                unit=" req/s"
                series={[{ label: 'Requests', color: '#1971c2', values: points.map((p) => p.requestRate) }]}
              />
              <MetricChart
                title="Servers"
                unit=""
                series={[
                  { label: 'Desired', color: '#868e96', values: points.map((p) => p.desiredServers) },
                  { label: 'Ready', color: '#2f9e44', values: points.map((p) => p.readyServers) },
                  { label: 'Booting', color: '#f08c00', values: points.map(booting) },
                ]}
              />
              <MetricChart
                title="CPU"
                unit=" %"
                series={[{ label: 'CPU', color: '#e8590c', values: points.map((p) => p.cpuPercent) }]}
              />
              <MetricChart
                title="Latency"
                unit=" ms"
                series={[{ label: 'p95', color: '#7048e8', values: points.map((p) => p.p95Ms) }]}
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
      <Modal opened={editing} onClose={() => setEditing(false)} title={`Edit ${c.name}`} size="lg">
        <ClusterForm cluster={c} onCancel={() => setEditing(false)} onDone={() => setEditing(false)} />
      </Modal>
      <ConfirmDialog
        opened={deleting}
        title="Delete cluster"
        confirmLabel="Delete"
        loading={remove.isPending}
        onClose={() => setDeleting(false)}
        onConfirm={() =>
          remove.mutate(c.id, {
            onSuccess: () => {
              notifications.show({ color: 'green', message: `${c.name} deleted` });
              void navigate({ to: '/autoscaler' });
            },
            onError: (e) =>
              notifications.show({ color: 'red', title: 'Not deleted', message: errorMessage(e) }),
          })
        }
      >
        {`Delete ${c.name}? Its simulated servers, samples and events go with it.`}
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
