import type { PaymentPort } from './payments/port';
import type { VerificationPort } from './verification/port';

/**
 * The payment and verification providers bookings call. They are read at each call, so a test may
 * put providers of its own in place of the configured ones after the services are built.
 */
export type FleetPorts = {
  payments: PaymentPort;
  verification: VerificationPort;
  /**
   * Schedules the card authorisation of a booking that starts later than an authorisation lasts;
   * answers when it will run, or null when the booking is to be authorised now.
   */
  scheduleAuthorization(i: Parameters<PaymentPort['authorize']>[0] & { startAt: Date }): Promise<Date | null>;
  /** The booking let go before its scheduled authorisation ran: that authorisation never runs. */
  unscheduleAuthorization(bookingId: string): Promise<void>;
};
