export interface PaymentPort {
  authorize(i: {
    bookingId: string;
    amountMinor: number;
    attempt?: number;
    currency: string;
    customer: { userId: string; email: string };
  }): Promise<{
    intentId: string;
    status: 'authorized' | 'requires_action' | 'failed';
    clientSecret?: string;
    message?: string;
  }>;
  capture(i: {
    bookingId: string;
    intentId: string;
    amountMinor: number;
  }): Promise<{ status: 'captured' | 'failed'; message?: string }>;
  cancel(i: { bookingId: string; intentId: string }): Promise<void>;
  /**
   * `refundedMinor`, what the payment had refunded before, tells a refund apart from an earlier one of
   * the same amount; the payments service gives it to the provider from its records.
   */
  refund(i: {
    bookingId: string;
    intentId: string;
    amountMinor: number;
    refundedMinor?: number;
  }): Promise<void>;
}
