import type { PaymentStatus } from './payments.tables';

/**
 * How far along a payment is. Webhooks arrive late, twice and out of order, so a status only ever
 * moves to a higher rank: a late `amount_capturable_updated` cannot undo a capture. A failed attempt
 * and one waiting for the renter share a rank, because a renter may retry a declined card.
 */
const RANK: Record<PaymentStatus, number> = {
  scheduled: 0,
  requires_action: 1,
  failed: 1,
  authorized: 2,
  captured: 3,
  canceled: 3,
  refunded: 4,
};

export function canMove(from: PaymentStatus, to: PaymentStatus): boolean {
  if (from === to) return false;
  if (to === 'refunded') return from === 'captured';
  return RANK[to] > RANK[from] || (RANK[to] === 1 && RANK[from] === 1);
}

/** Card authorisations lapse after about 7 days; Stripe states the exact time as `capture_before`. */
export const AUTHORIZATION_LIFETIME_MS = 7 * 24 * 3600_000;
