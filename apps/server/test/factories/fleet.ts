import { randomBytes } from 'node:crypto';
import type { TVehicle, TVehicleCreate } from '@clockpilot/contracts';
import type { PaymentPort } from '../../src/modules/fleet/payments/port';
import type { VerificationPort } from '../../src/modules/fleet/verification/port';
import { moduleServices, type WithServices } from '../helpers';

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
const VALUE = (c: string) =>
  /\d/.test(c)
    ? Number(c)
    : 'ABCDEFGH'.includes(c)
      ? 'ABCDEFGH'.indexOf(c) + 1
      : 'JKLMN'.includes(c)
        ? 'JKLMN'.indexOf(c) + 1
        : c === 'P'
          ? 7
          : c === 'R'
            ? 9
            : 'STUVWXYZ'.indexOf(c) + 2;

/** A random VIN with a correct check digit, computed here independently of the server's code. */
export function randomVin(): string {
  const chars = [...randomBytes(17)].map((b) => VIN_CHARS[b % VIN_CHARS.length]!);
  const sum = chars.reduce((s, c, i) => s + VALUE(c) * WEIGHTS[i]!, 0);
  chars[8] = sum % 11 === 10 ? 'X' : String(sum % 11);
  return chars.join('');
}

/** A valid vehicle body with a fresh plate and VIN. */
export function vehicleInput(overrides: Partial<TVehicleCreate> = {}) {
  return {
    make: 'Renault',
    model: 'Clio',
    year: 2024,
    plate: `T${randomBytes(4).toString('hex').toUpperCase()}`,
    vin: randomVin(),
    category: 'compact',
    seats: 5,
    transmission: 'manual' as const,
    fuel: 'petrol' as const,
    location: 'Lyon',
    timeZone: 'UTC',
    currency: 'EUR',
    dailyRateMinor: 4000,
    depositMinor: 50_000,
    kmPerDay: 200,
    extraKmMinor: 30,
    odometerKm: 10_000,
    serviceDueOn: null,
    serviceDueKm: null,
    ...overrides,
  };
}

/** A vehicle, created through the fleet service as a system actor. */
export async function createVehicle(
  t: WithServices,
  overrides: Partial<TVehicleCreate> = {},
): Promise<TVehicle> {
  return moduleServices(t, 'fleet').vehicles.create({ userId: null, label: 'test' }, vehicleInput(overrides));
}

type Intent = {
  bookingId: string;
  amountMinor: number;
  state: 'authorized' | 'captured' | 'canceled';
  capturedMinor: number;
};

/**
 * The payment provider of these tests, keeping the card-authorisation states of the port's contract
 * (authorised → captured or cancelled, capture at most once and at most the authorised amount) and
 * recording every call. `mode` decides how the next calls go: a decline, an outage or a card that
 * needs its holder's confirmation.
 */
export function testPayments() {
  const intents = new Map<string, Intent>();
  const calls: Array<{ op: string; [k: string]: unknown }> = [];
  const state = { mode: 'ok' as 'ok' | 'decline' | 'down' | 'requires_action' };
  const down = () => {
    if (state.mode === 'down') throw new Error('connect ECONNREFUSED');
  };
  const port: PaymentPort = {
    async authorize(i) {
      calls.push({ op: 'authorize', ...i });
      down();
      const intentId = `pi_${randomBytes(6).toString('hex')}`;
      if (state.mode === 'decline') return { intentId, status: 'failed', message: 'Your card was declined.' };
      if (state.mode === 'requires_action')
        return { intentId, status: 'requires_action', clientSecret: `${intentId}_secret` };
      intents.set(intentId, {
        bookingId: i.bookingId,
        amountMinor: i.amountMinor,
        state: 'authorized',
        capturedMinor: 0,
      });
      return { intentId, status: 'authorized' };
    },
    async capture(i) {
      calls.push({ op: 'capture', ...i });
      down();
      const intent = intents.get(i.intentId);
      if (intent?.state !== 'authorized' || i.amountMinor > intent.amountMinor) {
        return { status: 'failed', message: 'This PaymentIntent cannot be captured' };
      }
      Object.assign(intent, { state: 'captured', capturedMinor: i.amountMinor });
      return { status: 'captured' };
    },
    async cancel(i) {
      calls.push({ op: 'cancel', ...i });
      down();
      const intent = intents.get(i.intentId);
      if (intent?.state === 'authorized') intent.state = 'canceled';
    },
    async refund(i) {
      calls.push({ op: 'refund', ...i });
      down();
    },
  };
  return { port, intents, calls, state };
}

/** Renters' verification states, approved with a licence valid for years unless set otherwise. */
export function testVerification(
  fallback: Awaited<ReturnType<VerificationPort['status']>> = { state: 'none' },
) {
  const byUser = new Map<string, Awaited<ReturnType<VerificationPort['status']>>>();
  const port: VerificationPort = { status: async (userId) => byUser.get(userId) ?? fallback };
  return {
    port,
    approve: (userId: string, licenceExpiresOn = '2035-01-01') =>
      byUser.set(userId, { state: 'approved', licenceExpiresOn }),
    set: (userId: string, s: Awaited<ReturnType<VerificationPort['status']>>) => byUser.set(userId, s),
  };
}

/** Puts the test providers in place of the configured ones; they authorise every booking at once. */
export function useTestProviders(t: WithServices) {
  const payments = testPayments();
  const verification = testVerification();
  const { ports } = moduleServices(t, 'fleet');
  ports.payments = payments.port;
  ports.verification = verification.port;
  ports.scheduleAuthorization = async () => null;
  return { payments, verification };
}
