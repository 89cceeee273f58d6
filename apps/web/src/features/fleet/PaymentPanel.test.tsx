import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { auth } from '../../app/auth';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { BOOKING } from './fixtures';
import { PaymentPanel } from './PaymentPanel';

const INTENT = 'pi_local_0123456789abcdef01234567';
const SECRET = 'pi_3Q_secret_abc';

// Stripe's SDK as the panel drives it: what it loads, mounts and confirms is recorded.
const stripe = vi.hoisted(() => {
  const calls: { elements: unknown[]; created: string[]; mounted: number; confirmed: unknown[] } = {
    elements: [],
    created: [],
    mounted: 0,
    confirmed: [],
  };
  const answer = { current: {} as { error?: { message: string } } };
  const fake = {
    elements: (o: unknown) => {
      calls.elements.push(o);
      return {
        create: (kind: string) => {
          calls.created.push(kind);
          return { mount: () => calls.mounted++, destroy: () => {} };
        },
      };
    },
    confirmPayment: async (o: unknown) => {
      calls.confirmed.push(o);
      return answer.current;
    },
  };
  return { calls, answer, loadStripe: vi.fn(async (_key: string) => fake) };
});
vi.mock('@stripe/stripe-js/pure', () => ({ loadStripe: stripe.loadStripe }));

describe('payment panel', { timeout: 30_000 }, () => {
  let requests: { method: string; path: string }[];
  let provider: 'local' | 'stripe';
  let publishableKey: string | undefined;

  beforeEach(async () => {
    requests = [];
    provider = 'local';
    publishableKey = undefined;
    stripe.loadStripe.mockClear();
    Object.assign(stripe.calls, { elements: [], created: [], mounted: 0, confirmed: [] });
    stripe.answer.current = {};
    mockApi(
      (url, init) => {
        const method = init.method ?? 'GET';
        requests.push({ method, path: url.pathname });
        if (url.pathname === '/api/v1/fleet/payment-settings')
          return json({ provider, publishableKey, verificationProvider: 'local' });
        if (url.pathname.endsWith('/confirm'))
          return problem(422, {
            code: 'unprocessable',
            detail: 'The card was not authorised; nothing was charged',
          });
        if (url.pathname === `/api/v1/fleet/local-payments/${INTENT}/succeed`)
          return json({ status: 'requires_capture' });
        return new Response(null, { status: 404 });
      },
      'employee',
      ['fleet'],
    );
    await auth.ready();
  });

  it('asks the server to authorise and shows its refusal', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PaymentPanel booking={BOOKING} />);
    await user.click(await screen.findByRole('button', { name: 'Pay deposit €390.00' }));
    expect(await screen.findByText('The card was not authorised; nothing was charged')).toBeInTheDocument();
    expect(requests).toContainEqual({ method: 'POST', path: `/api/v1/fleet/bookings/${BOOKING.id}/confirm` });
  });

  it('offers the local test card while the provider waits for a card, and then waits for the webhook', async () => {
    const user = userEvent.setup({ delay: null });
    const waiting = { ...BOOKING, payment: { ...BOOKING.payment, intentId: INTENT } };
    renderWithProviders(<PaymentPanel booking={waiting} />);
    await user.click(await screen.findByRole('button', { name: 'Pay with the test card' }));
    expect(await screen.findByText(/waiting for the provider's confirmation/)).toBeInTheDocument();
    expect(requests).toContainEqual({
      method: 'POST',
      path: `/api/v1/fleet/local-payments/${INTENT}/succeed`,
    });
  });

  it('never offers a test card with Stripe, and says what it waits for', async () => {
    provider = 'stripe';
    const waiting = { ...BOOKING, payment: { ...BOOKING.payment, intentId: 'pi_3Q' } };
    renderWithProviders(<PaymentPanel booking={waiting} />);
    expect(await screen.findByText(/Your bank asks you to confirm this payment/)).toBeInTheDocument();
    await waitFor(() => expect(requests.some((r) => r.path.endsWith('/payment-settings'))).toBe(true));
    expect(screen.queryByRole('button', { name: 'Pay with the test card' })).toBeNull();
    expect(stripe.loadStripe).not.toHaveBeenCalled();
  });

  it("takes the renter's card in Stripe's Payment Element for the server's intent", async () => {
    provider = 'stripe';
    publishableKey = 'pk_test_123';
    const user = userEvent.setup({ delay: null });
    const waiting = { ...BOOKING, payment: { ...BOOKING.payment, intentId: 'pi_3Q', clientSecret: SECRET } };
    renderWithProviders(<PaymentPanel booking={waiting} />);
    const authorise = await screen.findByRole('button', { name: 'Authorise €390.00' });
    await waitFor(() => expect(authorise).toBeEnabled());
    expect(stripe.loadStripe).toHaveBeenCalledWith('pk_test_123');
    expect(stripe.calls.elements).toEqual([{ clientSecret: SECRET, locale: 'en' }]);
    expect(stripe.calls.created).toEqual(['payment']);
    expect(stripe.calls.mounted).toBe(1);
    await user.click(authorise);
    expect(await screen.findByText(/Card authorised; waiting for the payment provider/)).toBeInTheDocument();
    expect(stripe.calls.confirmed).toEqual([
      expect.objectContaining({
        redirect: 'if_required',
        confirmParams: { return_url: window.location.href },
      }),
    ]);
    // The card went to Stripe; nothing about it was sent to the app's API.
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it("shows Stripe's refusal and lets the renter try another card", async () => {
    provider = 'stripe';
    publishableKey = 'pk_test_123';
    stripe.answer.current = { error: { message: 'Your card was declined.' } };
    const user = userEvent.setup({ delay: null });
    const waiting = { ...BOOKING, payment: { ...BOOKING.payment, intentId: 'pi_3Q', clientSecret: SECRET } };
    renderWithProviders(<PaymentPanel booking={waiting} />);
    const authorise = await screen.findByRole('button', { name: 'Authorise €390.00' });
    await waitFor(() => expect(authorise).toBeEnabled());
    await user.click(authorise);
    expect(await screen.findByRole('alert')).toHaveTextContent('Your card was declined.');
    expect(screen.getByRole('button', { name: 'Authorise €390.00' })).toBeEnabled();
  });

  it("asks only the renter for a card, never staff looking at someone else's booking", async () => {
    provider = 'stripe';
    publishableKey = 'pk_test_123';
    const other = {
      ...BOOKING,
      userId: '00000000-0000-4000-8000-000000000002',
      payment: { ...BOOKING.payment, intentId: 'pi_3Q', clientSecret: SECRET },
    };
    renderWithProviders(<PaymentPanel booking={other} />);
    expect(await screen.findByText(/Your bank asks you to confirm this payment/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Authorise/ })).toBeNull();
    expect(stripe.loadStripe).not.toHaveBeenCalled();
  });

  it('shows a scheduled authorisation honestly: confirmed, nothing held yet', async () => {
    const later = {
      ...BOOKING,
      state: 'confirmed' as const,
      holdExpiresAt: null,
      payment: {
        ...BOOKING.payment,
        message: 'Your card will be authorised on 2026-12-20T10:00:00.000Z, before pick-up',
      },
    };
    renderWithProviders(<PaymentPanel booking={later} />);
    expect(await screen.findByTestId('payment-message')).toHaveTextContent('will be authorised');
    expect(screen.queryByRole('button', { name: /Pay deposit/ })).toBeNull();
    expect(screen.getByText('card authorised before pick-up')).toBeInTheDocument();
  });
});
