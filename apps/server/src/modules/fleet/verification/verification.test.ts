import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentsOf } from '../../../../test/factories/fleet-payments';
import { type LoggedIn, loginAs } from '../../../../test/factories/identity';
import { startPersonaServer } from '../../../../test/fakes/persona-server';
import { createTestApp, type TestApp, testClock } from '../../../../test/helpers';
import { request } from '../../../../test/http';
import { personaSignature } from './persona-signature';

const SECRET = 'wbhsec_persona_test_secret';
const clock = testClock();
let persona: Awaited<ReturnType<typeof startPersonaServer>>;
let t: TestApp;

beforeAll(async () => {
  persona = await startPersonaServer();
  t = await createTestApp({
    clock,
    env: {
      PERSONA_API_KEY: 'persona_test_key',
      PERSONA_TEMPLATE_ID: 'itmpl_fleet_dl',
      PERSONA_WEBHOOK_SECRET: SECRET,
      PERSONA_API_URL: persona.url,
    },
  });
});
afterAll(async () => {
  await t?.close();
  await persona?.close();
});

const now = () => Math.floor(clock.now().getTime() / 1000);
let seq = 0;

/** A Persona event as delivered; `createdAt` is Persona's own time of the event. */
function event(name: string, inquiryId: string, createdAt: Date, licence?: string) {
  return JSON.stringify({
    data: {
      type: 'event',
      id: `evt_test_${++seq}_${inquiryId}`,
      attributes: {
        name,
        'created-at': createdAt.toISOString(),
        payload: {
          data: { type: 'inquiry', id: inquiryId, attributes: { status: name.slice(8) } },
          included: licence
            ? [
                {
                  type: 'verification/government-id',
                  attributes: { 'id-class': 'dl', 'expiration-date': licence },
                },
              ]
            : [],
        },
      },
    },
  });
}

async function deliver(body: string, signature = personaSignature(SECRET, body, now())) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/persona/webhook',
    headers: { 'content-type': 'application/json', 'persona-signature': signature },
    payload: body,
  });
  return { status: res.statusCode, body: res.json() as { outcome?: string; code?: string } };
}

async function started(): Promise<{ me: LoggedIn; inquiryId: string }> {
  const me = await loginAs(t);
  const res = await request(t, me, 'POST', '/fleet/verification');
  expect(res.status).toBe(201);
  return { me, inquiryId: res.body.inquiryId };
}

const minutesAgo = (m: number) => new Date(clock.now().getTime() - m * 60_000);

