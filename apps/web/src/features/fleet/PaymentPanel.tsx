import type { TBooking } from '@clockpilot/contracts/fleet';
import { Alert, Button, Card, Group, Loader, Stack, Stepper, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { errorMessage } from '../../app/api';
import { api } from '../../app/auth';
import { useMe } from '../../app/useAuth';
import { bookingAction, paymentSettingsQuery, useFleetMutation } from './api';
import { money, type PaymentStep, paymentStep, when } from './format';

// Stripe's SDK comes with this chunk, fetched only when a renter is asked for a card.
const StripeCard = lazy(() => import('./StripeCard'));

const ACTIVE: Record<PaymentStep, number> = {
  pay: 1,
  card: 1,
  scheduled: 2,
  authorised: 2,
  captured: 3,
  none: 0,
};

/**
 * The payment of a booking as the server drives it: hold → card authorisation → confirmed. The
 * server creates and moves the payment intent; this page only shows where it stands and takes the
 * renter's card: the local provider's test card, or Stripe's Payment Element for the intent's client
 * secret.
 */
export function PaymentPanel({ booking: b }: { booking: TBooking }) {
  const settings = useQuery(paymentSettingsQuery);
  const step = paymentStep(b);
  const pay = useFleetMutation(() => bookingAction(b.id, 'confirm'));
  const card = useFleetMutation((outcome: 'succeed' | 'fail') =>
    api('POST', `/api/v1/fleet/local-payments/${b.payment.intentId}/${outcome}`, { body: {} }),
  );
  const q = b.quote;
  const local = settings.data?.provider === 'local';
  const renter = useMe().id === b.userId;
  const stripeKey = settings.data?.provider === 'stripe' ? settings.data.publishableKey : undefined;
  const stripeSecret = renter && step === 'card' ? b.payment.clientSecret : null;
  return (
    <Card withBorder>
      <Stepper active={ACTIVE[step]} size="sm" orientation="vertical" mb="sm" aria-label="Payment progress">
        <Stepper.Step
          label="Vehicle held"
          description={b.holdExpiresAt ? `until ${when(b.holdExpiresAt)}` : undefined}
        />
        <Stepper.Step
          label="Card authorisation"
          description={`${money(q.authorizeMinor, q.currency)}: rental, extras and the ${money(q.depositMinor, q.currency)} deposit`}
        />
        <Stepper.Step
          label="Confirmed"
          description={step === 'scheduled' ? 'card authorised before pick-up' : undefined}
        />
      </Stepper>
      <Stack gap="xs">
        {b.payment.message && (
          <Alert color={step === 'scheduled' ? 'blue' : 'yellow'} data-testid="payment-message">
            {b.payment.message}
          </Alert>
        )}
        {pay.isError && (
          <Alert color="red" role="alert">
            {errorMessage(pay.error)}
          </Alert>
        )}
        {step === 'pay' && (
          <Button onClick={() => pay.mutate()} loading={pay.isPending}>
            Pay deposit {money(q.authorizeMinor, q.currency)}
          </Button>
        )}
        {step === 'card' && local && (
          <Card withBorder bg="var(--mantine-color-default-hover)" data-testid="test-card">
            <Text fw={600}>Test card (local payment provider)</Text>
            <Text size="sm" c="dimmed" mb="xs">
              No real card is charged here. The provider answers as a bank would, and its signed webhook
              confirms the booking.
            </Text>
            <Group>
              <Button
                onClick={() => card.mutate('succeed')}
                loading={card.isPending && card.variables === 'succeed'}
              >
                Pay with the test card
              </Button>
              <Button
                variant="default"
                onClick={() => card.mutate('fail')}
                loading={card.isPending && card.variables === 'fail'}
              >
                Decline
              </Button>
            </Group>
            {card.isSuccess && card.variables === 'succeed' && (
              <Text size="sm" mt="xs" role="status">
                Card held; waiting for the provider's confirmation…
              </Text>
            )}
            {card.isError && (
              <Text c="red" size="sm">
                {errorMessage(card.error)}
              </Text>
            )}
          </Card>
        )}
        {stripeKey && stripeSecret && (
          <Suspense fallback={<Loader size="sm" aria-label="Loading the card form" />}>
            <StripeCard
              publishableKey={stripeKey}
              clientSecret={stripeSecret}
              amountLabel={money(q.authorizeMinor, q.currency)}
            />
          </Suspense>
        )}
        {step === 'card' && !local && !(stripeKey && stripeSecret) && (
          <Text size="sm">
            Your bank asks you to confirm this payment. We are waiting for its answer; this page updates by
            itself.
          </Text>
        )}
        {step === 'card' && (
          <Button variant="subtle" size="xs" onClick={() => pay.mutate()} loading={pay.isPending}>
            Start the payment again
          </Button>
        )}
        {(step === 'authorised' || step === 'captured') && (
          <Text size="sm" data-testid="payment-state">
            Authorised {money(b.payment.authorizedMinor, q.currency)}
            {b.payment.capturedMinor > 0 && ` · charged ${money(b.payment.capturedMinor, q.currency)}`}
            {b.payment.capturedMinor > 0 &&
              b.payment.authorizedMinor > b.payment.capturedMinor &&
              ` · released ${money(b.payment.authorizedMinor - b.payment.capturedMinor, q.currency)}`}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
