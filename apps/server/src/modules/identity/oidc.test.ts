import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUser } from '../../../test/factories/identity';
import { createTestApp, type TestApp } from '../../../test/helpers';

/**
 * A real OpenID provider (oidc-provider) on a loopback port, driven through its development login and
 * consent screens the way a browser would, with a cookie jar of its own.
 */
const PUBLIC_URL = 'http://127.0.0.1:5999';
const REDIRECT_URI = `${PUBLIC_URL}/api/v1/auth/oidc/callback`;
const CLIENT = { id: 'clockpilot', secret: 'a-client-secret-for-the-test-provider-only' };

type Account = { email: string; email_verified: boolean; name?: string; preferred_username?: string };
const accounts: Record<string, Account> = {
  ann: { email: 'Ann.Lee@corp.example.test', email_verified: true, name: 'Ann Lee' },
  eve: { email: 'eve@corp.example.test', email_verified: false },
  stranger: { email: 'stranger@corp.example.test', email_verified: true },
  // A directory that lets people type anything into the email attribute, here an admin's username.
  mallory: { email: 'root_admin', email_verified: true },
  newbie: {
    email: 'newbie@corp.example.test',
    email_verified: true,
    name: 'New Bie',
    preferred_username: 'new.bie',
  },
};

let server: Server;
let issuer: string;
let app: TestApp;
let provisioning: TestApp;

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    async findAccount(_ctx: unknown, id: string) {
      const account = accounts[id];
      return account && { accountId: id, claims: async () => ({ sub: id, ...account }) };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['cookie-signing-key-of-the-test-provider'] },
  });
  server.on('request', provider.callback());

  const env = {
    PUBLIC_URL,
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: CLIENT.id,
    OIDC_CLIENT_SECRET: CLIENT.secret,
    OIDC_REDIRECT_URI: REDIRECT_URI,
  };
  app = await createTestApp({ env });
  provisioning = await createTestApp({
    env: { ...env, OIDC_AUTO_PROVISION: 'true', OIDC_DEFAULT_ROLE: 'manager' },
  });
  // Building two apps stalls the event loop; under-pressure answers 503 until it has caught up.
  await vi.waitFor(
    () => expect(app.app.isUnderPressure() || provisioning.app.isUnderPressure()).toBe(false),
    {
      timeout: 10_000,
      interval: 100,
    },
  );
});
afterAll(async () => {
  await Promise.all([app?.close(), provisioning?.close()]);
  await new Promise((resolve) => server?.close(resolve));
});

/** A browser's cookies for the provider. */
function cookieJar() {
  const jar = new Map<string, string>();
  return {
    header: () => [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
    take(res: Response) {
      for (const c of res.headers.getSetCookie()) {
        const [pair = '', ...attrs] = c.split(';');
        const name = pair.slice(0, pair.indexOf('='));
        const value = pair.slice(pair.indexOf('=') + 1);
        const expired = attrs.some((a) => /expires=thu, 01 jan 1970/i.test(a.trim()));
        if (expired || value === '') jar.delete(name);
        else jar.set(name, value);
      }
    },
  };
}

/** Signs in at the provider as `accountId`, consents, and returns the callback URL it sends the browser to. */
async function atProvider(authorizationUrl: string, accountId: string): Promise<URL> {
  const jar = cookieJar();
  let url = authorizationUrl;
  for (let hop = 0; hop < 12; hop++) {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(res);
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, url);
      if (next.href.startsWith(REDIRECT_URI)) return next;
      url = next.href;
      continue;
    }
    const page = await res.text();
    expect(res.status, page).toBe(200);
    const prompt = /name="prompt" value="(login|consent)"/.exec(page)?.[1];
    if (!prompt) throw new Error(`not a login or consent page: ${page}`);
    const submit = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(
        prompt === 'login' ? { prompt, login: accountId, password: 'x' } : { prompt },
      ),
    });
    jar.take(submit);
    expect(submit.status).toBeGreaterThanOrEqual(300);
    url = new URL(submit.headers.get('location')!, url).href;
  }
  throw new Error('the provider never redirected back');
}

/** Starts at ClockPilot, signs in at the provider, and answers the state cookie and the callback URL. */
async function signIn(t: TestApp, accountId: string) {
  const start = await t.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' });
  expect(start.statusCode).toBe(302);
  const state = start.cookies.find((c) => c.name === 'cp_oidc');
  expect(state).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  const location = new URL(start.headers.location as string);
  expect(location.origin).toBe(issuer);
  expect(location.searchParams.get('code_challenge_method')).toBe('S256');
  expect(location.searchParams.get('state')).toBe(state!.value);
  expect(location.searchParams.get('nonce')).toBeTruthy();
  const callback = await atProvider(location.href, accountId);
  return { stateCookie: `cp_oidc=${state!.value}`, callback };
}

const finish = (t: TestApp, callback: URL, cookie?: string) =>
  t.app.inject({
    method: 'GET',
    url: `${callback.pathname}${callback.search}`,
    headers: cookie ? { cookie } : {},
  });

async function refreshWith(t: TestApp, res: Awaited<ReturnType<typeof finish>>) {
  const cookie = res.cookies.find((c) => c.name === 'clockpilot_refresh');
  expect(cookie).toBeDefined();
  const refreshed = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/refresh',
    headers: { cookie: `clockpilot_refresh=${cookie!.value}` },
  });
  expect(refreshed.statusCode).toBe(200);
  return refreshed.json().user as { id: string; email: string; role: string; hasPassword: boolean };
}

