import type { TBooking } from '@clockpilot/contracts/fleet';
import { BOOKING_STATES } from '@clockpilot/contracts/fleet';
import { can } from '@clockpilot/contracts/permissions';
import { Alert, Anchor, Badge, Button, Group, Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createLazyRoute, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { type Column, DataTable } from '../../app/data-table';
import { t } from '../../app/i18n';
import { usePagedList } from '../../app/list';
import { PageTitle } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { fleetKeys, paymentNoticesQuery } from './api';
import { money, options, STATE_COLOR, STATE_LABEL, when } from './format';

export const Route = createLazyRoute('/_app/_fleet/fleet/bookings')({ component: BookingsPage });

/** A renter's own bookings, newest pick-up first; staff see everyone's. */
export function BookingsPage() {
  const me = useMe();
  const staff = can(me.role, 'fleet:manage');
  const [state, setState] = useState<string | null>(null);
  const notices = useQuery(paymentNoticesQuery);
  const list = usePagedList<TBooking>({
    queryKey: fleetKeys.bookings,
    path: '/api/v1/fleet/bookings',
    params: { state },
    limit: 25,
  });
  const title = t(staff ? 'fleet.bookings' : 'fleet.myBookings');
  const columns: Column<TBooking>[] = [
    {
      key: 'dates',
      header: t('fleet.dates'),
      render: (b) => (
        <Anchor component={Link} to={`/fleet/bookings/${b.id}`} data-testid="booking-link">
          {when(b.startAt)} → {when(b.endAt)}
        </Anchor>
      ),
    },
    {
      key: 'state',
      header: t('fleet.state'),
      render: (b) => (
        <Badge color={STATE_COLOR[b.state]} variant="light">
          {t(STATE_LABEL[b.state])}
        </Badge>
      ),
    },
    {
      key: 'total',
      header: t('fleet.total'),
      align: 'right',
      render: (b) => money(b.quote.totalMinor, b.quote.currency),
    },
    {
      key: 'open',
      header: t('ui.actions'),
      hiddenHeader: true,
      align: 'right',
      render: (b) => (
        <Button size="xs" variant="subtle" component={Link} to={`/fleet/bookings/${b.id}`}>
          {t(b.state === 'held' ? 'fleet.pay' : 'fleet.open')}
        </Button>
      ),
    },
  ];
  return (
    <>
      <PageTitle
        actions={
          <Button component={Link} to="/fleet">
            {t('fleet.bookAVehicle')}
          </Button>
        }
      >
        {title}
      </PageTitle>
      {notices.data?.items.slice(0, 3).map((n) => (
        <Alert key={n.id} color="orange" mb="sm" title={when(n.createdAt)} data-testid="payment-notice">
          {n.message}{' '}
          <Anchor component={Link} to={`/fleet/bookings/${n.bookingId}`}>
            {t('fleet.openBooking')}
          </Anchor>
        </Alert>
      ))}
      <Group mb="md">
        <Select
          label={t('fleet.state')}
          clearable
          placeholder={t('fleet.all')}
          value={state}
          onChange={setState}
          data={options(BOOKING_STATES, STATE_LABEL)}
        />
      </Group>
      <DataTable
        caption={title}
        columns={columns}
        list={list}
        rowKey={(b) => b.id}
        minWidth={520}
        testId="bookings-table"
        empty={{ title: t('fleet.noBookings'), hint: t('fleet.noBookingsHint') }}
      />
    </>
  );
}
