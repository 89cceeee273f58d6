import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { auth } from '../../app/auth';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { BOOKING } from './fixtures';
import { PaymentPanel } from './PaymentPanel';

const INTENT = 'pi_local_0123456789abcdef01234567';

describe('payment panel', { timeout: 30_000 }, () => {
  let requests: { method: string; path: string }[];
  let provider: 'local' | 'stripe';

  beforeEach(async () => {
    requests = [];
    provider = 'local';
    mockApi(
      (url, init) => {
        const method = init.method ?? 'GET';
        requests.push({ method, path: url.pathname });
        if (url.pathname === '/api/v1/fleet/payment-settings')
          return json({ provider, verificationProvider: 'local' });
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
