import type { TBooking } from '@clockpilot/contracts/fleet';
import { Alert, Button, Card, Group, Loader, Stack, Stepper, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { errorMessage } from '../../app/api';
import { api } from '../../app/auth';
import { t } from '../../app/i18n';
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
      <Stepper
        active={ACTIVE[step]}
        size="sm"
        orientation="vertical"
        mb="sm"
        aria-label={t('fleet.paymentProgress')}
      >
        <Stepper.Step
          label={t('fleet.vehicleHeld')}
          description={b.holdExpiresAt ? t('fleet.until', { at: when(b.holdExpiresAt) }) : undefined}
        />
        <Stepper.Step
          label={t('fleet.cardAuthorisation')}
          description={t('fleet.authorisationParts', {
            amount: money(q.authorizeMinor, q.currency),
            deposit: money(q.depositMinor, q.currency),
          })}
        />
        <Stepper.Step
          label={t('fleet.state.confirmed')}
          description={step === 'scheduled' ? t('fleet.authorisedBeforePickUp') : undefined}
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
            {t('fleet.payDeposit', { amount: money(q.authorizeMinor, q.currency) })}
          </Button>
        )}
        {step === 'card' && local && (
          <Card withBorder bg="var(--mantine-color-default-hover)" data-testid="test-card">
            <Text fw={600}>{t('fleet.testCard')}</Text>
            <Text size="sm" c="dimmed" mb="xs">
              {t('fleet.testCardText')}
            </Text>
            <Group>
              <Button
                onClick={() => card.mutate('succeed')}
                loading={card.isPending && card.variables === 'succeed'}
              >
                {t('fleet.payWithTestCard')}
              </Button>
              <Button
                variant="default"
                onClick={() => card.mutate('fail')}
                loading={card.isPending && card.variables === 'fail'}
              >
                {t('fleet.decline')}
              </Button>
            </Group>
            {card.isSuccess && card.variables === 'succeed' && (
              <Text size="sm" mt="xs" role="status">
                {t('fleet.cardHeldWaiting')}
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
          <Suspense fallback={<Loader size="sm" aria-label={t('fleet.loadingCardForm')} />}>
            <StripeCard
              publishableKey={stripeKey}
              clientSecret={stripeSecret}
              amountLabel={money(q.authorizeMinor, q.currency)}
            />
          </Suspense>
        )}
        {step === 'card' && !local && !(stripeKey && stripeSecret) && (
          <Text size="sm">{t('fleet.bankConfirm')}</Text>
        )}
        {step === 'card' && (
          <Button variant="subtle" size="xs" onClick={() => pay.mutate()} loading={pay.isPending}>
            {t('fleet.restartPayment')}
          </Button>
        )}
        {(step === 'authorised' || step === 'captured') && (
          <Text size="sm" data-testid="payment-state">
            {t('fleet.authorisedAmount', { amount: money(b.payment.authorizedMinor, q.currency) })}
            {b.payment.capturedMinor > 0 &&
              ` · ${t('fleet.chargedAmount', { amount: money(b.payment.capturedMinor, q.currency) })}`}
            {b.payment.capturedMinor > 0 &&
              b.payment.authorizedMinor > b.payment.capturedMinor &&
              ` · ${t('fleet.releasedAmount', {
                amount: money(b.payment.authorizedMinor - b.payment.capturedMinor, q.currency),
              })}`}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
