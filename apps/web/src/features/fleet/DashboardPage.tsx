import type { TFleetDashboard } from '@clockpilot/contracts/fleet-ops';
import { Badge, Group, Paper, SimpleGrid, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createLazyRoute, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../app/auth';
import { dateText, numberText, percentText } from '../../app/format';
import { t, tn } from '../../app/i18n';
import { EmptyState, ErrorState, LoadingState, PageTitle, Section } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { addDays, today } from '../time/calendar';
import { fleetKeys } from './api';
import { money, when } from './format';

export const Route = createLazyRoute('/_app/_fleet/fleet/dashboard')({ component: DashboardPage });

/** Staff: how busy the fleet was over a range, what it earned, what happens next, what needs a service. */
export function DashboardPage() {
  // The last 30 days up to today, as calendar days in the person's zone (not the UTC date).
  const zone = useMe().timeZone;
  const [from, setFrom] = useState(() => addDays(today(zone), -30));
  const [to, setTo] = useState(() => today(zone));
  // Both days count, each vehicle's days in the zone of its location (the server applies it).
  const valid = Boolean(from && to) && from <= to;
  const q = useQuery({
    queryKey: [...fleetKeys.all, 'dashboard', from, to],
    enabled: valid,
    queryFn: ({ signal }) =>
      api<TFleetDashboard>('GET', '/api/v1/fleet/dashboard', {
        query: { from, to },
        signal,
      }),
  });
  return (
    <>
      <PageTitle>{t('fleet.dashboard')}</PageTitle>
      <Group mb="md">
        <TextInput
          type="date"
          label={t('fleet.from')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('fleet.to')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          error={valid ? undefined : t('fleet.toBeforeFrom')}
        />
      </Group>
      {!valid ? null : q.isPending ? (
        <LoadingState />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Dashboard d={q.data} />
      )}
    </>
  );
}

function Dashboard({ d }: { d: TFleetDashboard }) {
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 3 }} mb="md">
        <Paper withBorder p="sm">
          <Text size="sm">{t('fleet.utilisation')}</Text>
          <Text fw={700} size="xl">
            {percentText(d.overall.utilisation, 1)}
          </Text>
          <Text size="xs">{tn('fleet.vehicleCount', d.overall.vehicles)}</Text>
        </Paper>
        {d.revenue.length === 0 ? (
          <Paper withBorder p="sm">
            <Text size="sm">{t('fleet.revenue')}</Text>
            <Text fw={700}>{t('fleet.noBookingsInRange')}</Text>
          </Paper>
        ) : (
          d.revenue.map((r) => (
            <Paper withBorder p="sm" key={r.currency}>
              <Text size="sm">{t('fleet.revenueIn', { currency: r.currency })}</Text>
              <Text fw={700} size="xl">
                {money(r.bookedMinor, r.currency)}
              </Text>
              <Text size="xs">
                {tn('fleet.bookingCount', r.bookings)} ·{' '}
                {t('fleet.capturedNet', { amount: money(r.netMinor, r.currency) })}
              </Text>
            </Paper>
          ))
        )}
      </SimpleGrid>
      <Section id="handovers" title={t('fleet.comingHandovers')}>
        {d.pickups.length + d.returns.length === 0 ? (
          <EmptyState title={t('fleet.nothingToHandOver')} />
        ) : (
          <Table>
            <Table.Tbody>
              {[
                ...d.pickups.map((h) => ({ ...h, what: t('fleet.pickUp') })),
                ...d.returns.map((h) => ({ ...h, what: t('fleet.return') })),
              ].map((h) => (
                <Table.Tr key={`${h.what}-${h.bookingId}`}>
                  <Table.Td>{h.what}</Table.Td>
                  <Table.Td>
                    <Link to="/fleet/bookings/$bookingId" params={{ bookingId: h.bookingId }}>
                      {h.plate}
                    </Link>
                  </Table.Td>
                  <Table.Td>
                    {when(h.at, h.timeZone)} {h.overdue && <Badge color="red">{t('fleet.late')}</Badge>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
      <Section id="service" title={t('fleet.dueForService')}>
        {d.serviceDue.length === 0 ? (
          <EmptyState title={t('fleet.noServiceDue')} />
        ) : (
          d.serviceDue.map((s) => (
            <Group key={s.vehicle.id} gap="xs">
              <Text>
                {s.vehicle.plate} ·{' '}
                {s.reason === 'date'
                  ? t('fleet.serviceBy', {
                      date: s.vehicle.serviceDueOn ? dateText(s.vehicle.serviceDueOn) : '',
                    })
                  : t('fleet.serviceAtKm', {
                      km: numberText(s.vehicle.serviceDueKm ?? 0),
                      now: numberText(s.vehicle.odometerKm),
                    })}
              </Text>
              {s.overdue && <Badge color="red">{t('fleet.overdue')}</Badge>}
            </Group>
          ))
        )}
      </Section>
      <Section id="vehicles" title={t('fleet.busiestVehicles')}>
        <Table>
          <Table.Tbody>
            {d.vehicles.map((v) => (
              <Table.Tr key={v.vehicleId}>
                <Table.Td>{v.plate}</Table.Td>
                <Table.Td>{v.label}</Table.Td>
                <Table.Td>{percentText(v.utilisation, 1)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
    </>
  );
}