describe('OIDC single sign-on', () => {
  it('tells the login page that SSO is on', async () => {
    const res = await app.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/config' });
    expect(res.json()).toEqual({ enabled: true, loginUrl: '/api/v1/auth/oidc/login' });
  });

  it('signs in the account with the verified email and sets the refresh cookie', async () => {
    const ann = await createUser(app, { role: 'manager', email: 'ann.lee@CORP.example.test' });
    const { stateCookie, callback } = await signIn(app, 'ann');
    const res = await finish(app, callback, stateCookie);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${PUBLIC_URL}/`);
    const refreshCookie = res.cookies.find((c) => c.name === 'clockpilot_refresh');
    expect(refreshCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const user = await refreshWith(app, res);
    expect(user).toMatchObject({ id: ann.id, role: 'manager' });
  });

  it('refuses an email the provider has not verified', async () => {
    await createUser(app, { role: 'admin', email: 'eve@corp.example.test' });
    const { stateCookie, callback } = await signIn(app, 'eve');
    const res = await finish(app, callback, stateCookie);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${PUBLIC_URL}/login?sso_error=email_unverified`);
    expect(res.cookies.find((c) => c.name === 'clockpilot_refresh')).toBeUndefined();
  });

  it('refuses a verified "email" that is no address, so it can never match a username', async () => {
    await createUser(app, { role: 'admin', username: 'root_admin', email: 'root@corp.example.test' });
    const { stateCookie, callback } = await signIn(app, 'mallory');
    const res = await finish(app, callback, stateCookie);
    expect(res.headers.location).toBe(`${PUBLIC_URL}/login?sso_error=email_unverified`);
    expect(res.cookies.find((c) => c.name === 'clockpilot_refresh')).toBeUndefined();
  });

  it('refuses an unknown email when auto-provisioning is off', async () => {
    const { stateCookie, callback } = await signIn(app, 'stranger');
    const res = await finish(app, callback, stateCookie);
    expect(res.headers.location).toBe(`${PUBLIC_URL}/login?sso_error=no_account`);
    expect(res.cookies.find((c) => c.name === 'clockpilot_refresh')).toBeUndefined();
  });

  it('creates the account on first sign-in when auto-provisioning is on', async () => {
    const { stateCookie, callback } = await signIn(provisioning, 'newbie');
    const res = await finish(provisioning, callback, stateCookie);
    expect(res.headers.location).toBe(`${PUBLIC_URL}/`);
    const user = await refreshWith(provisioning, res);
    expect(user).toMatchObject({
      email: 'newbie@corp.example.test',
      role: 'manager',
      hasPassword: false,
      username: 'new_bie',
      displayName: 'New Bie',
    });
    // The second sign-in finds the same account.
    const again = await signIn(provisioning, 'newbie');
    const second = await finish(provisioning, again.callback, again.stateCookie);
    expect((await refreshWith(provisioning, second)).id).toBe(user.id);
  });

  it('refuses a callback whose state is not the one of this browser, and a replayed one', async () => {
    await createUser(app, { role: 'employee', email: 'stranger@corp.example.test' });
    const { stateCookie, callback } = await signIn(app, 'stranger');
    const other = await app.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' });
    const otherCookie = `cp_oidc=${other.cookies.find((c) => c.name === 'cp_oidc')!.value}`;

    for (const cookie of [undefined, otherCookie]) {
      const res = await finish(app, callback, cookie);
      expect(res.headers.location).toBe(`${PUBLIC_URL}/login?sso_error=state_mismatch`);
      expect(res.cookies.find((c) => c.name === 'clockpilot_refresh')).toBeUndefined();
    }
    const tampered = new URL(callback);
    tampered.searchParams.set('state', 'not-the-state');
    expect((await finish(app, tampered, stateCookie)).headers.location).toContain('sso_error=state_mismatch');

    // The right browser succeeds once; the same callback again is refused.
    expect((await finish(app, callback, stateCookie)).headers.location).toBe(`${PUBLIC_URL}/`);
    expect((await finish(app, callback, stateCookie)).headers.location).toContain('sso_error=state_mismatch');
  });

  it('sends the browser back to the login page when the provider cannot be reached', async () => {
    const down = await createTestApp({
      env: {
        PUBLIC_URL,
        OIDC_ISSUER: 'http://127.0.0.1:1',
        OIDC_CLIENT_ID: CLIENT.id,
        OIDC_CLIENT_SECRET: CLIENT.secret,
        OIDC_REDIRECT_URI: REDIRECT_URI,
      },
    });
    try {
      const res = await down.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe(`${PUBLIC_URL}/login?sso_error=unavailable`);
      expect(res.cookies.find((c) => c.name === 'cp_oidc')).toBeUndefined();
    } finally {
      await down.close();
    }
  });

  it('is off without OIDC settings', async () => {
    const plain = await createTestApp();
    try {
      const res = await plain.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/config' });
      expect(res.json()).toEqual({ enabled: false, loginUrl: null });
      expect((await plain.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' })).statusCode).toBe(
        404,
      );
    } finally {
      await plain.close();
    }
  });
});
