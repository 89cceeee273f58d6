import { EVALUATION_LIMITS } from '@clockpilot/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoggedIn, loginAs } from '../../../../test/factories/identity';
import { createTestApp, type TestApp } from '../../../../test/helpers';
import { errorPaths, request } from '../../../../test/http';
import { type Part, postForm } from '../../../../test/multipart';

let t: TestApp;
let alice: LoggedIn;
let bob: LoggedIn;

beforeAll(async () => {
  t = await createTestApp();
  alice = await loginAs(t);
  bob = await loginAs(t);
});
afterAll(async () => {
  await t?.close();
});

/** Per-minute counts from 09:00 UTC: `minutes` of them, a quiet hour, then three times the load. */
function trace(minutes: number) {
  const rows = ['timestamp,requests'];
  const start = Date.parse('2026-03-02T09:00:00Z');
  for (let m = 0; m < minutes; m++) {
    const rps = m < 60 ? 20 : 60 + 10 * Math.sin(m / 7);
    rows.push(`${new Date(start + m * 60_000).toISOString()},${Math.round(rps * 60)}`);
  }
  return `${rows.join('\n')}\n`;
}

const file = (csv: string, fileName = 'trace.csv'): Part => ({
  name: 'file',
  fileName,
  data: Buffer.from(csv),
});
const upload = (as: LoggedIn, parts: Part[]) => postForm(t, as, '/autoscaler/evaluations', parts);