describe('Persona verification', () => {
  it('creates an inquiry for the caller and answers the hosted-flow link', async () => {
    const me = await loginAs(t);
    expect((await request(t, me, 'GET', '/fleet/verification')).body).toEqual({ state: 'none' });
    const res = await request(t, me, 'POST', '/fleet/verification');
    expect(res).toMatchObject({
      status: 201,
      body: { state: 'pending', url: expect.stringMatching(/^https:\/\/persona\.test\/verify\?code=/) },
    });
    const create = persona.calls.find(
      (c) => c.path === '/api/v1/inquiries' && JSON.stringify(c.body).includes(me.user.id),
    )!;
    expect(create.body).toEqual({
      data: { attributes: { 'inquiry-template-id': 'itmpl_fleet_dl', 'reference-id': me.user.id } },
    });
    expect(create.headers).toMatchObject({
      authorization: 'Bearer persona_test_key',
      'persona-version': '2023-01-05',
    });
    expect(persona.calls.at(-1)!.path).toBe(`/api/v1/inquiries/${res.body.inquiryId}/generate-one-time-link`);
    expect((await request(t, me, 'GET', '/fleet/verification')).body).toEqual({ state: 'pending' });
    expect((await request(t, null, 'POST', '/fleet/verification')).status).toBe(401);
  });

  it('applies a signed approval with the licence expiry once, and ignores its duplicate', async () => {
    const { me, inquiryId } = await started();
    const body = event('inquiry.approved', inquiryId, minutesAgo(1), '2031-05-31');
    expect(await deliver(body)).toMatchObject({ status: 200, body: { outcome: 'applied' } });
    expect(await deliver(body)).toMatchObject({ status: 200, body: { outcome: 'duplicate' } });
    expect((await request(t, me, 'GET', '/fleet/verification')).body).toEqual({
      state: 'approved',
      licenceExpiresOn: '2031-05-31',
    });
  });

  it("orders deliveries by the event's created-at: a late older event changes nothing", async () => {
    const { me, inquiryId } = await started();
    expect(
      (await deliver(event('inquiry.approved', inquiryId, minutesAgo(2), '2030-01-01'))).body.outcome,
    ).toBe('applied');
    expect((await deliver(event('inquiry.completed', inquiryId, minutesAgo(3)))).body.outcome).toBe('stale');
    expect((await request(t, me, 'GET', '/fleet/verification')).body.state).toBe('approved');
    expect((await deliver(event('inquiry.marked-for-review', inquiryId, minutesAgo(1)))).body.outcome).toBe(
      'applied',
    );
    expect((await request(t, me, 'GET', '/fleet/verification')).body).toEqual({
      state: 'review',
      licenceExpiresOn: '2030-01-01',
    });
  });

  it('maps declined, failed and expired inquiries', async () => {
    for (const [name, state] of [
      ['inquiry.declined', 'declined'],
      ['inquiry.failed', 'declined'],
      ['inquiry.expired', 'expired'],
    ]) {
      const { me, inquiryId } = await started();
      expect((await deliver(event(name!, inquiryId, minutesAgo(1)))).body.outcome).toBe('applied');
      expect((await request(t, me, 'GET', '/fleet/verification')).body.state).toBe(state);
    }
  });

  it('counts an approval as expired once the licence it checked has expired', async () => {
    const { me, inquiryId } = await started();
    await deliver(event('inquiry.approved', inquiryId, minutesAgo(1), '2026-11-22'));
    expect((await request(t, me, 'GET', '/fleet/verification')).body).toEqual({
      state: 'expired',
      licenceExpiresOn: '2026-11-22',
    });
    expect(await paymentsOf(t).verification.port.status(me.user.id)).toEqual({
      state: 'expired',
      licenceExpiresOn: '2026-11-22',
    });
  });

  it('accepts either signature during a secret rotation and refuses forged, expired and unsigned ones', async () => {
    const { me, inquiryId } = await started();
    const body = event('inquiry.declined', inquiryId, minutesAgo(1));
    const metric = () => t.ctx.metrics.registry.getSingleMetricAsString('clockpilot_security_events_total');
    const count = (s: string) => Number(/type="webhook_signature_invalid"} (\d+)/.exec(s)?.[1] ?? 0);
    const before = count(await metric());

    const forged = await deliver(body, personaSignature('another-secret', body, now()));
    const expired = await deliver(body, personaSignature(SECRET, body, now() - 301));
    const unsigned = await deliver(body, '');
    const otherBody = await deliver(
      body.replace('declined', 'approved'),
      personaSignature(SECRET, body, now()),
    );
    for (const res of [forged, expired, unsigned, otherBody])
      expect(res).toMatchObject({ status: 400, body: { code: 'bad_request' } });
    expect(count(await metric()) - before).toBe(4);
    expect((await request(t, me, 'GET', '/fleet/verification')).body.state).toBe('pending');

    const rotating = `${personaSignature('old-secret', body, now())} ${personaSignature(SECRET, body, now() - 299)}`;
    expect(await deliver(body, rotating)).toMatchObject({ status: 200, body: { outcome: 'applied' } });
    expect((await request(t, me, 'GET', '/fleet/verification')).body.state).toBe('declined');
  });

  it('answers 200 for unknown inquiries and events, 400 for a body that is not an event', async () => {
    expect((await deliver(event('inquiry.approved', 'inq_unknown', minutesAgo(1)))).body.outcome).toBe(
      'unknown_inquiry',
    );
    expect((await deliver(event('account.created', 'inq_x', minutesAgo(1)))).body.outcome).toBe('unhandled');
    expect((await deliver('{"data": 1}')).status).toBe(400);
    expect((await deliver('not json')).status).toBe(400);
  });

  it('keeps nothing and says to retry when Persona cannot be reached', async () => {
    const me = await loginAs(t);
    await persona.close();
    const res = await request(t, me, 'POST', '/fleet/verification');
    expect(res).toMatchObject({
      status: 503,
      body: { detail: expect.stringMatching(/cannot be reached.*try again/) },
    });
    expect((await request(t, me, 'GET', '/fleet/verification')).body).toEqual({ state: 'none' });
  });
});
