import { afterAll, beforeAll, expect, it } from 'vitest';
import { createVehicle } from '../../../test/factories/fleet';
import { signIn, TEST_PASSWORD } from '../../../test/factories/identity';
import { createTestApp, type TestApp } from '../../../test/helpers';
import { request } from '../../../test/http';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { ALLOW_REGISTRATION: 'true' } });
});
afterAll(() => t.close());

it('registers an outside customer who may book and sees nothing of time or the directory', async () => {
  const reg = await request(t, null, 'POST', '/auth/register', {
    username: 'renter_one',
    email: 'renter.one@example.test',
    password: TEST_PASSWORD,
  });
  expect(reg.body.role).toBe('customer');
  const customer = await signIn(t, { ...reg.body, password: TEST_PASSWORD });

  const v = await createVehicle(t);
  const booked = await request(t, customer, 'POST', '/fleet/bookings', {
    vehicleId: v.id,
    startAt: new Date(Date.now() + 86_400_000).toISOString(),
    endAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
  });
  expect(booked.status).toBe(201);
  expect((await request(t, customer, 'GET', '/fleet/bookings')).body.items).toHaveLength(1);

  const refused = [
    ['GET', '/time/entries'],
    ['POST', '/time/clock-in'],
    ['GET', '/time/status'],
    ['GET', '/time/timesheets?week=2026-W48'],
    ['GET', '/people'],
    ['GET', '/teams'],
    ['GET', '/clients'],
    ['GET', '/projects'],
    ['GET', '/users'],
    ['GET', '/audit'],
    ['POST', '/fleet/vehicles'],
    ['GET', `/fleet/vehicles/${v.id}/calendar?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z`],
  ] as const;
  const answers = await Promise.all(
    refused.map(([m, url]) => request(t, customer, m, url, m === 'POST' ? {} : undefined)),
  );
  expect(answers.map((a, i) => `${refused[i]![1]} ${a.status}`)).toEqual(
    refused.map(([, url]) => `${url} 403`),
  );
  // No person of their own in the directory either.
  expect((await request(t, customer, 'GET', '/people/me')).status).toBe(404);
});
