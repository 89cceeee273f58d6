import type { TBooking } from '@clockpilot/contracts/fleet';
import { can } from '@clockpilot/contracts/permissions';
import { Badge, Button, Card, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { createLazyRoute, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { errorMessage } from '../../app/api';
import { ConfirmDialog } from '../../app/confirm';
import { numberText } from '../../app/format';
import { t, tn } from '../../app/i18n';
import { ErrorState, LoadingState, PageTitle, Section } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { bookingAction, bookingQuery, useFleetMutation, vehicleQuery } from './api';
import { cancellable, countdown, kmAllowance, money, STATE_COLOR, STATE_LABEL, when } from './format';
import { HandoverForm } from './HandoverForm';
import { PaymentPanel } from './PaymentPanel';
import { EXTRA_LABEL } from './SearchPage';

export const Route = createLazyRoute('/_app/_fleet/fleet/bookings/$bookingId')({ component: BookingPage });

/** The hold's time left, ticking every second. */
function HoldCountdown({ until }: { until: string }) {
  const [now, setNow] = useState(Date.now());
  useInterval(() => setNow(Date.now()), 1000, { autoInvoke: true });
  const left = countdown(until, now);
  return (
    <Text size="sm" role="timer" aria-live="off" data-testid="hold-countdown">
      {t('fleet.heldFor')} <b>{left}</b>
      {left === '0:00' && ` — ${t('fleet.holdRunOut')}`}
    </Text>
  );
}

export function BookingPage() {
  const { bookingId } = useParams({ from: '/_app/_fleet/fleet/bookings/$bookingId' });
  const me = useMe();
  const staff = can(me.role, 'fleet:manage');
  const booking = useQuery(bookingQuery(bookingId));
  const vehicle = useQuery({
    ...vehicleQuery(booking.data?.vehicleId ?? ''),
    enabled: Boolean(booking.data),
  });
  const [cancelling, setCancelling] = useState(false);
  const cancel = useFleetMutation(() => bookingAction(bookingId, 'cancel'));
  const settle = useFleetMutation(() => bookingAction(bookingId, 'settle'));
  if (booking.isPending) return <LoadingState />;
  if (booking.isError) return <ErrorState error={booking.error} onRetry={() => void booking.refetch()} />;
  const b: TBooking = booking.data;
  const v = vehicle.data;
  const q = b.quote;
  return (
    <>
      <PageTitle
        actions={
          <Badge size="lg" color={STATE_COLOR[b.state]} data-testid="booking-state">
            {t(STATE_LABEL[b.state])}
          </Badge>
        }
      >
        {v ? `${v.make} ${v.model}` : t('fleet.booking')}
      </PageTitle>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Stack gap="md">
          <Card withBorder>
            <Stack gap={4}>
              {v && (
                <Text size="sm" c="dimmed">
                  {v.plate} · {v.location}
                </Text>
              )}
              <Text>
                {when(b.startAt)} → {when(b.endAt)}
              </Text>
              <Text size="sm">
                {tn('fleet.days', q.days)}: {money(q.rentalMinor, q.currency)}
                {q.extrasMinor > 0 &&
                  ` + ${t('fleet.extrasAmount', {
                    amount: money(q.extrasMinor, q.currency),
                    list: b.extras.map((x) => t(EXTRA_LABEL[x])).join(', '),
                  })}`}{' '}
                = <b>{money(q.totalMinor, q.currency)}</b>
              </Text>
              <Text size="sm" c="dimmed">
                {t('fleet.deposit', { amount: money(q.depositMinor, q.currency) })} ·{' '}
                {kmAllowance(q.kmAllowance)}
              </Text>
              {b.state === 'held' && b.holdExpiresAt && <HoldCountdown until={b.holdExpiresAt} />}
            </Stack>
          </Card>
          {['held', 'confirmed', 'checked_out', 'returned', 'closed'].includes(b.state) && (
            <PaymentPanel booking={b} />
          )}
          {cancellable(b) && (
            <Button variant="default" color="red" onClick={() => setCancelling(true)}>
              {t('fleet.cancelBooking')}
            </Button>
          )}
          {cancel.isError && <Text c="red">{errorMessage(cancel.error)}</Text>}
        </Stack>
        <Stack gap="md">
          {b.charges && (
            <Section id="charges" title={t('fleet.finalBill')}>
              <Table data-testid="charges">
                <Table.Tbody>
                  {(
                    [
                      ['fleet.charge.rental', b.charges.rentalMinor],
                      ['fleet.extras', b.charges.extrasMinor],
                      ['fleet.charge.extraKm', b.charges.extraKmMinor],
                      ['fleet.charge.late', b.charges.lateFeeMinor],
                      ['fleet.charge.damage', b.charges.damageMinor],
                      ['fleet.total', b.charges.totalMinor],
                      ['fleet.charge.captured', b.charges.capturedMinor],
                      ['fleet.charge.outstanding', b.charges.outstandingMinor],
                    ] as const
                  ).map(([label, amount]) => (
                    <Table.Tr key={label}>
                      <Table.Td>{t(label)}</Table.Td>
                      <Table.Td ta="right">{money(amount, q.currency)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Section>
          )}
          {staff && b.state === 'confirmed' && (
            <Section id="checkout" title={t('fleet.checkout')}>
              <HandoverForm booking={b} kind="checkout" />
            </Section>
          )}
          {staff && b.state === 'checked_out' && (
            <Section id="return" title={t('fleet.return')}>
              <HandoverForm booking={b} kind="return" />
            </Section>
          )}
          {staff && b.state === 'returned' && (
            <Button onClick={() => settle.mutate()} loading={settle.isPending}>
              {t('fleet.retryCharge')}
            </Button>
          )}
          {b.checkout && (
            <Text size="sm" c="dimmed">
              {t('fleet.pickedUpAt', {
                at: when(b.checkout.at),
                km: numberText(b.checkout.odometerKm),
                fuel: b.checkout.fuelEighths,
              })}
              {b.checkout.damage.length > 0 && `, ${tn('fleet.damageNoted', b.checkout.damage.length)}`}
            </Text>
          )}
          {b.return && (
            <Text size="sm" c="dimmed">
              {t('fleet.returnedAt', {
                at: when(b.return.at),
                km: numberText(b.return.odometerKm),
                fuel: b.return.fuelEighths,
              })}
            </Text>
          )}
        </Stack>
      </SimpleGrid>
      <ConfirmDialog
        opened={cancelling}
        title={t('fleet.cancelAsk')}
        confirmLabel={t('fleet.cancelBooking')}
        onClose={() => setCancelling(false)}
        onConfirm={async () => {
          await cancel.mutateAsync().catch(() => undefined);
          setCancelling(false);
        }}
      >
        {t('fleet.cancelText')}
      </ConfirmDialog>
    </>
  );
}
