import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../../../test/factories/identity';
import { createTestApp, type TestApp } from '../../../test/helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const me = (headers: { authorization: string }) =>
  t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
const save = (headers: { authorization: string }, payload: unknown) =>
  t.app.inject({ method: 'PUT', url: '/api/v1/auth/me/preferences', headers, payload: payload as object });

describe('preferences kept with the account', () => {
  it('starts empty, keeps what the person saves and shows it on /auth/me at once', async () => {
    const s = await loginAs(t, { role: 'employee' });
    expect((await me(s.headers)).json().preferences).toEqual({});
    const wanted = { language: 'de', hourCycle: 'h12', firstDayOfWeek: 7, durationStyle: 'clock' };
    const saved = await save(s.headers, wanted);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual(wanted);
    expect((await me(s.headers)).json().preferences).toEqual(wanted);
    // A save replaces the whole set: a key left out goes back to the browser's habit.
    expect((await save(s.headers, { language: 'en' })).json()).toEqual({ language: 'en' });
    expect((await me(s.headers)).json().preferences).toEqual({ language: 'en' });
  });

  it('are each person’s own', async () => {
    const a = await loginAs(t, { role: 'employee' });
    const b = await loginAs(t, { role: 'manager' });
    await save(a.headers, { language: 'de' });
    expect((await me(b.headers)).json().preferences).toEqual({});
  });

  it('refuses unknown languages, days and keys with the field named, and keeps the old ones', async () => {
    const s = await loginAs(t, { role: 'employee' });
    await save(s.headers, { language: 'de' });
    for (const [body, field] of [
      [{ language: 'fr' }, 'body.language'],
      [{ firstDayOfWeek: 2 }, 'body.firstDayOfWeek'],
      [{ theme: 'dark' }, 'body'],
    ] as const) {
      const res = await save(s.headers, body);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(res.json().errors)).toContain(field);
    }
    expect((await me(s.headers)).json().preferences).toEqual({ language: 'de' });
  });

  it('needs a signed-in caller', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/auth/me/preferences',
      payload: { language: 'de' },
    });
    expect(res.statusCode).toBe(401);
  });
});
