import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  t.app.get<{ Params: { code: string } }>(
    '/api/test/db-error/:code',
    { config: { public: true } },
    async (request) => {
      // As Drizzle throws it: the driver's error as the cause of a wrapper naming the query.
      const cause = Object.assign(new Error('deadlock detected'), { code: request.params.code });
      throw new Error('Failed query: select "id" from "users" for update', { cause });
    },
  );
  await t.app.ready();
});
afterAll(() => t.close());

describe('concurrency failures from the database', () => {
  it.each(['40P01', '40001'])('answer %s as 409 without internals', async (code) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/test/db-error/${code}` });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'conflict', detail: expect.stringMatching(/retry/) });
    expect(res.body).not.toMatch(/users|deadlock|select/i);
  });
});
