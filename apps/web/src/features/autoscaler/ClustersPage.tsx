import type { CLUSTER_SORTS, TCluster } from '@clockpilot/contracts/autoscaler';
import { Badge, Button, Group, Modal, Select, Text, TextInput } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { createLazyRoute, Link, useNavigate } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { type Column, DataTable } from '../../app/data-table';
import { instantDate, numberText } from '../../app/format';
import { t } from '../../app/i18n';
import { useListControls, usePagedList } from '../../app/list';
import { PageTitle } from '../../app/ui';
import { CLUSTERS_PATH, clusterKeys } from './api';
import { ClusterForm } from './ClusterForm';
import { BreakerBadge, MODE_LABEL } from './status';

export const Route = createLazyRoute('/_app/_autoscaler/autoscaler')({ component: ClustersPage });

type Sort = (typeof CLUSTER_SORTS)[number];

const columns = (): Column<TCluster, Sort>[] => [
  {
    key: 'name',
    header: t('autoscaler.name'),
    sortKey: 'name',
    render: (c) => (
      <Link to="/autoscaler/$clusterId" params={{ clusterId: c.id }}>
        {c.name}
      </Link>
    ),
  },
  {
    key: 'mode',
    header: t('autoscaler.mode'),
    render: (c) => <Badge variant="outline">{t(MODE_LABEL[c.mode])}</Badge>,
  },
  {
    key: 'servers',
    header: t('autoscaler.servers'),
    align: 'right',
    render: (c) => (
      <Text size="sm" title={t('autoscaler.between', { min: c.minServers, max: c.maxServers })}>
        {c.desiredServers}{' '}
        <Text span c="dimmed" size="xs">
          ({c.minServers}–{c.maxServers})
        </Text>
      </Text>
    ),
  },
  {
    key: 'target',
    header: t('autoscaler.target'),
    render: (c) =>
      c.target.type === 'cpu'
        ? t('autoscaler.targetCpu', { percent: numberText(c.target.utilizationPercent) })
        : t('autoscaler.targetRps', { rps: numberText(c.target.requestsPerSecond) }),
  },
  { key: 'breaker', header: t('autoscaler.metrics'), render: (c) => <BreakerBadge state={c.breaker} /> },
  {
    key: 'createdAt',
    header: t('autoscaler.created'),
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
            {t('autoscaler.newCluster')}
          </Button>
        }
      >
        {t('autoscaler.clusters')}
      </PageTitle>
      <Group mb="sm">
        <TextInput
          aria-label={t('autoscaler.search')}
          placeholder={t('autoscaler.searchByName')}
          leftSection={<IconSearch size={14} />}
          value={controls.q}
          onChange={(e) => controls.setQ(e.currentTarget.value)}
        />
        <Select
          aria-label={t('autoscaler.mode')}
          placeholder={t('autoscaler.anyMode')}
          clearable
          data={[
            { value: 'hpa', label: t(MODE_LABEL.hpa) },
            { value: 'predictive', label: t(MODE_LABEL.predictive) },
          ]}
          value={mode}
          onChange={setMode}
        />
      </Group>
      <DataTable
        caption={t('autoscaler.yourClusters')}
        columns={columns()}
        list={list}
        controls={controls}
        rowKey={(c) => c.id}
        testId="clusters"
        empty={{
          title: t(controls.search || mode ? 'autoscaler.noMatch' : 'autoscaler.noClusters'),
          hint: t('autoscaler.noClustersHint'),
        }}
      />
      <Modal
        opened={creating}
        onClose={() => setCreating(false)}
        title={t('autoscaler.newCluster')}
        size="lg"
      >
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
