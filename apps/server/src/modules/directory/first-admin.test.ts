import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    env: {
      ADMIN_USERNAME: 'founder',
      ADMIN_PASSWORD: 'Granite-Harbor-77-Violet',
      ADMIN_EMAIL: 'founder@example.test',
    },
  });
});
afterAll(() => t.close());

it('gives the first admin, created at start-up, a person so they can clock in at once', async () => {
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { login: 'founder', password: 'Granite-Harbor-77-Violet' },
  });
  expect(login.statusCode).toBe(200);
  const me = await t.app.inject({
    method: 'GET',
    url: '/api/v1/people/me',
    headers: { authorization: `Bearer ${login.json().accessToken}` },
  });
  expect(me.statusCode).toBe(200);
  expect(me.json()).toMatchObject({
    name: 'Administrator',
    email: 'founder@example.test',
    userId: login.json().user.id,
  });
});
