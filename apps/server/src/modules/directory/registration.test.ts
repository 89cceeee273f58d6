import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser, loginAs } from '../../../test/factories/identity';
import { createTestApp, moduleServices, type TestApp } from '../../../test/helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { ALLOW_REGISTRATION: 'true' } });
});
afterAll(() => t.close());

it('gives a self-registered customer no person, not even an existing one with their email', async () => {
  const admin = await loginAs(t, { role: 'admin' });
  const hr = await t.app.inject({
    method: 'POST',
    url: '/api/v1/people',
    headers: admin.headers,
    payload: {
      name: 'Grace Hopper',
      email: 'grace@corp.example.test',
      employeeNumber: 'G-1',
      weeklyHours: 30,
    },
  });
  expect(hr.statusCode).toBe(201);

  const registered = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: {
      username: 'not_grace',
      email: 'Grace@corp.example.test',
      password: 'Quartz-Meadow-42-Lantern',
    },
  });
  expect(registered.statusCode).toBe(201);

  expect(registered.json().role).toBe('customer');

  const directory = moduleServices(t, 'directory').directory;
  expect(await directory.personForUser(registered.json().id)).toBeNull();
  expect(await directory.getPerson(hr.json().id)).toMatchObject({ userId: null, employeeNumber: 'G-1' });
});

it('gives a customer a person of their own once an admin makes them staff, not the record with their email', async () => {
  const admin = await loginAs(t, { role: 'admin' });
  const colleague = await t.app.inject({
    method: 'POST',
    url: '/api/v1/people',
    headers: admin.headers,
    payload: { name: 'Promoted Colleague', email: 'promoted@example.test', employeeNumber: 'P-1' },
  });
  expect(colleague.statusCode).toBe(201);
  const customer = await createUser(t, { role: 'customer', email: 'promoted@example.test' });
  const promoted = await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/users/${customer.id}`,
    headers: admin.headers,
    payload: { role: 'employee' },
  });
  expect(promoted.statusCode).toBe(200);
  const own = await moduleServices(t, 'directory').directory.personForUser(customer.id);
  expect(own).toMatchObject({ userId: customer.id, email: 'promoted@example.test' });
  expect(own?.id).not.toBe(colleague.json().id);
  expect(await moduleServices(t, 'directory').directory.getPerson(colleague.json().id)).toMatchObject({
    userId: null,
  });
});
