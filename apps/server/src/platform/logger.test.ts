import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.very-secret-token';
const BOUND = 'token-hash-4f1c9a';
const dir = mkdtempSync(join(tmpdir(), 'cp-logs-'));
const stdout: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    stdout.push(String(chunk));
    done();
  },
});

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { LOG_DIR: dir, LOG_LEVEL: 'info' }, logTo: sink });
  t.app.setAuthenticator(async () => ({ userId: 'u-1', role: 'employee', scopes: ['read', 'write'] }));
  t.app.get('/api/test/admin', { config: { permission: 'audit:read' } }, async () => ({ ok: true }));
  t.app.get('/api/test/fail', { config: { public: true } }, async () => {
    throw new Error('disk on fire');
  });
  // A statement that fails with a value bound to it, as a token look-up would.
  t.app.get('/api/test/db-fail', { config: { public: true } }, async () =>
    t.ctx.db.execute(sql`select * from no_such_table where hash = ${BOUND}`),
  );
  await t.app.ready();

  await t.app.inject({
    method: 'GET',
    url: '/api/test/admin',
    headers: { authorization: `Bearer ${TOKEN}`, 'x-request-id': 'req-denied' },
  });
  await t.app.inject({
    method: 'GET',
    url: '/api/test/fail',
    headers: { authorization: `Bearer ${TOKEN}`, cookie: `session=${TOKEN}`, 'x-request-id': 'req-failed' },
  });
  await t.app.inject({ method: 'GET', url: '/api/test/db-fail', headers: { 'x-request-id': 'req-db' } });
  t.ctx.log.audit.info({ action: 'user.update', password: 'p4ssw0rd' }, 'audit event');
  // Files are written asynchronously; give them a tick to open, then force them out.
  await new Promise((r) => setTimeout(r, 100));
  t.ctx.log.flush();
});
afterAll(() => t.close());

const lines = (name: string) =>
  readFileSync(join(dir, name), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('LOG_DIR', () => {
  it('puts a security event in security.log, not in app.log', () => {
    const denied = lines('security.log').find((l) => l.event === 'permission_denied');
    expect(denied).toMatchObject({ channel: 'security', reqId: 'req-denied', route: '/api/test/admin' });
    expect(lines('app.log').some((l) => l.event === 'permission_denied')).toBe(false);
  });

  it('puts errors in error.log with the request id and the credentials redacted', () => {
    const failure = lines('error.log').find((l) => l.reqId === 'req-failed');
    expect(failure).toMatchObject({ level: 'error', channel: 'app', reqId: 'req-failed' });
    expect(failure!.headers).toMatchObject({ authorization: '[redacted]', cookie: '[redacted]' });
    expect((failure!.err as { message: string }).message).toBe('disk on fire');
    expect(lines('error.log').every((l) => l.level === 'error' || l.level === 'fatal')).toBe(true);
  });

  it('logs a failed statement without the values bound to it', () => {
    const failure = lines('error.log').find((l) => l.reqId === 'req-db');
    expect(JSON.stringify(failure)).toContain('no_such_table');
    expect(readFileSync(join(dir, 'error.log'), 'utf8')).not.toContain(BOUND);
    expect(stdout.join('')).not.toContain(BOUND);
  });

  it('puts audit events in audit.log and redacts passwords', () => {
    const audit = lines('audit.log').find((l) => l.action === 'user.update');
    expect(audit).toMatchObject({ channel: 'audit', password: '[redacted]' });
  });

  it('carries the request id on every request line of app.log', () => {
    const requestLines = lines('app.log').filter((l) => l.req || l.res);
    expect(requestLines.length).toBeGreaterThanOrEqual(4);
    for (const l of requestLines) expect(l.reqId).toEqual(expect.any(String));
  });

  it('never writes a credential anywhere, stdout included', () => {
    for (const name of ['app.log', 'error.log', 'security.log', 'audit.log']) {
      const text = readFileSync(join(dir, name), 'utf8');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('p4ssw0rd');
    }
    expect(stdout.join('')).toContain('req-failed');
    expect(stdout.join('')).not.toContain(TOKEN);
  });
});