async function finished(as: LoggedIn, id: string) {
  for (let i = 0; i < 600; i++) {
    const res = await request(t, as, 'GET', `/autoscaler/evaluations/${id}`);
    if (res.body?.status !== 'running') return res;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the evaluation did not finish');
}

describe('evaluations', () => {
  it('replays an uploaded trace through both policies in a worker, and only its owner reads it', async () => {
    const res = await upload(alice, [
      { name: 'serverRps', value: '5' },
      { name: 'bootSeconds', value: '30' },
      file(trace(180)),
    ]);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      status: 'running',
      fileName: 'trace.csv',
      options: { policy: 'both', serverRps: 5, bootSeconds: 30, hpaTarget: 70 },
      // 180 minutes in 15 s ticks, once per policy.
      progress: { done: 0, total: 2 * 180 * 4 },
      result: null,
    });
    // The event loop stays free while the worker replays: the server answers at once.
    expect((await request(t, alice, 'GET', `/autoscaler/evaluations/${res.body.id}`)).status).toBe(200);
    expect((await request(t, bob, 'GET', `/autoscaler/evaluations/${res.body.id}`)).status).toBe(404);

    const done = await finished(alice, res.body.id);
    expect(done.body).toMatchObject({
      status: 'succeeded',
      error: null,
      progress: { done: 1440, total: 1440 },
    });
    const r = done.body.result;
    expect(r.trace).toMatchObject({ steps: 180, stepSeconds: 60, gapSteps: 0, peakRps: expect.any(Number) });
    expect(r.settings).toMatchObject({ serverRps: 5, bootSeconds: 30, syncSeconds: 15 });
    for (const policy of ['hpa', 'predictive']) {
      expect(r.policies[policy].serverMinutes).toBeGreaterThan(0);
      expect(r.policies[policy]).toHaveProperty('sloViolationMinutes');
      expect(r.policies[policy]).toHaveProperty('scalingActionsPerHour');
      expect(r.policies[policy]).not.toHaveProperty('sampleReasons');
    }
    expect(r.comparison).toHaveProperty('goalMet');
    // 180 minutes less the 5-minute warm-up in 15 s ticks, in at most 400 points.
    expect(r.chart.demand.length).toBeLessThanOrEqual(400);
    expect(r.chart.secondsPerPoint * r.chart.demand.length).toBeGreaterThanOrEqual(175 * 60);
    expect(r.chart.series.map((s: { policy: string }) => s.policy)).toEqual(['hpa', 'predictive']);
    expect(Math.max(...r.chart.demand)).toBeGreaterThan(Math.min(...r.chart.demand) * 2);
  });

  it('refuses a trace that does not parse with 422 and the line, and other bad input with its field', async () => {
    const bad = await upload(alice, [file('timestamp,requests\n2026-03-02T09:00:00Z,10\nnot-a-time,20\n')]);
    expect(bad.status).toBe(422);
    expect(errorPaths(bad.body)).toEqual(['body.file']);
    expect(bad.body.detail).toMatch(/line 3: "not-a-time" is not an ISO or Unix timestamp/);
    expect(bad.headers['content-type']).toContain('application/problem+json');

    const negative = await upload(alice, [file('0,10\n60,-4\n')]);
    expect([negative.status, negative.body.detail]).toEqual([422, expect.stringMatching(/line 2.*-4/)]);
    const one = await upload(alice, [file('0,10\n')]);
    expect([one.status, one.body.detail]).toEqual([422, expect.stringMatching(/at least two steps/)]);

    const rows = `${Array.from({ length: EVALUATION_LIMITS.maxRows + 2 }, (_, i) => `${i * 60},1`).join('\n')}\n`;
    const many = await upload(alice, [file(rows)]);
    expect([many.status, errorPaths(many.body)]).toEqual([422, ['body.file']]);
    expect(many.body.detail).toMatch(/at most 200000/);
    // Rows 23 days apart at a one-second step span more simulated time than an evaluation may.
    const span = await upload(alice, [file('0,1\n1,1\n2000000,1\n')]);
    expect([span.status, span.body.detail]).toEqual([422, expect.stringMatching(/simulated ticks/)]);
    const tiny = await upload(alice, [{ name: 'serverRps', value: '0.001' }, file(trace(10))]);
    expect([tiny.status, errorPaths(tiny.body)]).toEqual([422, ['body.serverRps']]);
    // A peak of 10^10 req/s: a hundredth of it is more than a simulated server serves (10^6 req/s),
    // and at 10^6 it needs 16,667 servers.
    const huge = await upload(alice, [file('0,600000000000\n60,0\n120,1\n')]);
    expect([huge.status, errorPaths(huge.body)]).toEqual([422, ['body.serverRps']]);
    expect(huge.body.detail).toMatch(/more than 1000 servers of 1000000 req\/s/);
    const fast = await upload(alice, [{ name: 'serverRps', value: '2000000' }, file(trace(10))]);
    expect([fast.status, errorPaths(fast.body)]).toEqual([400, ['body.serverRps']]);

    const options = await upload(alice, [
      { name: 'bootSeconds', value: 'soon' },
      { name: 'policy', value: 'guess' },
      file(trace(10)),
    ]);
    expect([options.status, errorPaths(options.body)]).toEqual([400, ['body.bootSeconds', 'body.policy']]);
    const none = await upload(alice, [{ name: 'policy', value: 'hpa' }]);
    expect([none.status, errorPaths(none.body)]).toEqual([400, ['body.file']]);
    const json = await request(t, alice, 'POST', '/autoscaler/evaluations', { csv: '0,1' });
    expect(json.status).toBe(415);
    expect((await request(t, null, 'GET', `/autoscaler/evaluations/${crypto.randomUUID()}`)).status).toBe(
      401,
    );
  });

  it('answers a broken form with 400 and starts nothing', async () => {
    const raw = (contentType: string, payload: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/autoscaler/evaluations',
        headers: { ...alice.headers, 'content-type': contentType },
        payload,
      });
    const cut = await raw(
      'multipart/form-data; boundary=xx',
      '--xx\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n0,1\n60,2\n',
    );
    const noBoundary = await raw('multipart/form-data', 'abc');
    for (const res of [cut, noBoundary]) {
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().detail).toMatch(/multipart body cannot be read/);
    }
    const two = await upload(alice, [file(trace(10)), file(trace(10))]);
    expect([two.status, errorPaths(two.body)]).toEqual([400, ['body.file']]);
    // A count no service sees (1e308: a replay's sums would overflow) is refused with its line.
    const huge = await upload(alice, [file('0,1e308\n60,1\n')]);
    expect([huge.status, huge.body.detail]).toEqual([422, expect.stringMatching(/line 1: 1e308 requests/)]);
    // Nothing of these was started: alice may start one now.
    const ok = await upload(alice, [{ name: 'policy', value: 'hpa' }, file(trace(10), 'a\u0000b\u001f.csv')]);
    expect([ok.status, ok.body.fileName]).toEqual([202, 'ab.csv']);
    expect((await finished(alice, ok.body.id)).body.status).toBe('succeeded');
  });

  it('refuses a file over the size limit with 413', async () => {
    const big = Buffer.alloc(EVALUATION_LIMITS.maxBytes + 10, '1');
    const res = await upload(bob, [{ name: 'file', fileName: 'big.csv', data: big }]);
    expect([res.status, errorPaths(res.body)]).toEqual([413, ['body.file']]);
  });

  it('runs one evaluation per user at a time', async () => {
    const carol = await loginAs(t);
    const first = await upload(carol, [{ name: 'policy', value: 'hpa' }, file(trace(120))]);
    expect(first.status).toBe(202);
    const second = await upload(carol, [file(trace(120))]);
    expect([second.status, second.body.code]).toEqual([409, 'conflict']);
    const done = await finished(carol, first.body.id);
    expect(done.body.status).toBe('succeeded');
    expect(Object.keys(done.body.result.policies)).toEqual(['hpa']);
    expect(done.body.result.comparison).toBeNull();

    // A replica that stops mid-run leaves its record running; a minute without a write reads as failed.
    const key = `autoscaler:evaluation:${first.body.id}`;
    const { cache, clock } = t.runtime.ctx;
    const stored = JSON.parse((await cache.get(key)) as string);
    const twoMinutesAgo = new Date(clock.now().getTime() - 120_000).toISOString();
    await cache.set(key, JSON.stringify({ ...stored, status: 'running', updatedAt: twoMinutesAgo }), 60);
    const lost = await request(t, carol, 'GET', `/autoscaler/evaluations/${first.body.id}`);
    expect(lost.body).toMatchObject({
      status: 'failed',
      error: 'The server running this evaluation stopped',
    });
  });
});
