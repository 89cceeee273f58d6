import type { TBooking } from '@clockpilot/contracts/fleet';
import { can } from '@clockpilot/contracts/permissions';
import { Badge, Button, Card, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { createLazyRoute, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { errorMessage } from '../../app/api';
import { ConfirmDialog } from '../../app/confirm';
import { ErrorState, LoadingState, PageTitle, Section } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { bookingAction, bookingQuery, useFleetMutation, vehicleQuery } from './api';
import { cancellable, countdown, money, STATE_COLOR, STATE_LABEL, when } from './format';
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
      Held for you for <b>{left}</b>
      {left === '0:00' && ' — the hold has run out'}
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
            {STATE_LABEL[b.state]}
          </Badge>
        }
      >
        {v ? `${v.make} ${v.model}` : 'Booking'}
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
                {q.days} day{q.days === 1 ? '' : 's'}: {money(q.rentalMinor, q.currency)}
                {q.extrasMinor > 0 &&
                  ` + extras ${money(q.extrasMinor, q.currency)} (${b.extras.map((x) => EXTRA_LABEL[x]).join(', ')})`}{' '}
                = <b>{money(q.totalMinor, q.currency)}</b>
              </Text>
              <Text size="sm" c="dimmed">
                Deposit {money(q.depositMinor, q.currency)} ·{' '}
                {q.kmAllowance > 0 ? `${q.kmAllowance} km included` : 'unlimited km'}
              </Text>
              {b.state === 'held' && b.holdExpiresAt && <HoldCountdown until={b.holdExpiresAt} />}
            </Stack>
          </Card>
          {['held', 'confirmed', 'checked_out', 'returned', 'closed'].includes(b.state) && (
            <PaymentPanel booking={b} />
          )}
          {cancellable(b) && (
            <Button variant="default" color="red" onClick={() => setCancelling(true)}>
              Cancel booking
            </Button>
          )}
          {cancel.isError && <Text c="red">{errorMessage(cancel.error)}</Text>}
        </Stack>
        <Stack gap="md">
          {b.charges && (
            <Section id="charges" title="Final bill">
              <Table data-testid="charges">
                <Table.Tbody>
                  {(
                    [
                      ['Rental', b.charges.rentalMinor],
                      ['Extras', b.charges.extrasMinor],
                      ['Extra kilometres', b.charges.extraKmMinor],
                      ['Late return', b.charges.lateFeeMinor],
                      ['Damage', b.charges.damageMinor],
                      ['Total', b.charges.totalMinor],
                      ['Charged to the card', b.charges.capturedMinor],
                      ['Outstanding', b.charges.outstandingMinor],
                    ] as const
                  ).map(([label, amount]) => (
                    <Table.Tr key={label}>
                      <Table.Td>{label}</Table.Td>
                      <Table.Td ta="right">{money(amount, q.currency)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Section>
          )}
          {staff && b.state === 'confirmed' && (
            <Section id="checkout" title="Check-out">
              <HandoverForm booking={b} kind="checkout" />
            </Section>
          )}
          {staff && b.state === 'checked_out' && (
            <Section id="return" title="Return">
              <HandoverForm booking={b} kind="return" />
            </Section>
          )}
          {staff && b.state === 'returned' && (
            <Button onClick={() => settle.mutate()} loading={settle.isPending}>
              Try the final charge again
            </Button>
          )}
          {b.checkout && (
            <Text size="sm" c="dimmed">
              Picked up {when(b.checkout.at)} at {b.checkout.odometerKm} km, fuel {b.checkout.fuelEighths}/8
              {b.checkout.damage.length > 0 && `, ${b.checkout.damage.length} damage noted`}
            </Text>
          )}
          {b.return && (
            <Text size="sm" c="dimmed">
              Returned {when(b.return.at)} at {b.return.odometerKm} km, fuel {b.return.fuelEighths}/8
            </Text>
          )}
        </Stack>
      </SimpleGrid>
      <ConfirmDialog
        opened={cancelling}
        title="Cancel this booking?"
        confirmLabel="Cancel booking"
        onClose={() => setCancelling(false)}
        onConfirm={async () => {
          await cancel.mutateAsync().catch(() => undefined);
          setCancelling(false);
        }}
      >
        Cancelling well ahead of pick-up is free and releases the card authorisation; close to pick-up, one
        day's rate is charged.
      </ConfirmDialog>
    </>
  );
}
