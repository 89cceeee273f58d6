import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestApp } from '../../test/helpers';
import { appsForFile } from '../../test/security-probes';
import { CSP_REPORT_GROUP } from './csp';

const appWith = appsForFile();

describe('CSP reports', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({});
  });
  const report = (ip: string) =>
    t.app.inject({
      method: 'POST',
      url: '/csp-report',
      remoteAddress: ip,
      headers: { 'content-type': 'application/csp-report' },
      payload: JSON.stringify({
        'csp-report': {
          'document-uri': 'https://clock.example.test/time',
          'violated-directive': 'script-src-elem',
          'blocked-uri': 'https://cdn.evil.example.test/x.js',
          disposition: 'enforce',
        },
      }),
    });

  it('accepts a report-uri report without credentials and logs it', async () => {
    const warn = vi.spyOn(t.ctx.log.security, 'warn');
    const res = await report('198.51.100.80');
    expect(res.statusCode).toBe(204);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({
        event: 'csp_violation',
        report: expect.objectContaining({ 'blocked-uri': 'https://cdn.evil.example.test/x.js' }),
      }),
      'content security policy violation',
    );
  });

  it('accepts a Reporting API batch', async () => {
    const warn = vi.spyOn(t.ctx.log.security, 'warn');
    const res = await t.app.inject({
      method: 'POST',
      url: '/csp-report',
      headers: { 'content-type': 'application/reports+json' },
      payload: JSON.stringify([
        {
          type: 'csp-violation',
          age: 10,
          url: 'https://clock.example.test/',
          user_agent: 'Mozilla/5.0',
          body: { effectiveDirective: 'img-src', blockedURL: 'https://x.example.test/p.png' },
        },
      ]),
    });
    expect(res.statusCode).toBe(204);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({
        event: 'csp_violation',
        report: expect.objectContaining({ type: 'csp-violation', effectiveDirective: 'img-src' }),
      }),
      'content security policy violation',
    );
  });

  it('refuses what is not a report', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/csp-report',
      headers: { 'content-type': 'application/csp-report' },
      payload: JSON.stringify({ hello: 'world' }),
    });
    expect(res.statusCode).toBe(400);
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/csp-report',
      headers: { 'content-type': 'application/csp-report' },
      payload: '{',
    });
    expect(notJson.statusCode).toBe(400);
  });

  it('is where the page policy sends its reports (report-uri and the report-to group)', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/time', headers: { accept: 'text/html' } });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain(`report-uri /csp-report`);
    expect(csp).toContain(`report-to ${CSP_REPORT_GROUP}`);
    expect(page.headers['reporting-endpoints']).toBe(`${CSP_REPORT_GROUP}="/csp-report"`);
    const api = await t.app.inject({ method: 'GET', url: '/api/health/live' });
    expect(api.headers['reporting-endpoints']).toBeUndefined();
  });

  it('limits reports per IP', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 31; i++) codes.push((await report('198.51.100.81')).statusCode);
    expect(codes.slice(0, 30).every((c) => c === 204)).toBe(true);
    expect(codes[30]).toBe(429);
  });
});
