import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers';

const INDEX = `<!doctype html><html><head>
<meta name="csp-nonce" content="__CSP_NONCE__" />
<meta property="csp-nonce" nonce="__CSP_NONCE__">
<script type="module" crossorigin src="/assets/index-Ab12Cd34.js" nonce="__CSP_NONCE__"></script>
<link rel="stylesheet" href="/assets/index-Ef56Gh78.css" nonce="__CSP_NONCE__">
</head><body><div id="root"></div></body></html>`;
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

function nonceOf(csp: string): string {
  const m = /script-src 'self' 'nonce-([^']+)'/.exec(csp);
  if (!m) throw new Error(`no script nonce in ${csp}`);
  return m[1]!;
}

let dir: string;
let t: TestApp;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cp-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'index-Ab12Cd34.js'), SCRIPT);
  writeFileSync(join(dir, 'assets', 'index-Ab12Cd34.js.gz'), gzipSync(SCRIPT));
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  t = await createTestApp({ env: { WEB_DIR: dir, CSP_REPORT_URI: '/csp-report' } });
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the single-page app', () => {
  it('answers / with index.html, a strict CSP and a fresh nonce that matches the page', async () => {
    const a = await t.app.inject({ url: '/', headers: HTML });
    const b = await t.app.inject({ url: '/', headers: HTML });
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-type']).toMatch(/^text\/html/);
    expect(a.headers['cache-control']).toBe('no-cache');
    const csp = String(a.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain('report-uri /csp-report');
    expect(csp).not.toContain('unsafe-inline');
    const nonce = nonceOf(csp);
    expect(nonce.length).toBeGreaterThanOrEqual(22);
    expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`);
    expect(a.body).not.toContain('__CSP_NONCE__');
    expect(a.body).toContain(`<meta name="csp-nonce" content="${nonce}" />`);
    expect(a.body).toContain(`src="/assets/index-Ab12Cd34.js" nonce="${nonce}"`);
    expect(a.body).toContain(`href="/assets/index-Ef56Gh78.css" nonce="${nonce}"`);
    const other = nonceOf(String(b.headers['content-security-policy']));
    expect(other).not.toBe(nonce);
    expect(b.body).toContain(`content="${other}"`);
  });

  it('falls back to index.html for client-side routes that accept HTML', async () => {
    for (const url of ['/timesheet', '/admin/users?x=1', '/some/deep/link', '/index.html']) {
      const res = await t.app.inject({ url, headers: HTML });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.headers['content-security-policy'], url).toMatch(/nonce-/);
      expect(res.body, url).toContain('<div id="root">');
    }
  });

  it('serves hashed assets as immutable for a year, other files for an hour', async () => {
    const js = await t.app.inject({ url: '/assets/index-Ab12Cd34.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['content-security-policy']).toBeUndefined();
    expect(js.body).toBe(SCRIPT);
    const icon = await t.app.inject({ url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('sends the pre-compressed asset when the client takes gzip', async () => {
    const res = await t.app.inject({
      url: '/assets/index-Ab12Cd34.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.rawPayload.length).toBeLessThan(SCRIPT.length / 4);
  });

  it('answers a missing asset with 404, not the app', async () => {
    const res = await t.app.inject({ url: '/assets/gone-00000000.js', headers: { accept: '*/*' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('keeps unknown /api routes as problem+json, even for a browser', async () => {
    for (const url of ['/api/v1/nope', '/api/nope', '/api']) {
      const res = await t.app.inject({ url, headers: HTML });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      expect(res.json(), url).toMatchObject({ status: 404, code: 'not_found' });
      expect(res.headers['content-security-policy'], url).toBeUndefined();
    }
    const post = await t.app.inject({ method: 'POST', url: '/timesheet', headers: HTML });
    expect(post.statusCode).toBe(404);
    expect(post.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers a non-HTML client on an unknown path with a problem', async () => {
    const res = await t.app.inject({ url: '/whatever', headers: { accept: 'application/json' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('leaves API answers without a CSP and the health check working', async () => {
    const res = await t.app.inject({ url: '/api/health/live' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toBeUndefined();
  });
});

describe('CSP options', () => {
  it('sends report-only when CSP_REPORT_ONLY is set, and nothing when CSP_ENABLED=false', async () => {
    const ro = await createTestApp({ env: { WEB_DIR: dir, CSP_REPORT_ONLY: 'true' } });
    const off = await createTestApp({ env: { WEB_DIR: dir, CSP_ENABLED: 'false' } });
    try {
      const a = await ro.app.inject({ url: '/', headers: HTML });
      expect(a.headers['content-security-policy']).toBeUndefined();
      expect(a.headers['content-security-policy-report-only']).toMatch(/script-src 'self' 'nonce-/);
      const b = await off.app.inject({ url: '/', headers: HTML });
      expect(b.statusCode).toBe(200);
      expect(b.headers['content-security-policy']).toBeUndefined();
      expect(b.headers['content-security-policy-report-only']).toBeUndefined();
    } finally {
      await ro.close();
      await off.close();
    }
  });
});

describe('without a build', () => {
  it('says how to build the web app', async () => {
    const empty = await createTestApp({ env: { WEB_DIR: join(dir, 'missing') } });
    try {
      const html = await empty.app.inject({ url: '/', headers: HTML });
      expect(html.statusCode).toBe(503);
      expect(html.headers['content-type']).toMatch(/^text\/html/);
      expect(html.body).toContain('npm run build -w @clockpilot/web');
      const nonce = nonceOf(String(html.headers['content-security-policy']));
      expect(html.body).toContain(`<style nonce="${nonce}">`);
      const json = await empty.app.inject({ url: '/', headers: { accept: 'application/json' } });
      expect(json.statusCode).toBe(503);
      expect(json.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json.json().detail).toContain('npm run build -w @clockpilot/web');
    } finally {
      await empty.close();
    }
  });
});
