import type { TVehicle } from '@clockpilot/contracts/fleet';
import { VEHICLE_STATUSES } from '@clockpilot/contracts/fleet';
import { can } from '@clockpilot/contracts/permissions';
import { Anchor, Badge, Box, Button, Drawer, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconEdit, IconPlus } from '@tabler/icons-react';
import { createLazyRoute, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { type Column, DataTable } from '../../app/data-table';
import { t, tn } from '../../app/i18n';
import { useListControls, usePagedList } from '../../app/list';
import { PageTitle, RowAction } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { fleetKeys } from './api';
import { money, options, TRANSMISSION_LABEL, VEHICLE_STATUS_LABEL } from './format';
import { FleetPhoto } from './Photo';
import { VehicleForm } from './VehicleForm';

export const Route = createLazyRoute('/_app/_fleet/fleet/vehicles')({ component: VehiclesPage });

type Sort = 'created' | 'rate' | 'plate' | 'year';

/** The catalogue: filters, sortable columns, pages, photos; managers add and edit vehicles here. */
export function VehiclesPage() {
  const me = useMe();
  const manager = can(me.role, 'fleet:manage');
  const controls = useListControls<Sort>('created');
  const [filters, setFilters] = useState({ location: '', category: '', status: null as string | null });
  const [debounced] = useDebouncedValue(filters, 300);
  const list = usePagedList<TVehicle>({
    queryKey: fleetKeys.vehicles,
    path: '/api/v1/fleet/vehicles',
    params: { ...debounced, sort: controls.sort, dir: controls.dir },
    limit: 25,
  });
  const [editing, setEditing] = useState<{ vehicle?: TVehicle } | null>(null);
  const name = (v: TVehicle) => `${v.make} ${v.model} ${v.plate}`;
  const columns: Column<TVehicle, Sort>[] = [
    {
      key: 'photo',
      header: t('fleet.photo'),
      hiddenHeader: true,
      width: 96,
      render: (v) => <FleetPhoto id={v.photoIds[0]} alt={`${v.make} ${v.model}`} h={56} />,
    },
    {
      key: 'vehicle',
      header: t('fleet.vehicle'),
      sortKey: 'plate',
      render: (v) =>
        manager ? (
          <Anchor component={Link} to={`/fleet/vehicles/${v.id}`}>
            {v.make} {v.model} · {v.plate}
          </Anchor>
        ) : (
          `${v.make} ${v.model}`
        ),
    },
    { key: 'year', header: t('fleet.year'), sortKey: 'year', render: (v) => v.year },
    {
      key: 'category',
      header: t('fleet.category'),
      render: (v) =>
        `${v.category} · ${tn('fleet.seats', v.seats)} · ${t(TRANSMISSION_LABEL[v.transmission])}`,
    },
    { key: 'location', header: t('fleet.location'), render: (v) => v.location },
    {
      key: 'rate',
      header: t('fleet.perDay'),
      sortKey: 'rate',
      align: 'right',
      render: (v) => money(v.dailyRateMinor, v.currency),
    },
    {
      key: 'status',
      header: t('fleet.status'),
      render: (v) => (
        <Group gap={4}>
          <Badge color={v.status === 'available' ? 'teal' : 'gray'} variant="light">
            {t(VEHICLE_STATUS_LABEL[v.status])}
          </Badge>
          {manager && v.serviceDue && <Badge color="orange">{t('fleet.serviceDue')}</Badge>}
        </Group>
      ),
    },
  ];
  if (manager)
    columns.push({
      key: 'actions',
      header: t('ui.actions'),
      hiddenHeader: true,
      align: 'right',
      render: (v) => (
        <RowAction
          tip={t('fleet.edit')}
          label={t('fleet.editNamed', { name: name(v) })}
          icon={<IconEdit size={18} aria-hidden />}
          onClick={() => setEditing({ vehicle: v })}
        />
      ),
    });
  const set = (k: keyof typeof filters) => (value: string | null) =>
    setFilters((f) => ({ ...f, [k]: value }));
  return (
    <>
      <PageTitle
        actions={
          manager && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing({})}>
              {t('fleet.addVehicle')}
            </Button>
          )
        }
      >
        {t('fleet.vehicles')}
      </PageTitle>
      <Group mb="md" gap="sm" wrap="wrap" align="flex-end">
        <TextInput
          label={t('fleet.location')}
          value={filters.location}
          onChange={(e) => set('location')(e.currentTarget.value)}
        />
        <TextInput
          label={t('fleet.category')}
          value={filters.category}
          onChange={(e) => set('category')(e.currentTarget.value)}
        />
        {manager && (
          <Select
            label={t('fleet.status')}
            clearable
            data={options(VEHICLE_STATUSES, VEHICLE_STATUS_LABEL)}
            value={filters.status}
            onChange={set('status')}
          />
        )}
      </Group>
      <Box>
        <DataTable
          caption={t('fleet.vehicles')}
          columns={columns}
          list={list}
          controls={controls}
          rowKey={(v) => v.id}
          minWidth={760}
          testId="vehicle-table"
          empty={{
            title: t('fleet.noVehicles'),
            hint: t(manager ? 'fleet.noVehiclesHint' : 'fleet.noVehiclesMatch'),
          }}
        />
      </Box>
      <Drawer
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={
          editing?.vehicle ? t('fleet.editNamed', { name: name(editing.vehicle) }) : t('fleet.addVehicle')
        }
        position="right"
        size="lg"
      >
        {editing && (
          <VehicleForm
            vehicle={editing.vehicle}
            onDone={() => setEditing(null)}
            onCancel={() => setEditing(null)}
          />
        )}
      </Drawer>
    </>
  );
}
