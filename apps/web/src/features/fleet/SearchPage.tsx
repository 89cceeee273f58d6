import type { TBooking } from '@clockpilot/contracts/fleet';
import { FLEET_EXTRAS } from '@clockpilot/contracts/fleet';
import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  Group,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createLazyRoute, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { errorMessage, isApiError } from '../../app/api';
import { api } from '../../app/auth';
import { type MessageKey, t, tn } from '../../app/i18n';
import { EmptyState, ErrorState, LoadingState, PageTitle } from '../../app/ui';
import { type Availability, fleetKeys, useFleetMutation, verificationQuery } from './api';
import { fromLocalInput, kmAllowance, money, specs, takenMessage, toLocalInput, when } from './format';
import { FleetPhoto } from './Photo';

export const Route = createLazyRoute('/_app/_fleet/fleet')({ component: SearchPage });

export const EXTRA_LABEL: Record<(typeof FLEET_EXTRAS)[number], MessageKey> = {
  child_seat: 'fleet.extra.child_seat',
  gps: 'fleet.extra.gps',
  additional_driver: 'fleet.extra.additional_driver',
  full_insurance: 'fleet.extra.full_insurance',
};

/** Tomorrow 10:00 to the day after, local time: a sensible first search. */
function defaults() {
  const from = new Date();
  from.setDate(from.getDate() + 1);
  from.setHours(10, 0, 0, 0);
  const to = new Date(from);
  to.setDate(to.getDate() + 2);
  return { from: toLocalInput(from), to: toLocalInput(to), location: '', category: '' };
}

/**
 * Why a booking was refused. A vehicle taken meanwhile (409) says when; the list under it is read
 * again after every booking attempt, so it no longer offers that vehicle.
 */
function bookingRefusal(e: unknown): string {
  if (!isApiError(e) || e.status !== 409) return errorMessage(e);
  const conflict = e.problem.conflict as Parameters<typeof takenMessage>[0] | undefined;
  const why = conflict ? takenMessage(conflict) : errorMessage(e);
  return `${why} ${t('fleet.stillFree')}`;
}

/** Availability search with the server's quotes; "Book" holds the vehicle and opens the booking. */
export function SearchPage() {
  const [form, setForm] = useState(defaults);
  const [search, setSearch] = useState<typeof form | null>(null);
  const [extras, setExtras] = useState<string[]>([]);
  const navigate = useNavigate();
  const verification = useQuery(verificationQuery);
  const range = search && { from: fromLocalInput(search.from), to: fromLocalInput(search.to) };
  const results = useQuery({
    queryKey: [...fleetKeys.all, 'availability', search],
    enabled: Boolean(range?.from && range.to),
    queryFn: ({ signal }) =>
      api<Availability>('GET', '/api/v1/fleet/availability', {
        query: { ...range, location: search?.location || undefined, category: search?.category || undefined },
        signal,
      }),
  });
  const book = useFleetMutation((vehicleId: string) =>
    api<TBooking>('POST', '/api/v1/fleet/bookings', {
      body: { vehicleId, startAt: range?.from, endAt: range?.to, extras },
    }),
  );
  const field = (k: keyof typeof form) => ({
    value: form[k],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.currentTarget.value }),
  });
  return (
    <>
      <PageTitle>{t('fleet.bookAVehicle')}</PageTitle>
      {verification.data && verification.data.state !== 'approved' && (
        <Alert color="yellow" mb="md" title={t('fleet.verifyTitle')}>
          {t('fleet.verifyText')}{' '}
          <Anchor component={Link} to="/fleet/verification">
            {t('fleet.verifyNow')}
          </Anchor>
        </Alert>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setSearch({ ...form });
        }}
      >
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} mb="sm">
          <TextInput type="datetime-local" label={t('fleet.pickUp')} required {...field('from')} />
          <TextInput type="datetime-local" label={t('fleet.return')} required {...field('to')} />
          <TextInput label={t('fleet.location')} placeholder={t('fleet.any')} {...field('location')} />
          <TextInput label={t('fleet.category')} placeholder={t('fleet.any')} {...field('category')} />
        </SimpleGrid>
        <Checkbox.Group label={t('fleet.extras')} value={extras} onChange={setExtras} mb="sm">
          <Group gap="md" mt={4}>
            {FLEET_EXTRAS.map((x) => (
              <Checkbox key={x} value={x} label={t(EXTRA_LABEL[x])} />
            ))}
          </Group>
        </Checkbox.Group>
        <Button type="submit" mb="md">
          {t('fleet.search')}
        </Button>
      </form>
      {range && (!range.from || !range.to) && <Alert color="red">{t('fleet.bothDates')}</Alert>}
      {results.isFetching && !results.data && <LoadingState />}
      {results.isError && <ErrorState error={results.error} onRetry={() => void results.refetch()} />}
      {results.data && results.data.items.length === 0 && (
        <EmptyState title={t('fleet.nothingFree')}>{t('fleet.nothingFreeHint')}</EmptyState>
      )}
      {book.isError && (
        <Alert color="red" mb="sm" role="alert" title={t('fleet.notBooked')}>
          {bookingRefusal(book.error)}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} data-testid="availability">
        {results.data?.items.map(({ vehicle: v, quote: q }) => (
          <Card key={v.id} withBorder padding="sm" data-testid="offer">
            <Card.Section>
              <FleetPhoto id={v.photoIds[0]} alt={`${v.make} ${v.model}`} h={140} />
            </Card.Section>
            <Stack gap={4} mt="sm">
              <Text fw={700}>
                {v.make} {v.model}{' '}
                <Text span c="dimmed" size="sm">
                  ({v.year})
                </Text>
              </Text>
              <Text size="sm" c="dimmed">
                {specs(v)} · {v.location}
              </Text>
              <Text size="sm">
                {tn('fleet.days', q.days)} · {money(q.totalMinor, q.currency)} · {kmAllowance(q.kmAllowance)}
              </Text>
              <Text size="xs" c="dimmed">
                {t('fleet.depositHeld', {
                  deposit: money(q.depositMinor, q.currency),
                  held: money(q.authorizeMinor, q.currency),
                })}
              </Text>
              <Button
                mt="xs"
                aria-label={t('fleet.bookFor', {
                  vehicle: `${v.make} ${v.model}`,
                  total: money(q.totalMinor, q.currency),
                })}
                loading={book.isPending && book.variables === v.id}
                onClick={async () => {
                  const b = await book.mutateAsync(v.id).catch(() => null);
                  if (b) await navigate({ to: '/fleet/bookings/$bookingId', params: { bookingId: b.id } });
                }}
              >
                {t('fleet.book')}
              </Button>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
      {results.data && (
        <Text size="xs" c="dimmed" mt="sm">
          {t('fleet.freeRange', { from: when(results.data.from), to: when(results.data.to) })}
        </Text>
      )}
    </>
  );
}
