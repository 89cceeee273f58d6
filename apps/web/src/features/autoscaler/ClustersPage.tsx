import type { CLUSTER_SORTS, TCluster } from '@clockpilot/contracts/autoscaler';
import { Badge, Button, Group, Modal, Select, Text, TextInput } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { createLazyRoute, Link, useNavigate } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { type Column, DataTable } from '../../app/data-table';
import { instantDate } from '../../app/format';
import { useListControls, usePagedList } from '../../app/list';
import { PageTitle } from '../../app/ui';
import { CLUSTERS_PATH, clusterKeys } from './api';
import { ClusterForm } from './ClusterForm';
import { BreakerBadge, MODE_LABEL } from './status';

export const Route = createLazyRoute('/_app/_autoscaler/autoscaler')({ component: ClustersPage });

type Sort = (typeof CLUSTER_SORTS)[number];

const columns: Column<TCluster, Sort>[] = [
  {
    key: 'name',
    header: 'Name',
    sortKey: 'name',
    render: (c) => (
      <Link to="/autoscaler/$clusterId" params={{ clusterId: c.id }}>
        {c.name}
      </Link>
    ),
  },
  { key: 'mode', header: 'Mode', render: (c) => <Badge variant="outline">{MODE_LABEL[c.mode]}</Badge> },
  {
    key: 'servers',
    header: 'Servers',
    align: 'right',
    render: (c) => (
      <Text size="sm" title={`between ${c.minServers} and ${c.maxServers}`}>
        {c.desiredServers}{' '}
        <Text span c="dimmed" size="xs">
          ({c.minServers}–{c.maxServers})
        </Text>
      </Text>
    ),
  },
  {
    key: 'target',
    header: 'Target',
    render: (c) =>
      c.target.type === 'cpu'
        ? `${c.target.utilizationPercent} % CPU`
        : `${c.target.requestsPerSecond} req/s per server`,
  },
  { key: 'breaker', header: 'Metrics', render: (c) => <BreakerBadge state={c.breaker} /> },
  {
    key: 'createdAt',
    header: 'Created',
    sortKey: 'createdAt',
    render: (c) => instantDate(c.createdAt),
  },
];

function ClustersPage() {
  const controls = useListControls<Sort>('name');
  const [mode, setMode] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const params = useMemo(
    () => ({ q: controls.search, mode, sort: controls.sort, dir: controls.dir }),
    [controls.search, mode, controls.sort, controls.dir],
  );
  const list = usePagedList<TCluster>({ queryKey: clusterKeys.all, path: CLUSTERS_PATH, params });

  return (
    <>
      <PageTitle
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            New cluster
          </Button>
        }
      >
        Clusters
      </PageTitle>
      <Group mb="sm">
        <TextInput
          aria-label="Search clusters"
          placeholder="Search by name"
          leftSection={<IconSearch size={14} />}
          value={controls.q}
          onChange={(e) => controls.setQ(e.currentTarget.value)}
        />
        <Select
          aria-label="Mode"
          placeholder="Any mode"
          clearable
          data={[
            { value: 'hpa', label: 'HPA' },
            { value: 'predictive', label: 'Predictive' },
          ]}
          value={mode}
          onChange={setMode}
        />
      </Group>
      <DataTable
        caption="Your clusters"
        columns={columns}
        list={list}
        controls={controls}
        rowKey={(c) => c.id}
        testId="clusters"
        empty={{
          title: controls.search || mode ? 'No cluster matches' : 'No clusters yet',
          hint: 'A cluster is a group of simulated servers the autoscaler sizes to its load. Create one to start.',
        }}
      />
      <Modal opened={creating} onClose={() => setCreating(false)} title="New cluster" size="lg">
        <ClusterForm
          onCancel={() => setCreating(false)}
          onDone={(c) => {
            setCreating(false);
            void navigate({ to: '/autoscaler/$clusterId', params: { clusterId: c.id } });
          }}
        />
      </Modal>
    </>
  );
}
