import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoggedIn, loginAs } from '../../../test/factories/identity';
import { createTestApp, type TestApp, testClock } from '../../../test/helpers';
import { auditEvents } from '../../platform/audit';
import { apiTokens } from './api-tokens.tables';

const clock = testClock();
let t: TestApp;
let admin: LoggedIn;

beforeAll(async () => {
  t = await createTestApp({ clock });
  admin = await loginAs(t, { role: 'admin' });
});
afterAll(() => t.close());

const call = (method: string, url: string, auth: { authorization: string }, payload?: unknown) =>
  t.app.inject({ method: method as 'GET', url, headers: auth, payload: payload as object });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function newToken(owner: LoggedIn, body: Record<string, unknown>) {
  const res = await call('POST', '/api/v1/tokens', owner.headers, body);
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; token: string; scopes: string[]; prefix: string; expiresAt: string };
}

describe('personal API tokens', () => {
  it('shows the secret once, stores only its SHA-256 and lists without it', async () => {
    const me = await loginAs(t, { role: 'employee' });
    const res = await call('POST', '/api/v1/tokens', me.headers, { name: 'CI export', scopes: ['read'] });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const created = res.json();
    expect(created.token).toMatch(/^cpat_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ name: 'CI export', scopes: ['read'], lastUsedAt: null });
    expect(created.token.startsWith(created.prefix)).toBe(true);
    // Default lifetime: 90 days from now.
    expect(new Date(created.expiresAt).getTime() - clock.now().getTime()).toBe(90 * 86_400_000);

    const [row] = await t.ctx.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row!.tokenHash).toBe(createHash('sha256').update(created.token).digest('base64url'));
    expect(JSON.stringify(row)).not.toContain(created.token);

    const list = await call('GET', '/api/v1/tokens', me.headers);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(1);
    expect(list.json().items[0]).toMatchObject({ id: created.id, prefix: created.prefix });
    expect(list.body).not.toContain(created.token);
    expect(list.json().items[0]).not.toHaveProperty('token');
  });

  it('authenticates as its owner with the owner’s current role, and records its last use', async () => {
    const manager = await loginAs(t, { role: 'manager' });
    const { id, token } = await newToken(manager, { name: 'reader', scopes: ['read'] });
    const res = await call('GET', '/api/v1/users', bearer(token));
    expect(res.statusCode).toBe(200);
    const [row] = await t.ctx.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(row!.lastUsedAt?.toISOString()).toBe(clock.now().toISOString());

    // Demoted to employee: the same token loses users:read at once.
    const demote = await call('PATCH', `/api/v1/users/${manager.user.id}`, admin.headers, {
      role: 'employee',
    });
    expect(demote.statusCode).toBe(200);
    expect((await call('GET', '/api/v1/users', bearer(token))).statusCode).toBe(403);
  });

  it('refuses writes to a read-only token and allows them to a write token', async () => {
    const boss = await loginAs(t, { role: 'admin' });
    const read = await newToken(boss, { name: 'read', scopes: ['read'] });
    const write = await newToken(boss, { name: 'write', scopes: ['write'] });
    expect(write.scopes).toEqual(['read', 'write']);
    const body = { username: 'made_by_token', email: 'made_by_token@example.test', role: 'employee' };
    const refused = await call('POST', '/api/v1/users', bearer(read.token), body);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toMatch(/write/);
    expect((await call('POST', '/api/v1/users', bearer(write.token), body)).statusCode).toBe(201);
    expect((await call('GET', '/api/v1/users', bearer(write.token))).statusCode).toBe(200);
  });

  it('cannot manage the account or mint and revoke tokens', async () => {
    const me = await loginAs(t, { role: 'employee' });
    const { id, token } = await newToken(me, { name: 'all', scopes: ['read', 'write'] });
    expect((await call('GET', '/api/v1/auth/me', bearer(token))).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/auth/sessions/revoke-all', bearer(token))).statusCode).toBe(403);
    expect(
      (await call('POST', '/api/v1/tokens', bearer(token), { name: 'x', scopes: ['read'] })).statusCode,
    ).toBe(403);
    expect((await call('DELETE', `/api/v1/tokens/${id}`, bearer(token))).statusCode).toBe(403);
  });

  it('stops working when revoked; only the owner can revoke', async () => {
    const me = await loginAs(t, { role: 'employee' });
    const other = await loginAs(t, { role: 'employee' });
    const { id, token } = await newToken(me, { name: 'temp', scopes: ['read'] });
    expect((await call('GET', '/api/v1/tokens', bearer(token))).statusCode).toBe(200);
    expect((await call('DELETE', `/api/v1/tokens/${id}`, other.headers)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/v1/tokens/${id}`, me.headers)).statusCode).toBe(204);
    const after = await call('GET', '/api/v1/tokens', bearer(token));
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toContain('invalid_token');
    expect((await call('GET', '/api/v1/tokens', me.headers)).json().items).toHaveLength(0);
    expect((await call('DELETE', `/api/v1/tokens/${id}`, me.headers)).statusCode).toBe(404);
    const audited = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.entityId, id));
    expect(audited.map((e) => [e.action, e.actorId]).sort()).toEqual([
      ['api_token.created', me.user.id],
      ['api_token.revoked', me.user.id],
    ]);
  });

  it('stops working when its owner is deactivated', async () => {
    const me = await loginAs(t, { role: 'employee' });
    const { token } = await newToken(me, { name: 'x', scopes: ['read'] });
    expect((await call('GET', '/api/v1/tokens', bearer(token))).statusCode).toBe(200);
    await call('PATCH', `/api/v1/users/${me.user.id}`, admin.headers, { active: false });
    expect((await call('GET', '/api/v1/tokens', bearer(token))).statusCode).toBe(401);
  });

  it('expires', async () => {
    const me = await loginAs(t, { role: 'employee' });
    const expiresAt = new Date(clock.now().getTime() + 2 * 86_400_000).toISOString();
    const { token } = await newToken(me, { name: 'short', scopes: ['read'], expiresAt });
    expect((await call('GET', '/api/v1/tokens', bearer(token))).statusCode).toBe(200);
    clock.advance(2 * 86_400_000);
    try {
      expect((await call('GET', '/api/v1/tokens', bearer(token))).statusCode).toBe(401);
    } finally {
      clock.advance(-2 * 86_400_000);
    }
  });

  it('validates name, scopes and expiry', async () => {
    const me = await loginAs(t, { role: 'employee' });
    const post = (body: unknown) => call('POST', '/api/v1/tokens', me.headers, body);
    expect((await post({ name: '', scopes: ['read'] })).statusCode).toBe(400);
    expect((await post({ name: 'x', scopes: [] })).statusCode).toBe(400);
    expect((await post({ name: 'x', scopes: ['admin'] })).statusCode).toBe(400);
    expect((await post({ name: 'x', scopes: ['read', 'read'] })).statusCode).toBe(400);
    const past = await post({ name: 'x', scopes: ['read'], expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.statusCode).toBe(422);
    expect(past.json().errors[0].path).toBe('body.expiresAt');
    const far = new Date(clock.now().getTime() + 400 * 86_400_000).toISOString();
    expect((await post({ name: 'x', scopes: ['read'], expiresAt: far })).statusCode).toBe(422);
  });

  it('refuses unknown and malformed tokens alike', async () => {
    for (const token of [`cpat_${'A'.repeat(43)}`, 'cpat_short', `cpat_${'A'.repeat(42)}!`]) {
      const res = await call('GET', '/api/v1/tokens', bearer(token));
      expect(res.statusCode).toBe(401);
    }
  });
});
