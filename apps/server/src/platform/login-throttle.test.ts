import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp, testClock } from '../../test/helpers';
import { addProbeRoutes, login } from '../../test/security-probes';
import { sharedRedis } from '../../test/shared-redis';

const LIMITS = {
  AUTH_RATE_LIMIT_MAX: '5',
  AUTH_RATE_LIMIT_WINDOW_MS: '900000',
  AUTH_FAILURE_DELAY_MS: '1000',
};
const clock = testClock();
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: LIMITS, clock });
  addProbeRoutes(t.app);
  await t.app.ready();
});
afterAll(() => t.close());

// Every attempt from its own address, where a test is about the account and not the address.
let host = 0;
const fresh = () => `10.9.${Math.floor(++host / 250)}.${host % 250}`;
/** Signs in as the owner and returns the device cookie it leaves, as the browser would send it back. */
async function deviceOf(user: string, ip = fresh()) {
  const res = await login(t.app, ip, user, 'right');
  expect(res.statusCode).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'cp_device')!;
  return `cp_device=${cookie.value}`;
}

describe('per address', () => {
  it('counts failures, not attempts: sign-ins in between do not use the allowance up', async () => {
    const office = '203.0.113.10';
    for (let i = 0; i < 4; i++)
      expect((await login(t.app, office, `typo${i}`, 'wrong')).statusCode).toBe(401);
    for (let i = 0; i < 6; i++)
      expect((await login(t.app, office, `worker${i}`, 'right')).statusCode).toBe(200);
    expect((await login(t.app, office, 'typo4', 'wrong')).statusCode).toBe(401);
    expect((await login(t.app, office, 'newcomer', 'right')).statusCode).toBe(429);
  });

  it("lets a device that signed in before through an address others' typos have blocked", async () => {
    const office = '203.0.113.11';
    const admin = await deviceOf('admin', office);
    for (let i = 0; i < 5; i++) await login(t.app, office, `colleague${i}`, 'wrong');
    expect((await login(t.app, office, 'admin', 'right')).statusCode).toBe(429);
    expect((await login(t.app, office, 'admin', 'right', admin)).statusCode).toBe(200);
    // The cookie is bound to its login: it does not open the address for anyone else.
    expect((await login(t.app, office, 'mallory', 'right', admin)).statusCode).toBe(429);
  });

  it('is shared by the original /auth/login and /api/v1/auth/login', async () => {
    const ip = '203.0.113.12';
    const original = () =>
      t.app.inject({
        method: 'POST',
        url: '/auth/login',
        remoteAddress: ip,
        payload: { username: 'nobody_here', password: 'Wrong-Password-1' },
      });
    const ours = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: ip,
        payload: { login: 'nobody_else', password: 'Wrong-Password-1' },
      });
    for (const attempt of [original, ours, original, ours, original])
      expect((await attempt()).statusCode).toBe(401);
    expect((await ours()).statusCode).toBe(429);
    expect((await original()).statusCode).toBe(429);
  });
});

describe('per account', () => {
  it('slows guessing down with doubling waits instead of a lock, and forgives on a sign-in', async () => {
    for (let i = 0; i < 5; i++) expect((await login(t.app, fresh(), 'carol', 'wrong')).statusCode).toBe(401);
    const waits: string[] = [];
    for (const ms of [1000, 2000, 4000]) {
      const early = await login(t.app, fresh(), 'carol', 'right');
      expect(early.statusCode).toBe(429);
      expect(early.json().code).toBe('rate_limited');
      waits.push(early.headers['retry-after'] as string);
      clock.advance(ms);
      expect((await login(t.app, fresh(), 'carol', 'wrong')).statusCode).toBe(401);
    }
    expect(waits).toEqual(['1', '2', '4']);
    // Other accounts are not slowed down.
    expect((await login(t.app, fresh(), 'dave', 'right')).statusCode).toBe(200);
    // Never a lock: once the wait is over, the right password gets in and clears the failures.
    clock.advance(8000);
    expect((await login(t.app, fresh(), 'carol', 'right')).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login(t.app, fresh(), 'carol', 'wrong')).statusCode).toBe(401);
  });

  it('does not clear the failures for a right password that still owes its one-time code', async () => {
    for (let i = 0; i < 5; i++) await login(t.app, fresh(), 'ivan', 'wrong');
    clock.advance(1000);
    const step = await login(t.app, fresh(), 'ivan', 'right-needs-code');
    expect(step.json().code).toBe('totp_required');
    expect((await login(t.app, fresh(), 'ivan', 'right-needs-code')).statusCode).toBe(429);
  });

  it('never keeps the owner out on a device that signed in before, however many others guess', async () => {
    const owner = await deviceOf('erin');
    for (let i = 0; i < 12; i++) {
      await login(t.app, fresh(), 'erin', 'wrong');
      clock.advance(500);
    }
    expect((await login(t.app, fresh(), 'erin', 'right')).statusCode).toBe(429);
    expect((await login(t.app, fresh(), 'erin', 'right', owner)).statusCode).toBe(200);
    // A forged or foreign device cookie does not help.
    const foreign = await deviceOf('frank');
    expect((await login(t.app, fresh(), 'erin', 'right', foreign)).statusCode).toBe(429);
    expect(
      (await login(t.app, fresh(), 'erin', 'right', 'cp_device=AAAA~AAAAAAAAAAAAAAAAAAAAAA')).statusCode,
    ).toBe(429);
  });

  it('stops trusting a device cookie that guesses wrong too often', async () => {
    const stolen = await deviceOf('grace');
    for (let i = 0; i < 5; i++)
      expect((await login(t.app, fresh(), 'grace', 'wrong', stolen)).statusCode).toBe(401);
    // Past its own limit it is treated as any unknown device: the account's failures count again.
    for (let i = 0; i < 5; i++)
      expect((await login(t.app, fresh(), 'grace', 'wrong', stolen)).statusCode).toBe(401);
    expect((await login(t.app, fresh(), 'grace', 'right', stolen)).statusCode).toBe(429);
  });
});

describe('across replicas through one Redis', () => {
  let redis: Awaited<ReturnType<typeof sharedRedis>>;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    redis = await sharedRedis();
    const prefix = `cpt:throttle:${process.pid}:${Date.now()}:`;
    const env = { ...LIMITS, REDIS_URL: redis.url };
    a = await createTestApp({ env, clock, shareRedisPrefix: prefix });
    b = await createTestApp({ env, clock, shareRedisPrefix: prefix });
    for (const x of [a, b]) addProbeRoutes(x.app);
    await Promise.all([a.app.ready(), b.app.ready()]);
    await vi.waitFor(
      () => {
        for (const x of [a, b]) {
          expect(x.ctx.cache.status().status).toBe('up');
          expect(x.app.isUnderPressure()).toBe(false);
        }
      },
      { timeout: 10_000, interval: 100 },
    );
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    redis?.stop();
  });

  it("shares an account's failures and its waits", async () => {
    for (let i = 0; i < 5; i++) await login(i % 2 ? a.app : b.app, fresh(), 'heidi', 'wrong');
    const early = await login(a.app, fresh(), 'heidi', 'right');
    expect(early.statusCode).toBe(429);
    expect(early.headers['retry-after']).toBe('1');
    clock.advance(1000);
    expect((await login(b.app, fresh(), 'heidi', 'right')).statusCode).toBe(200);
  });
});
