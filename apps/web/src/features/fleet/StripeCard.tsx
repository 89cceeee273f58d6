import { Alert, Button, Loader, Stack, Text } from '@mantine/core';
// The pure entry loads Stripe.js only when `loadStripe` is called, not when this chunk is imported.
import type { Stripe, StripeElements } from '@stripe/stripe-js';
import { loadStripe } from '@stripe/stripe-js/pure';
import { useEffect, useRef, useState } from 'react';
import { currentLanguage, t } from '../../app/i18n';

type Props = {
  publishableKey: string;
  /** The PaymentIntent's client secret, from the server's answer to `confirm`. */
  clientSecret: string;
  /** Shown on the button; the amount itself lives in the intent the server created. */
  amountLabel: string;
};

type Ready = { stripe: Stripe; elements: StripeElements };

/**
 * Card entry with Stripe's Payment Element, for a PaymentIntent the server created with manual
 * capture. The card details go from Stripe's frame to Stripe, never through this app; once the bank
 * has authorised, Stripe's signed webhook confirms the booking and the page reads that from the server.
 * Default export: the booking page loads this module (and Stripe's SDK) only when a card is asked for.
 */
export default function StripeCard({ publishableKey, clientSecret, amountLabel }: Props) {
  const mountRef = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState<Ready | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [paying, setPaying] = useState(false);
  const [sent, setSent] = useState(false);

  useEffect(() => {
    let gone = false;
    let unmount = () => {};
    loadStripe(publishableKey)
      .then((stripe) => {
        if (gone || !stripe || !mountRef.current) return;
        // Stripe's own words (card errors included) in the app's language, not the browser's.
        const elements = stripe.elements({ clientSecret, locale: currentLanguage() });
        const element = elements.create('payment', { layout: 'tabs' });
        element.mount(mountRef.current);
        unmount = () => element.destroy();
        setReady({ stripe, elements });
      })
      .catch(() => {
        if (!gone) setError(t('fleet.cardFormFailed'));
      });
    return () => {
      gone = true;
      unmount();
    };
  }, [publishableKey, clientSecret]);

  async function pay() {
    if (!ready) return;
    setPaying(true);
    setError(null);
    // A card that needs no redirect stays on this page; a bank that redirects comes back to it.
    const result = await ready.stripe.confirmPayment({
      elements: ready.elements,
      redirect: 'if_required',
      confirmParams: { return_url: window.location.href },
    });
    setPaying(false);
    if (result.error) setError(result.error.message ?? t('fleet.cardNotAuthorised'));
    else setSent(true);
  }

  return (
    <Stack gap="xs" data-testid="stripe-card">
      <div ref={mountRef} />
      {!ready && !error && <Loader size="sm" aria-label={t('fleet.loadingCardForm')} />}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {sent ? (
        <Text size="sm" role="status">
          {t('fleet.cardAuthorisedWaiting')}
        </Text>
      ) : (
        <Button onClick={() => void pay()} disabled={!ready} loading={paying}>
          {t('fleet.authorise', { amount: amountLabel })}
        </Button>
      )}
    </Stack>
  );
}
