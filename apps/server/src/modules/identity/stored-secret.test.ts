import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loginAs, TEST_PASSWORD } from '../../../test/factories/identity';
import { createTestApp, testClock } from '../../../test/helpers';
import { createPglite } from '../../platform/db';
import { totpCode } from './totp';

const dir = mkdtempSync(join(tmpdir(), 'clockpilot-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The app as `npm start` runs it without JWT_SECRET: embedded PGlite with its data in `dir`. */
const start = async (clock: ReturnType<typeof testClock>) =>
  createTestApp({
    clock,
    database: await createPglite(join(dir, 'db')),
    env: { JWT_SECRET: undefined, DATA_DIR: dir },
  });

describe('without JWT_SECRET on embedded PGlite', () => {
  // Two starts, each migrating a file-backed PGlite from scratch (no template): slow on a busy machine.
  it('keeps the key in the data folder (0600), so sign-ins and TOTP survive a restart', async () => {
    const clock = testClock();
    const first = await start(clock);
    const s = await loginAs(first, { role: 'employee' });
    const post = (
      app: typeof first,
      url: string,
      payload: object,
      headers: Record<string, string> = s.headers,
    ) => app.app.inject({ method: 'POST', url, headers, payload });
    const { secret } = (await post(first, '/api/v1/auth/totp/setup', {})).json();
    const code = totpCode(secret, clock.now());
    expect((await post(first, '/api/v1/auth/totp/confirm', { code })).statusCode).toBe(200);
    await first.close();
    expect(statSync(join(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);

    clock.advance(60_000);
    const second = await start(clock);
    try {
      const me = await second.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.headers });
      expect(me.statusCode).toBe(200);
      const login = await post(
        second,
        '/api/v1/auth/login',
        { login: s.user.username, password: TEST_PASSWORD, totp: totpCode(secret, clock.now()) },
        {},
      );
      expect(login.statusCode).toBe(200);
    } finally {
      await second.close();
    }
  }, 120_000);
});
