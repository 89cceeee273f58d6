import { desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../platform/db';
import { prepared } from '../../../platform/unit-of-work';
import { fleetVerificationEvents, fleetVerifications, type VerificationRow } from './verification.tables';

type Outcome = (typeof fleetVerificationEvents.$inferInsert)['outcome'];

/** Every booking request checks the renter's licence: a prepared statement. */
const latestOf = prepared('fleet_verification_latest', (db) =>
  db
    .select()
    .from(fleetVerifications)
    .where(eq(fleetVerifications.userId, sql.placeholder('userId')))
    .orderBy(desc(fleetVerifications.createdAt), desc(fleetVerifications.id))
    .limit(1),
);

export const verificationRepo = {
  async insert(
    db: DbOrTx,
    v: Pick<VerificationRow, 'userId' | 'provider' | 'inquiryId' | 'state'> & { at: Date },
  ): Promise<VerificationRow> {
    const { at, ...values } = v;
    const [row] = await db
      .insert(fleetVerifications)
      .values({ ...values, createdAt: at, updatedAt: at })
      .returning();
    return row!;
  },

  /** The user's newest verification: it decides, whatever older ones said. */
  async latest(db: DbOrTx, userId: string): Promise<VerificationRow | undefined> {
    const [row] = await latestOf(db).execute({ userId });
    return row;
  },

  async byInquiry(db: DbOrTx, inquiryId: string): Promise<VerificationRow | undefined> {
    const [row] = await db
      .select()
      .from(fleetVerifications)
      .where(eq(fleetVerifications.inquiryId, inquiryId))
      .for('update');
    return row;
  },

  async update(db: DbOrTx, id: string, set: Partial<VerificationRow>): Promise<void> {
    await db.update(fleetVerifications).set(set).where(eq(fleetVerifications.id, id));
  },

  /** Stores an event id once; false when it was stored before (a duplicate delivery). */
  async recordEvent(
    db: DbOrTx,
    e: { id: string; type: string; inquiryId?: string; createdAt: Date; receivedAt: Date },
  ): Promise<boolean> {
    const rows = await db
      .insert(fleetVerificationEvents)
      .values({ ...e, outcome: 'unhandled' })
      .onConflictDoNothing()
      .returning({ id: fleetVerificationEvents.id });
    return rows.length === 1;
  },

  async setEventOutcome(db: DbOrTx, id: string, outcome: Outcome): Promise<void> {
    await db.update(fleetVerificationEvents).set({ outcome }).where(eq(fleetVerificationEvents.id, id));
  },
};
