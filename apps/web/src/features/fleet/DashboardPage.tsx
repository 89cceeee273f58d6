import type { TFleetDashboard } from '@clockpilot/contracts/fleet-ops';
import { Badge, Group, Paper, SimpleGrid, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createLazyRoute, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../app/auth';
import { EmptyState, ErrorState, LoadingState, PageTitle, Section } from '../../app/ui';
import { fleetKeys } from './api';
import { money, when } from './format';

export const Route = createLazyRoute('/_app/_fleet/fleet/dashboard')({ component: DashboardPage });

const DAY = 86_400_000;
const pct = (share: number) => `${Math.round(share * 1000) / 10} %`;
const dayInput = (d: Date) => d.toISOString().slice(0, 10);

/** Staff: how busy the fleet was over a range, what it earned, what happens next, what needs a service. */
export function DashboardPage() {
  const [from, setFrom] = useState(() => dayInput(new Date(Date.now() - 30 * DAY)));
  const [to, setTo] = useState(() => dayInput(new Date()));
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
      <PageTitle>Fleet dashboard</PageTitle>
      <Group mb="md">
        <TextInput type="date" label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput
          type="date"
          label="To"
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          error={valid ? undefined : 'Must not be before from'}
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
          <Text size="sm">Utilisation</Text>
          <Text fw={700} size="xl">
            {pct(d.overall.utilisation)}
          </Text>
          <Text size="xs">{d.overall.vehicles} vehicles</Text>
        </Paper>
        {d.revenue.length === 0 ? (
          <Paper withBorder p="sm">
            <Text size="sm">Revenue</Text>
            <Text fw={700}>No bookings in this range</Text>
          </Paper>
        ) : (
          d.revenue.map((r) => (
            <Paper withBorder p="sm" key={r.currency}>
              <Text size="sm">Revenue ({r.currency})</Text>
              <Text fw={700} size="xl">
                {money(r.bookedMinor, r.currency)}
              </Text>
              <Text size="xs">
                {r.bookings} bookings · captured {money(r.netMinor, r.currency)} net
              </Text>
            </Paper>
          ))
        )}
      </SimpleGrid>
      <Section id="handovers" title="Coming pick-ups and returns">
        {d.pickups.length + d.returns.length === 0 ? (
          <EmptyState title="Nothing to hand over this week" />
        ) : (
          <Table>
            <Table.Tbody>
              {[
                ...d.pickups.map((h) => ({ ...h, what: 'Pick-up' })),
                ...d.returns.map((h) => ({ ...h, what: 'Return' })),
              ].map((h) => (
                <Table.Tr key={`${h.what}-${h.bookingId}`}>
                  <Table.Td>{h.what}</Table.Td>
                  <Table.Td>
                    <Link to="/fleet/bookings/$bookingId" params={{ bookingId: h.bookingId }}>
                      {h.plate}
                    </Link>
                  </Table.Td>
                  <Table.Td>
                    {when(h.at, h.timeZone)} {h.overdue && <Badge color="red">Late</Badge>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
      <Section id="service" title="Due for service">
        {d.serviceDue.length === 0 ? (
          <EmptyState title="No vehicle is due for service" />
        ) : (
          d.serviceDue.map((s) => (
            <Group key={s.vehicle.id} gap="xs">
              <Text>
                {s.vehicle.plate} ·{' '}
                {s.reason === 'date'
                  ? `by ${s.vehicle.serviceDueOn}`
                  : `at ${s.vehicle.serviceDueKm} km (now ${s.vehicle.odometerKm} km)`}
              </Text>
              {s.overdue && <Badge color="red">Overdue</Badge>}
            </Group>
          ))
        )}
      </Section>
      <Section id="vehicles" title="Busiest vehicles">
        <Table>
          <Table.Tbody>
            {d.vehicles.map((v) => (
              <Table.Tr key={v.vehicleId}>
                <Table.Td>{v.plate}</Table.Td>
                <Table.Td>{v.label}</Table.Td>
                <Table.Td>{pct(v.utilisation)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
    </>
  );
}
