import type { PaymentPort } from './payments/port';
import type { VerificationPort } from './verification/port';

/**
 * The payment and verification providers bookings call. They are read at each call, so the
 * configured providers (and a test's) can be set on the services after they are built.
 */
export type FleetPorts = { payments: PaymentPort; verification: VerificationPort };

const notConfigured = () => {
  throw new Error('no payment provider is configured');
};

/**
 * With no provider set, nothing can be authorised or charged (a confirmation answers 503 and the
 * booking stays held) and nobody counts as verified.
 */
export function unconfiguredPorts(): FleetPorts {
  return {
    payments: {
      authorize: notConfigured,
      capture: notConfigured,
      cancel: notConfigured,
      refund: notConfigured,
    },
    verification: { status: async () => ({ state: 'none' }) },
  };
}
