import { randomBytes } from 'node:crypto';
import type { TRole, TUser } from '@clockpilot/contracts';
import { moduleServices, type TestApp, type WithServices } from '../helpers';

/** Passes the password policy; tests that need another one pass `password`. */
export const TEST_PASSWORD = 'Quartz-Meadow-42-Lantern';

export type UserOverrides = {
  role?: TRole;
  username?: string;
  email?: string;
  displayName?: string;
  timeZone?: string;
  password?: string;
};

export type TestUser = TUser & { password: string };

/**
 * An account (an employee unless `role` says otherwise), created through the identity service so
 * `identity.user.created` listeners run, as a system actor.
 */
export async function createUser(t: WithServices, overrides: UserOverrides = {}): Promise<TestUser> {
  const role = overrides.role ?? 'employee';
  const username = overrides.username ?? `${role}_${randomBytes(4).toString('hex')}`;
  const password = overrides.password ?? TEST_PASSWORD;
  const user = await moduleServices(t, 'identity').identity.createUser(
    {
      username,
      email: overrides.email ?? `${username.toLowerCase()}@example.test`,
      displayName: overrides.displayName,
      role,
      timeZone: overrides.timeZone,
      password,
    },
    { userId: null, label: 'test' },
  );
  return { ...user, password };
}

export type LoggedIn = {
  user: TestUser;
  accessToken: string;
  headers: { authorization: string };
  /** `name=value` of the refresh cookie, for the refresh and logout endpoints. */
  refreshCookie: string;
};

/**
 * Signs an existing account in through POST /api/v1/auth/login. A login shed with 503 by the overload
 * guard of a busy machine is tried again.
 */
export async function signIn(t: TestApp, user: TestUser): Promise<LoggedIn> {
  for (let attempt = 1; ; attempt++) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: user.username, password: user.password },
    });
    if (res.statusCode === 503 && attempt < 5) {
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
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
}

/** Creates an account and signs it in. */
export async function loginAs(t: TestApp, overrides: UserOverrides = {}): Promise<LoggedIn> {
  return signIn(t, await createUser(t, overrides));
}

/**
 * A personal API token (read and write) of an account, made through the service as its owner would:
 * a bearer credential without a password sign-in, for clients that are not the test's own app.
 */
export async function createApiToken(t: WithServices, user: TUser): Promise<string> {
  const created = await moduleServices(t, 'identity').apiTokens.create(
    { userId: user.id, role: user.role, sessionId: 'test', scopes: ['read', 'write'] },
    { name: 'test', scopes: ['write'] },
    { userId: user.id, label: 'test' },
  );
  return created.token;
}
