import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCluster } from '../../../../test/factories/autoscaler';
import type { TestUser } from '../../../../test/factories/identity';
import { createTestApp, type TestApp } from '../../../../test/helpers';
import { connectLive } from '../../../../test/live-socket';
import { startSimulator, type TestSimulator } from '../../../../test/simulator';

// The live WebSocket signed in by the cookie the original's `/auth/login` sets, with no auth message.
let t: TestApp;
let sim: TestSimulator;
let wsUrl: string;
let origin: string;
let cookie: string;
let owner: TestUser;

beforeAll(async () => {
  sim = await startSimulator();
  t = await createTestApp({
    env: { ...sim.env, AUTOSCALER_SYNC_SECONDS: '3600', ALLOW_REGISTRATION: 'true' },
  });
  const credentials = { username: 'live_cookie_user', password: 'Scale-Out-42!' };
  const created = await t.app.inject({ method: 'POST', url: '/auth/register', payload: credentials });
  owner = { ...created.json(), password: credentials.password };
  const login = await t.app.inject({ method: 'POST', url: '/auth/login', payload: credentials });
  const set = login.cookies.find((c) => c.name === 'auth_token');
  expect(set).toMatchObject({
    value: login.json().accessToken,
    path: '/api/v1/autoscaler/ws',
    httpOnly: true,
    sameSite: 'Strict',
    maxAge: login.json().expiresIn,
  });
  cookie = `auth_token=${set?.value}`;
  origin = await t.app.listen({ port: 0, host: '127.0.0.1' });
  wsUrl = `${origin.replace('http', 'ws')}/api/v1/autoscaler/ws`;
});
afterAll(async () => {
  await t?.close();
  await sim?.stop();
});

describe('the live WebSocket signed in by its cookie', () => {
  it('is ready at once and follows the owner’s cluster without an auth message', async () => {
    const cluster = await createCluster(t, owner);
    const client = await connectLive(wsUrl, { headers: { cookie, origin } });
    expect((await client.next('ready')).userId).toBe(owner.id);
    client.send({ type: 'subscribe', clusterId: cluster.id });
    expect((await client.next('subscribed', cluster.id)).clusterId).toBe(cluster.id);
    client.socket.close();
  });

  it('takes no cookie from a page of another origin: the first message must sign in', async () => {
    const cluster = await createCluster(t, owner);
    const client = await connectLive(wsUrl, { headers: { cookie, origin: 'https://evil.example' } });
    client.send({ type: 'subscribe', clusterId: cluster.id });
    expect(await client.closedWith()).toBe(1008);
    expect(client.count('ready')).toBe(0);
  });

  it('leaves a stale cookie to an auth message', async () => {
    const client = await connectLive(wsUrl, {
      headers: { cookie: 'auth_token=expired.or.forged', origin },
    });
    const token = cookie.slice('auth_token='.length);
    client.send({ type: 'auth', token });
    expect((await client.next('ready')).userId).toBe(owner.id);
    expect(client.count('ready')).toBe(1);
    client.socket.close();
  });
});
