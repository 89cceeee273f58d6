import { z } from 'zod';
import { ZId, ZIsoDate, ZIsoDateTime, ZString } from './common';

/** Which payment provider runs and what the web app needs to take a card with it. */
export const ZPaymentSettings = z.object({
  provider: z.enum(['stripe', 'local']),
  /** Stripe.js is loaded with this; absent with the local provider. */
  publishableKey: ZString.optional(),
  verificationProvider: z.enum(['persona', 'local']),
});
export type TPaymentSettings = z.infer<typeof ZPaymentSettings>;

/** The local provider's test-card page: the renter's card is held (`succeed`) or declined (`fail`). */
export const ZLocalPaymentParams = z.object({
  intentId: ZString.regex(/^pi_local_[0-9a-f]{24}$/, 'Not a local payment id'),
  outcome: z.enum(['succeed', 'fail']),
});
export const ZLocalPaymentResult = z.object({
  status: z.enum(['requires_payment_method', 'requires_capture', 'succeeded', 'canceled']),
});

/** A webhook delivery was accepted (also when it was a duplicate or changed nothing). */
export const ZWebhookAck = z.object({ received: z.literal(true), outcome: ZString });

export const ZPaymentNotice = z.object({
  id: ZId,
  bookingId: ZId,
  kind: z.enum(['authorization_failed', 'payment_failed', 'dispute_opened']),
  message: ZString,
  createdAt: ZIsoDateTime,
});
export const ZPaymentNoticeList = z.object({ items: z.array(ZPaymentNotice) });
export type TPaymentNoticeList = z.infer<typeof ZPaymentNoticeList>;

export const ZVerificationState = z.enum(['none', 'pending', 'approved', 'declined', 'expired', 'review']);
export type TVerificationState = z.infer<typeof ZVerificationState>;

export const ZVerification = z.object({
  state: ZVerificationState,
  /** Expiry of the verified driving licence; bookings past it are refused. */
  licenceExpiresOn: ZIsoDate.optional(),
});
export type TVerification = z.infer<typeof ZVerification>;

/** A started verification: the renter opens `url` (Persona's hosted flow, or the local page). */
export const ZVerificationStarted = ZVerification.extend({ inquiryId: ZString, url: ZString });
export type TVerificationStarted = z.infer<typeof ZVerificationStarted>;

/** The local verification provider: a developer approves or declines an inquiry. */
export const ZLocalVerificationParams = z.object({
  inquiryId: ZString.regex(/^inq_local_[0-9a-f]{24}$/, 'Not a local inquiry id'),
  decision: z.enum(['approve', 'decline', 'review']),
});
export const ZLocalVerificationBody = z.object({ licenceExpiresOn: ZIsoDate.optional() }).strict().nullish();
