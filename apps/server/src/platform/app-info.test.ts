import { ZAppInfo } from '@clockpilot/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { MODULES: 'identity,directory' } });
});
afterAll(() => t.close());

describe('GET /api/v1/app', () => {
  it('answers without a token with the version and only the enabled modules', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/app' });
    expect(res.statusCode).toBe(200);
    const body = ZAppInfo.strict().parse(res.json());
    expect(body).toEqual({ version: '0.0.0-test', modules: ['identity', 'directory'] });
    expect(body.modules).not.toContain('time');
  });

  it('is described in the OpenAPI document as public', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.paths['/api/v1/app'].get.security).toEqual([]);
  });
});
