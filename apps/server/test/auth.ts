import { randomBytes } from 'node:crypto';
import type { TRole, TUser } from '@clockpilot/contracts';
import { moduleServices, type TestApp } from './helpers';

/** Passes the password policy; tests that need another one pass `password`. */
export const TEST_PASSWORD = 'Quartz-Meadow-42-Lantern';

export type UserOptions = {
  role: TRole;
  username?: string;
  email?: string;
  displayName?: string;
  timeZone?: string;
  password?: string;
};

/** Creates an account through the identity service (so `onUserCreated` handlers run), as a system actor. */
export async function createUser(t: TestApp, opts: UserOptions): Promise<TUser & { password: string }> {
  const username = opts.username ?? `${opts.role}_${randomBytes(4).toString('hex')}`;
  const password = opts.password ?? TEST_PASSWORD;
  const user = await moduleServices(t, 'identity').createUser(
    {
      username,
      email: opts.email ?? `${username.toLowerCase()}@example.test`,
      displayName: opts.displayName,
      role: opts.role,
      timeZone: opts.timeZone,
      password,
    },
    { userId: null, label: 'test' },
  );
  return { ...user, password };
}

export type LoggedIn = {
  user: TUser & { password: string };
  accessToken: string;
  headers: { authorization: string };
  /** `name=value` of the refresh cookie, for the refresh and logout endpoints. */
  refreshCookie: string;
};

/** Creates a user and signs in through POST /api/v1/auth/login. */
export async function loginAs(t: TestApp, opts: UserOptions): Promise<LoggedIn> {
  const user = await createUser(t, opts);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { login: user.username, password: user.password },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const { accessToken } = res.json() as { accessToken: string };
  const cookie = res.cookies.find((c) => c.name.endsWith('clockpilot_refresh'));
  return {
    user,
    accessToken,
    headers: { authorization: `Bearer ${accessToken}` },
    refreshCookie: cookie ? `${cookie.name}=${cookie.value}` : '',
  };
}
