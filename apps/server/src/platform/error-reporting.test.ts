import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers';
import { flushErrorReports } from './error-reporting';

// A local HTTP server stands in for Sentry and keeps every envelope the SDK sends.
const envelopes: string[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    envelopes.push(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
let t: TestApp;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  t = await createTestApp({ env: { SENTRY_DSN: `http://publickey@127.0.0.1:${port}/1` } });
  // Two different failures: the SDK drops an exception identical to the one before it.
  t.app.post<{ Params: { id: string } }>('/api/v1/boom/:id', { config: { public: true } }, async (req) => {
    throw new Error(req.params.id === '43' ? 'the failure at shutdown' : 'the failure under test');
  });
});
// The last test closes the app itself.
afterAll(() => server.close());

it('reports a 5xx with request id, route, release and environment, and nothing of the request', async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/boom/42?email=alice@example.org',
    headers: {
      'x-request-id': 'req-under-test',
      authorization: 'Bearer secret-token-123',
      cookie: 'session=cookie-value-456',
    },
    payload: { password: 'body-secret-789', name: 'Alice Personal' },
  });
  expect(res.statusCode).toBe(500);
  const missing = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-route' });
  expect(missing.statusCode).toBe(404);
  await flushErrorReports(5000);

  const events = envelopes.filter((e) => e.includes('"type":"event"'));
  expect(events).toHaveLength(1);
  const event = JSON.parse(events[0]!.split('\n')[2]!);
  expect(event.tags).toMatchObject({
    request_id: 'req-under-test',
    route: '/api/v1/boom/:id',
    status: '500',
  });
  expect(event.release).toBe('clockpilot@0.0.0-test');
  expect(event.environment).toBe('test');
  expect(event.exception.values[0].value).toBe('the failure under test');
  for (const secret of [
    'secret-token-123',
    'cookie-value-456',
    'body-secret-789',
    'Alice Personal',
    'alice@example.org',
  ])
    expect(events[0]).not.toContain(secret);
});

it('sends a report still queued when the app shuts down', async () => {
  const before = envelopes.length;
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/boom/43' });
  expect(res.statusCode).toBe(500);
  // No explicit flush: closing the app (as SIGTERM does) must deliver it.
  await t.close();
  const events = envelopes.slice(before).filter((e) => e.includes('"type":"event"'));
  expect(events).toHaveLength(1);
  expect(events[0]).toContain('the failure at shutdown');
});
