import { and, asc, desc, eq, inArray, lte, notInArray } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db';
import { fleetPaymentEvents, fleetPaymentNotices, fleetPayments, type PaymentRow } from './payments.tables';

export type NewPayment = Pick<
  PaymentRow,
  | 'bookingId'
  | 'userId'
  | 'customerEmail'
  | 'provider'
  | 'intentId'
  | 'status'
  | 'currency'
  | 'amountAuthorized'
  | 'authorizeAt'
> & { at: Date };

type Outcome = (typeof fleetPaymentEvents.$inferInsert)['outcome'];
type NoticeKind = (typeof fleetPaymentNotices.$inferInsert)['kind'];

export const paymentsRepo = {
  async insert(db: DbOrTx, p: NewPayment): Promise<PaymentRow> {
    const { at, ...values } = p;
    const [row] = await db
      .insert(fleetPayments)
      .values({ ...values, createdAt: at, updatedAt: at })
      .returning();
    return row!;
  },

  /** The booking's live payment (not failed or cancelled), locked for the change that follows. */
  async liveForBooking(db: DbOrTx, bookingId: string): Promise<PaymentRow | undefined> {
    const [row] = await db
      .select()
      .from(fleetPayments)
      .where(
        and(eq(fleetPayments.bookingId, bookingId), notInArray(fleetPayments.status, ['failed', 'canceled'])),
      )
      .for('update');
    return row;
  },

  /** Every payment of a booking, newest first. */
  async forBooking(db: DbOrTx, bookingId: string): Promise<PaymentRow[]> {
    return db
      .select()
      .from(fleetPayments)
      .where(eq(fleetPayments.bookingId, bookingId))
      .orderBy(desc(fleetPayments.createdAt));
  },

  async byIntent(db: DbOrTx, intentId: string): Promise<PaymentRow | undefined> {
    const [row] = await db
      .select()
      .from(fleetPayments)
      .where(eq(fleetPayments.intentId, intentId))
      .for('update');
    return row;
  },

  async update(db: DbOrTx, id: string, set: Partial<PaymentRow>): Promise<PaymentRow> {
    const [row] = await db.update(fleetPayments).set(set).where(eq(fleetPayments.id, id)).returning();
    return row!;
  },

  /** Scheduled authorisations whose time has come, oldest first. */
  /**
   * Claims the scheduled authorisations that are due: their `authorize_at` moves to `retryAt`, so a
   * concurrent run (another replica, or a manual run beside the job) skips them, and a provider that
   * could not be reached is tried again once the claim has lapsed.
   */
  async claimDue(db: DbOrTx, now: Date, limit: number, retryAt: Date): Promise<PaymentRow[]> {
    const due = db
      .select({ id: fleetPayments.id })
      .from(fleetPayments)
      .where(and(eq(fleetPayments.status, 'scheduled'), lte(fleetPayments.authorizeAt, now)))
      .orderBy(asc(fleetPayments.authorizeAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    return db
      .update(fleetPayments)
      .set({ authorizeAt: retryAt })
      .where(inArray(fleetPayments.id, due))
      .returning();
  },

  /** Stores an event id once; false when it was stored before (a duplicate delivery). */
  async recordEvent(
    db: DbOrTx,
    e: { id: string; type: string; intentId?: string; createdAt: Date; receivedAt: Date },
  ): Promise<boolean> {
    const rows = await db
      .insert(fleetPaymentEvents)
      .values({ ...e, outcome: 'unhandled' })
      .onConflictDoNothing()
      .returning({ id: fleetPaymentEvents.id });
    return rows.length === 1;
  },

  async setEventOutcome(db: DbOrTx, id: string, outcome: Outcome): Promise<void> {
    await db.update(fleetPaymentEvents).set({ outcome }).where(eq(fleetPaymentEvents.id, id));
  },

  async notify(
    db: DbOrTx,
    n: { userId: string; bookingId: string; kind: NoticeKind; message: string; at: Date },
  ): Promise<void> {
    const { at, ...values } = n;
    await db.insert(fleetPaymentNotices).values({ ...values, createdAt: at });
  },

  async notices(db: DbOrTx, userId: string) {
    return db
      .select()
      .from(fleetPaymentNotices)
      .where(eq(fleetPaymentNotices.userId, userId))
      .orderBy(desc(fleetPaymentNotices.createdAt))
      .limit(50);
  },
};
