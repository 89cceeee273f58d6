import { afterAll, beforeAll, expect, it } from 'vitest';
import { loginAs } from '../../../test/factories/identity';
import { createTestApp, moduleServices, type TestApp } from '../../../test/helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { ALLOW_REGISTRATION: 'true' } });
});
afterAll(() => t.close());

it('does not hand an existing person to a self-registered account that names their email', async () => {
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

  const directory = moduleServices(t, 'directory').directory;
  const own = await directory.personForUser(registered.json().id);
  expect(own).not.toBeNull();
  expect(own!.id).not.toBe(hr.json().id);
  expect(await directory.getPerson(hr.json().id)).toMatchObject({ userId: null, employeeNumber: 'G-1' });
});
