import { afterEach, describe, expect, it, vi } from 'vitest';
import { createUser, signIn } from '../../../test/factories/identity';
import {
  createTestApp,
  createTestRuntime,
  moduleServices,
  type TestApp,
  testDatabase,
} from '../../../test/helpers';

let apps: TestApp[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(apps.map((a) => a.close()));
  apps = [];
});

const start = async (env: Record<string, string>) => {
  const t = await createTestApp({ env });
  apps.push(t);
  return t;
};
const login = (t: TestApp, login: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password } });

describe('first admin', () => {
  it('is created from ADMIN_* on an empty database, without printing the password', async () => {
    const write = vi.spyOn(process.stdout, 'write');
    const t = await start({
      ADMIN_USERNAME: 'root_admin',
      ADMIN_PASSWORD: 'Granite-Harbor-81-Ferry',
      ADMIN_EMAIL: 'root@example.test',
    });
    const res = await login(t, 'root_admin', 'Granite-Harbor-81-Ferry');
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ role: 'admin', email: 'root@example.test' });
    expect(write.mock.calls.join('')).not.toContain('Granite-Harbor-81-Ferry');
  });

  it('gets a generated password printed once, boxed, with the login URL', async () => {
    let printed = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed += String(chunk);
      return true;
    });
    const t = await start({
      APP_MODE: 'development',
      LOG_LEVEL: 'silent',
      PUBLIC_URL: 'https://cp.example.test',
    });
    vi.restoreAllMocks();
    expect(printed).toContain('╔');
    expect(printed).toContain('https://cp.example.test/login');
    const password = /Password\s+(\S+)/.exec(printed)?.[1];
    expect(password).toHaveLength(20);
    expect((await login(t, 'admin', password!)).statusCode).toBe(200);

    // Already has users: nothing is created or printed again.
    const again = await moduleServices(t, 'identity').identity.ensureFirstAdmin(() => {
      throw new Error('must not print');
    });
    expect(again).toBeNull();
  });

  it('is created once when replicas start together', async () => {
    const t = await start({});
    const identity = moduleServices(t, 'identity').identity;
    const banners: string[] = [];
    const results = await Promise.all(
      Array.from({ length: 4 }, () => identity.ensureFirstAdmin((text) => banners.push(text))),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(banners).toHaveLength(1);
    const page = await identity.listUsers({ limit: 50, sort: 'username', order: 'asc' });
    expect(page.items.map((u) => u.role)).toEqual(['admin']);
  });

  it('is explained on the login page only until an admin has signed in', async () => {
    const t = await start({ ADMIN_USERNAME: 'root_admin', ADMIN_PASSWORD: 'Granite-Harbor-81-Ferry' });
    const firstStart = async () =>
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/first-start' })).json();
    expect(await firstStart()).toEqual({ pending: true });

    // An employee signing in first does not hide where the admin's password is.
    await signIn(t, await createUser(t, { role: 'employee' }));
    expect(await firstStart()).toEqual({ pending: true });

    expect((await login(t, 'root_admin', 'Granite-Harbor-81-Ferry')).statusCode).toBe(200);
    expect(await firstStart()).toEqual({ pending: false });
  });

  it('checks ADMIN_USERNAME where it makes the first admin, and ignores it once there is one', async () => {
    const { database } = await testDatabase();
    // In-process cache: a runtime whose start fails is never closed, so it holds only the database.
    const env = (name: string) => ({
      ADMIN_USERNAME: name,
      ADMIN_PASSWORD: 'Granite-Harbor-81-Ferry',
      REDIS_URL: '',
    });
    await expect(createTestRuntime({ database, env: env('site-admin') })).rejects.toThrow(
      'ADMIN_USERNAME: 3 to 50 letters, digits or underscores (got "site-admin")',
    );
    const first = await createTestRuntime({ database, env: env('root_admin') });
    await first.drain();
    // A later start with a name the accounts refuse: the database has its admin, so it boots.
    const later = await createTestRuntime({ database, env: env('site-admin') });
    const page = await later
      .services('identity')
      .identity.listUsers({ limit: 50, sort: 'username', order: 'asc' });
    expect(page.items.map((u) => u.username)).toEqual(['root_admin']);
    await later.close();
  });
});
