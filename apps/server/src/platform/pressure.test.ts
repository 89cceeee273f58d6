import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ env: { MAX_EVENT_LOOP_DELAY_MS: '50' } });
  await t.app.ready();
});
afterAll(() => t.close());

/** Blocks the event loop, as a CPU-bound burst would, then lets under-pressure sample the lag. */
async function saturate() {
  const until = Date.now() + 600;
  while (Date.now() < until) {
    // busy on purpose
  }
  await new Promise((r) => setTimeout(r, 50));
}

describe('event-loop saturation', () => {
  it('answers 503 problem+json with Retry-After, but keeps liveness answering', async () => {
    await saturate();
    const busy = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBe('10');
    expect(busy.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(busy.json()).toMatchObject({ code: 'unavailable', status: 503 });

    await saturate();
    const live = await t.app.inject({ method: 'GET', url: '/api/health/live' });
    expect(live.statusCode).toBe(200);
  });
});
