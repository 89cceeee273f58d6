import { afterAll, beforeAll, expect, it } from 'vitest';
import { createVehicle } from '../../../test/factories/fleet';
import { type LoggedIn, loginAs } from '../../../test/factories/identity';
import { createTestApp, moduleServices, type TestApp } from '../../../test/helpers';

/**
 * The overlap guarantee under a real race: many renters ask for the same vehicle at once, through
 * HTTP on a listening server. On PostgreSQL (TEST_DATABASE_URL) 500 requests; on embedded PGlite,
 * which runs one statement at a time anyway, fewer keep the run short.
 */
const PARALLEL = process.env.TEST_DATABASE_URL ? 500 : 60;
let t: TestApp;
let base: string;
const renters: LoggedIn[] = [];

beforeAll(async () => {
  t = await createTestApp({ env: { API_RATE_LIMIT_PER_MINUTE: '100000', DATABASE_POOL_SIZE: '20' } });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  for (let i = 0; i < 5; i++) renters.push(await loginAs(t, { role: 'customer' }));
});
afterAll(() => t.close());

it(`lets exactly one of ${PARALLEL} overlapping booking requests through`, async () => {
  const v = await createVehicle(t);
  const responses = await Promise.all(
    Array.from({ length: PARALLEL }, async (_, i) => {
      // Every request overlaps every other: the same day, shifted by up to 4 hours.
      const start = Date.parse('2026-12-10T08:00:00Z') + (i % 5) * 3_600_000;
      const res = await fetch(`${base}/api/v1/fleet/bookings`, {
        method: 'POST',
        headers: { ...renters[i % renters.length]!.headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          vehicleId: v.id,
          startAt: new Date(start).toISOString(),
          endAt: new Date(start + 86_400_000).toISOString(),
        }),
      });
      return { status: res.status, body: (await res.json()) as { id?: string; detail?: string } };
    }),
  );
  const created = responses.filter((r) => r.status === 201);
  const refused = responses.filter((r) => r.status === 409);
  expect(created).toHaveLength(1);
  expect(refused).toHaveLength(PARALLEL - 1);
  // Each refusal names the booking that won.
  const winner = created[0]!.body.id!;
  expect(refused.filter((r) => !r.body.detail?.includes(winner))).toEqual([]);
});

it('holds in the database itself: writes that skip every check in the service still cannot overlap', async () => {
  const v = await createVehicle(t);
  const { bookings } = moduleServices(t, 'fleet');
  const row = (hour: number) => {
    const startAt = new Date(Date.UTC(2026, 11, 20, hour));
    const endAt = new Date(startAt.getTime() + 86_400_000);
    return {
      vehicleId: v.id,
      userId: renters[0]!.user.id,
      state: 'confirmed' as const,
      startAt,
      endAt,
      busyUntil: new Date(endAt.getTime() + 3_600_000),
      holdExpiresAt: null,
      extras: [],
      currency: 'EUR',
      days: 1,
      rentalMinor: 4000,
      extrasMinor: 0,
      depositMinor: 0,
      dailyRateMinor: 4000,
      kmPerDay: 0,
      extraKmMinor: 0,
      createdAt: new Date(),
      updatedAt: new Date(),
    };
  };
  const actor = { userId: null, label: 'test' };
  const outcomes = await Promise.allSettled([8, 9, 10, 11].map((h) => bookings.insert(actor, row(h))));
  expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  expect(refused.map((o) => [o.reason.status, o.reason.code])).toEqual(Array(3).fill([409, 'conflict']));
});
