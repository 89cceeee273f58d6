import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LoggedIn, loginAs, TEST_PASSWORD } from '../../../test/factories/identity';
import { auditTrail, createTestApp, type TestApp, testClock } from '../../../test/helpers';
import { bearer, request } from '../../../test/http';
import { apiTokensRepo } from './api-tokens.repo';
import { apiTokens } from './api-tokens.tables';

const clock = testClock();
let t: TestApp;
let admin: LoggedIn;

beforeAll(async () => {
  t = await createTestApp({ clock });
  admin = await loginAs(t, { role: 'admin' });
});
afterAll(() => t.close());

async function newToken(owner: LoggedIn, body: Record<string, unknown>) {
  const res = await request(t, owner, 'POST', '/tokens', body);
  expect(res.status).toBe(201);
  return res.body as { id: string; token: string; scopes: string[]; prefix: string; expiresAt: string };
}

describe('personal API tokens', () => {
  it('shows the secret once, stores only its SHA-256 and lists without it', async () => {
    const me = await loginAs(t, { role: 'employee' });
    const res = await request(t, me, 'POST', '/tokens', { name: 'CI export', scopes: ['read'] });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const created = res.body;
    expect(created.token).toMatch(/^cpat_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ name: 'CI export', scopes: ['read'], lastUsedAt: null });
    expect(created.token.startsWith(created.prefix)).toBe(true);
    // Default lifetime: 90 days from now.
    expect(new Date(created.expiresAt).getTime() - clock.now().getTime()).toBe(90 * 86_400_000);

    const [row] = await t.ctx.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row!.tokenHash).toBe(createHash('sha256').update(created.token).digest('base64url'));
    expect(JSON.stringify(row)).not.toContain(created.token);

    const list = await request(t, me, 'GET', '/tokens');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: created.id, prefix: created.prefix });
    expect(list.raw).not.toContain(created.token);
    expect(list.body.items[0]).not.toHaveProperty('token');
  });

  it('authenticates as its owner with the owner’s current role, and records its last use', async () => {
    const manager = await loginAs(t, { role: 'manager' });
    const { id, token } = await newToken(manager, { name: 'reader', scopes: ['read'] });
    const res = await request(t, bearer(token), 'GET', '/users');
    expect(res.status).toBe(200);
    const [row] = await t.ctx.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(row!.lastUsedAt?.toISOString()).toBe(clock.now().toISOString());

    // Demoted to employee: the same token loses users:read at once.
    const demote = await request(t, admin, 'PATCH', `/users/${manager.user.id}`, {
      role: 'employee',
    });
    expect(demote.status).toBe(200);
    expect((await request(t, bearer(token), 'GET', '/users')).status).toBe(403);
  });

  it('writes its last use at most once a minute, without a statement on the calls between', async () => {
    const owner = await loginAs(t, { role: 'employee' });
    const { id, token } = await newToken(owner, { name: 'busy', scopes: ['read'] });
    const touch = vi.spyOn(apiTokensRepo, 'touch');
    try {
      const first = clock.now();
      for (let i = 0; i < 3; i++) {
        expect((await request(t, bearer(token), 'GET', '/time/status')).status).not.toBe(401);
        clock.advance(10_000);
      }
      expect(touch).toHaveBeenCalledTimes(1);
      clock.advance(60_000);
      await request(t, bearer(token), 'GET', '/time/status');
      expect(touch).toHaveBeenCalledTimes(2);
      const [row] = await t.ctx.db.select().from(apiTokens).where(eq(apiTokens.id, id));
      expect(row!.lastUsedAt!.getTime()).toBeGreaterThan(first.getTime());
    } finally {
      touch.mockRestore();
    }
  });

  it('refuses writes to a read-only token and allows them to a write token', async () => {
    const boss = await loginAs(t, { role: 'admin' });
    const read = await newToken(boss, { name: 'read', scopes: ['read'] });
    const write = await newToken(boss, { name: 'write', scopes: ['write'] });
    expect(write.scopes).toEqual(['read', 'write']);
    const body = {
      username: 'made_by_token',
      email: 'made_by_token@example.test',
      role: 'employee',
      password: TEST_PASSWORD,
    };
    const refused = await request(t, bearer(read.token), 'POST', '/users', body);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/write/);
    expect((await request(t, bearer(write.token), 'POST', '/users', body)).status).toBe(201);
    expect((await request(t, bearer(write.token), 'GET', '/users')).status).toBe(200);
  });

  it('cannot manage the account or mint and revoke tokens', async () => {
    const me = await loginAs(t, { role: 'employee' });
    const { id, token } = await newToken(me, { name: 'all', scopes: ['read', 'write'] });
    expect((await request(t, bearer(token), 'GET', '/auth/me')).status).toBe(403);
    expect((await request(t, bearer(token), 'POST', '/auth/sessions/revoke-all')).status).toBe(403);
    expect((await request(t, bearer(token), 'POST', '/tokens', { name: 'x', scopes: ['read'] })).status).toBe(
      403,
    );
    expect((await request(t, bearer(token), 'DELETE', `/tokens/${id}`)).status).toBe(403);
  });

  it('stops working when revoked; only the owner can revoke', async () => {
    const me = await loginAs(t, { role: 'employee' });
    const other = await loginAs(t, { role: 'employee' });
    const { id, token } = await newToken(me, { name: 'temp', scopes: ['read'] });
    expect((await request(t, bearer(token), 'GET', '/tokens')).status).toBe(200);
    expect((await request(t, other, 'DELETE', `/tokens/${id}`)).status).toBe(404);
    expect((await request(t, me, 'DELETE', `/tokens/${id}`)).status).toBe(204);
    const after = await request(t, bearer(token), 'GET', '/tokens');
    expect(after.status).toBe(401);
    expect(after.headers['www-authenticate']).toContain('invalid_token');
    expect((await request(t, me, 'GET', '/tokens')).body.items).toHaveLength(0);
    expect((await request(t, me, 'DELETE', `/tokens/${id}`)).status).toBe(404);
    const audited = await auditTrail(t, id);
    expect(audited.map((e) => [e.action, e.actorId]).sort()).toEqual([
      ['api_token.created', me.user.id],
      ['api_token.revoked', me.user.id],
    ]);
  });

  it('stops working when its owner is deactivated', async () => {
    const me = await loginAs(t, { role: 'employee' });
    const { token } = await newToken(me, { name: 'x', scopes: ['read'] });
    expect((await request(t, bearer(token), 'GET', '/tokens')).status).toBe(200);
    await request(t, admin, 'PATCH', `/users/${me.user.id}`, { active: false });
    expect((await request(t, bearer(token), 'GET', '/tokens')).status).toBe(401);
  });

  it('expires', async () => {
    const me = await loginAs(t, { role: 'employee' });
    const expiresAt = new Date(clock.now().getTime() + 2 * 86_400_000).toISOString();
    const { token } = await newToken(me, { name: 'short', scopes: ['read'], expiresAt });
    expect((await request(t, bearer(token), 'GET', '/tokens')).status).toBe(200);
    clock.advance(2 * 86_400_000);
    try {
      expect((await request(t, bearer(token), 'GET', '/tokens')).status).toBe(401);
    } finally {
      clock.advance(-2 * 86_400_000);
    }
  });

  it('validates name, scopes and expiry', async () => {
    const me = await loginAs(t, { role: 'employee' });
    const post = (body: object) => request(t, me, 'POST', '/tokens', body);
    expect((await post({ name: '', scopes: ['read'] })).status).toBe(400);
    expect((await post({ name: 'x', scopes: [] })).status).toBe(400);
    expect((await post({ name: 'x', scopes: ['admin'] })).status).toBe(400);
    expect((await post({ name: 'x', scopes: ['read', 'read'] })).status).toBe(400);
    const past = await post({ name: 'x', scopes: ['read'], expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(422);
    expect(past.body.errors[0].path).toBe('body.expiresAt');
    const far = new Date(clock.now().getTime() + 400 * 86_400_000).toISOString();
    expect((await post({ name: 'x', scopes: ['read'], expiresAt: far })).status).toBe(422);
  });

  it('refuses unknown and malformed tokens alike', async () => {
    for (const token of [`cpat_${'A'.repeat(43)}`, 'cpat_short', `cpat_${'A'.repeat(42)}!`]) {
      const res = await request(t, bearer(token), 'GET', '/tokens');
      expect(res.status).toBe(401);
    }
  });
});
