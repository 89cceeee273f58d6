import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loginAs } from '../../test/factories/identity';
import { createTestApp, type TestApp } from '../../test/helpers';
import { request } from '../../test/http';
import { recordAudit, recordAudits } from './audit';

const dir = mkdtempSync(join(tmpdir(), 'cp-audit-'));
const sink = new Writable({ write: (_chunk, _enc, done) => done() });
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { LOG_DIR: dir, LOG_LEVEL: 'info' }, logTo: sink });
});
afterAll(() => t.close());

/** The audit.log lines so far; the file is written asynchronously, so wait for it to open first. */
async function auditLog() {
  await new Promise((r) => setTimeout(r, 100));
  t.ctx.log.flush();
  return readFileSync(join(dir, 'audit.log'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('LOG_DIR/audit.log', () => {
  it('gets a line for every audited change made through the API, as the database does', async () => {
    const admin = await loginAs(t, { role: 'admin' });
    const res = await request(t, admin, 'POST', '/teams', { name: 'Audited team' });
    expect(res.status).toBe(201);
    const line = (await auditLog()).find((l) => l.entityId === res.body.id);
    expect(line).toMatchObject({
      channel: 'audit',
      action: 'team.created',
      entityType: 'team',
      actorId: admin.user.id,
      after: { name: 'Audited team' },
    });
  });

  it('logs a change only once its transaction commits', async () => {
    const actor = { userId: null, label: 'test' };
    await expect(
      t.ctx.db.transaction(async (tx) => {
        await recordAudit(tx, actor, { action: 'test.rolled_back', entityType: 'test' });
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    await recordAudit(t.ctx.db, actor, { action: 'test.outside_transaction', entityType: 'test' });
    const actions = (await auditLog()).map((l) => l.action);
    expect(actions).toContain('test.outside_transaction');
    expect(actions).not.toContain('test.rolled_back');
  });

  it('holds the lines of a savepoint until the outer transaction commits', async () => {
    const actor = { userId: null, label: 'test' };
    let before: unknown[] = [];
    await t.ctx.db.transaction(async (tx) => {
      await tx.transaction(async (sp) => {
        await recordAudit(sp, actor, { action: 'test.in_savepoint', entityType: 'test' });
      });
      before = (await auditLog()).map((l) => l.action);
    });
    expect(before).not.toContain('test.in_savepoint');
    expect((await auditLog()).map((l) => l.action)).toContain('test.in_savepoint');
  });

  it('keeps the records of a large transaction on disk until the commit, then logs them all in order', async () => {
    const actor = { userId: null, label: 'test' };
    const spills = () => readdirSync(tmpdir()).filter((f) => f.startsWith('clockpilot-audit-'));
    const before = spills();
    const records = (action: string) =>
      Array.from({ length: 12_000 }, (_, i) => ({ action, entityType: 'test', entityId: String(i) }));
    let spilled: string[] = [];
    await t.ctx.db.transaction(async (tx) => {
      await recordAudits(tx, actor, records('test.bulk'));
      spilled = spills().filter((f) => !before.includes(f));
    });
    // Past 5,000 waiting records they went to a file of their own, which the commit removed.
    expect(spilled).toHaveLength(1);
    expect(spills().filter((f) => !before.includes(f))).toEqual([]);
    // 12,000 lines reach the file over several writes: wait for the last one on a loaded machine.
    await vi.waitFor(
      async () => {
        const logged = (await auditLog())
          .filter((l) => l.action === 'test.bulk')
          .map((l) => Number(l.entityId));
        expect(logged).toEqual(Array.from({ length: 12_000 }, (_, i) => i));
      },
      { timeout: 10_000, interval: 200 },
    );

    await expect(
      t.ctx.db.transaction(async (tx) => {
        await recordAudits(tx, actor, records('test.bulk_rolled_back'));
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(spills().filter((f) => !before.includes(f))).toEqual([]);
    expect((await auditLog()).some((l) => l.action === 'test.bulk_rolled_back')).toBe(false);
  });
});
