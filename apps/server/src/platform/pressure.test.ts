import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ env: { MAX_EVENT_LOOP_DELAY_MS: '50' } });
  await t.app.ready();
});
afterAll(() => t.close());

/**
 * Keeps the event loop busy in 200 ms bursts for longer than two of under-pressure's one-second
 * samples, as sustained CPU-bound work would, so every sample it takes sees the lag.
 */
async function saturate() {
  const until = Date.now() + 2500;
  while (Date.now() < until) {
    const burst = Date.now() + 200;
    while (Date.now() < burst) {
      // busy on purpose
    }
    await new Promise((r) => setTimeout(r, 1));
  }
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
