import type { TMaintenanceWindow } from '@clockpilot/contracts/fleet';
import { ZMaintenanceWindowCreate } from '@clockpilot/contracts/fleet';
import { Badge, Box, Button, Group, Paper, SimpleGrid, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { createLazyRoute, Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../app/auth';
import { showFormError } from '../../app/form';
import { numberText } from '../../app/format';
import { t } from '../../app/i18n';
import { EmptyState, ErrorState, LoadingState, PageTitle, RowAction, Section } from '../../app/ui';
import { bodyResolver } from '../../app/validate';
import { type CalendarItem, fleetKeys, useFleetMutation, vehicleQuery } from './api';
import {
  dayBars,
  fromLocalInput,
  KIND_COLOR,
  KIND_LABEL,
  money,
  STATE_LABEL,
  specs,
  toLocalInput,
  VEHICLE_STATUS_LABEL,
  when,
} from './format';
import { FleetPhoto } from './Photo';

export const Route = createLazyRoute('/_app/_fleet/fleet/vehicles/$vehicleId')({ component: VehiclePage });

const DAYS = 28;

/** Staff: one vehicle's next four weeks (bookings, holds, maintenance) and its maintenance windows. */
export function VehiclePage() {
  const { vehicleId } = useParams({ from: '/_app/_fleet/fleet/vehicles/$vehicleId' });
  const vehicle = useQuery(vehicleQuery(vehicleId));
  const [from] = useState(() => {
    const d = new Date();
    d.setHours(0, 0, 0, 0);
    return d;
  });
  const to = new Date(from.getTime() + DAYS * 86_400_000);
  const calendar = useQuery({
    queryKey: [...fleetKeys.all, 'calendar', vehicleId, from.toISOString()],
    queryFn: ({ signal }) =>
      api<{ items: CalendarItem[] }>('GET', `/api/v1/fleet/vehicles/${vehicleId}/calendar`, {
        query: { from: from.toISOString(), to: to.toISOString() },
        signal,
      }),
  });
  const remove = useFleetMutation((id: string) =>
    api('DELETE', `/api/v1/fleet/vehicles/${vehicleId}/maintenance-windows/${id}`),
  );
  if (vehicle.isPending) return <LoadingState />;
  if (vehicle.isError) return <ErrorState error={vehicle.error} onRetry={() => void vehicle.refetch()} />;
  const v = vehicle.data;
  const items = calendar.data?.items ?? [];
  return (
    <>
      <PageTitle>{`${v.make} ${v.model} · ${v.plate}`}</PageTitle>
      <SimpleGrid cols={{ base: 1, md: 3 }} mb="md">
        <FleetPhoto id={v.photoIds[0]} alt={`${v.make} ${v.model}`} h={160} />
        <Stack gap={4}>
          <Text>{specs(v)}</Text>
          <Text size="sm">
            {v.location} · {t('fleet.ratePerDay', { rate: money(v.dailyRateMinor, v.currency) })} ·{' '}
            {t('fleet.odometerReading', { km: numberText(v.odometerKm) })}
          </Text>
          <Group gap={4}>
            <Badge variant="light">{t(VEHICLE_STATUS_LABEL[v.status])}</Badge>
            {v.serviceDue && <Badge color="orange">{t('fleet.serviceDue')}</Badge>}
          </Group>
        </Stack>
      </SimpleGrid>
      <Section id="calendar" title={t('fleet.nextDays', { days: DAYS })}>
        {calendar.isPending && <LoadingState />}
        {calendar.isError && <ErrorState error={calendar.error} />}
        {calendar.data && items.length === 0 && <EmptyState title={t('fleet.freeFourWeeks')} />}
        {items.length > 0 && (
          <Stack gap={6} data-testid="calendar">
            {items.map((i) => {
              const bar = dayBars(i, from, DAYS);
              return (
                <Box key={i.id}>
                  <Group gap="xs" wrap="wrap">
                    <Badge color={KIND_COLOR[i.kind]} variant="light">
                      {t(i.kind === 'booking' && i.state ? STATE_LABEL[i.state] : KIND_LABEL[i.kind])}
                    </Badge>
                    {i.kind === 'maintenance' ? (
                      <Text size="sm">{i.label}</Text>
                    ) : (
                      <Link to="/fleet/bookings/$bookingId" params={{ bookingId: i.id }}>
                        {i.label}
                      </Link>
                    )}
                    <Text size="xs" c="dimmed">
                      {when(i.startAt)} → {when(i.endAt)} ({t('fleet.freeAgain', { at: when(i.busyUntil) })})
                    </Text>
                    {i.kind === 'maintenance' && (
                      <RowAction
                        tip={t('fleet.remove')}
                        label={t('fleet.removeMaintenance', { label: i.label })}
                        color="red"
                        icon={<IconTrash size={16} aria-hidden />}
                        onClick={() => remove.mutate(i.id)}
                      />
                    )}
                  </Group>
                  <Tooltip
                    label={t('fleet.daysOf', {
                      first: bar.startDay + 1,
                      last: bar.startDay + bar.days,
                      days: DAYS,
                    })}
                  >
                    <Paper h={6} bg="var(--mantine-color-default-hover)" pos="relative" aria-hidden>
                      <Paper
                        h={6}
                        pos="absolute"
                        bg={`var(--mantine-color-${KIND_COLOR[i.kind]}-5)`}
                        style={{
                          left: `${(bar.startDay / DAYS) * 100}%`,
                          width: `${(bar.days / DAYS) * 100}%`,
                        }}
                      />
                    </Paper>
                  </Tooltip>
                </Box>
              );
            })}
          </Stack>
        )}
      </Section>
      <Box mt="md">
        <Section id="maintenance" title={t('fleet.blockForMaintenance')}>
          <MaintenanceForm vehicleId={vehicleId} />
        </Section>
      </Box>
    </>
  );
}

type WindowValues = { startAt: string; endAt: string; reason: string };
const windowBody = (v: WindowValues) => ({
  startAt: fromLocalInput(v.startAt) ?? '',
  endAt: fromLocalInput(v.endAt) ?? '',
  reason: v.reason.trim(),
});

function MaintenanceForm({ vehicleId }: { vehicleId: string }) {
  const start = new Date(Date.now() + 86_400_000);
  start.setHours(8, 0, 0, 0);
  const form = useForm<WindowValues>({
    initialValues: {
      startAt: toLocalInput(start),
      endAt: toLocalInput(new Date(start.getTime() + 9 * 3_600_000)),
      reason: '',
    },
    validate: bodyResolver(ZMaintenanceWindowCreate, windowBody),
  });
  const add = useFleetMutation((body: unknown) =>
    api<TMaintenanceWindow>('POST', `/api/v1/fleet/vehicles/${vehicleId}/maintenance-windows`, { body }),
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (v) => {
        try {
          await add.mutateAsync(windowBody(v));
          form.reset();
        } catch (e) {
          showFormError(form, e, { fallbackField: 'startAt' });
        }
      })}
    >
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput type="datetime-local" label={t('fleet.from')} {...form.getInputProps('startAt')} />
        <TextInput type="datetime-local" label={t('fleet.to')} {...form.getInputProps('endAt')} />
        <TextInput label={t('fleet.reason')} {...form.getInputProps('reason')} />
      </SimpleGrid>
      <Button type="submit" mt="sm" loading={add.isPending}>
        {t('fleet.blockDates')}
      </Button>
    </form>
  );
}
