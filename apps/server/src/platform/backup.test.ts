import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageKeyPair, fingerprint, gpgKeyring, queryOf, restoreTarget } from '../../test/backup-drill';
import { createCluster } from '../../test/factories/autoscaler';
import { createUser } from '../../test/factories/identity';
import { createTestRuntime } from '../../test/helpers';
import { startSimulator, type TestSimulator } from '../../test/simulator';
import { createBackup, readBackup } from './backup';
import { BACKUP_NAME } from './backup-files';
import { restoreBackup } from './backup-restore';
import type { Runtime } from './runtime';
import { seedDemo } from './seed';

// The restore drill: on PostgreSQL (mode 2) through pg_dump and psql, on embedded PGlite (mode 1)
// through its data-directory dump. Demo data of every module, backed up, restored elsewhere, compared.
let runtime: Runtime & { url?: string };
let sim: TestSimulator;
let dir: string;
let keys: { identity: string; recipient: string };
const NOWHERE = { dataDir: '/nonexistent/clockpilot-data' };
// The first test's restored copy and the data it holds, which the refusals must leave untouched.
let firstTarget: Awaited<ReturnType<typeof restoreTarget>>;
let firstData: Record<string, string>;
const SLOW = 120_000;

beforeAll(async () => {
  sim = await startSimulator();
  // The periodic control loop stays out of the way (its next slot is an hour off): the test ticks once.
  runtime = await createTestRuntime({ env: { ...sim.env, AUTOSCALER_SYNC_SECONDS: '3600' } });
  await seedDemo(runtime, { weeks: 2 });
  // The autoscaler has no demo data: a cluster and one tick fill its clusters, day-partitioned
  // samples, rollups and events.
  const t = { runtime };
  const cluster = await createCluster(t, await createUser(t), {
    simulation: { load: { type: 'constant', rps: 40 }, capacityRps: 10, bootSeconds: 0 },
  });
  await sim.advance(cluster.id, 15);
  await runtime.services('autoscaler').loop.tick();
  dir = await mkdtemp(join(tmpdir(), 'cp-backups-'));
  keys = ageKeyPair(dir);
});
afterAll(async () => {
  await runtime?.close();
  await sim?.stop();
});

const live = () => ({ ...NOWHERE, url: runtime.ctx.database.url });
const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

describe(`restore drill (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'})`, () => {
  it(
    'a plain backup restores into a new database with every table and row identical',
    async () => {
      const db = runtime.ctx.database;
      const made = await createBackup(db, { dir, retentionDays: 30 }, { full: true });
      expect(basename(made.file)).toMatch(BACKUP_NAME);
      expect(basename(made.file)).toMatch(db.driver === 'postgres' ? /\.sql\.gz$/ : /\.tar\.gz$/);
      expect((await stat(made.file)).mode & 0o777).toBe(0o600);
      expect(await readFile(`${made.file}.sha256`, 'utf8')).toBe(`${made.sha256}  ${basename(made.file)}\n`);
      expect(await sha256(made.file)).toBe(made.sha256);

      const source = await fingerprint(queryOf(db));
      expect(Object.keys(source).length).toBeGreaterThan(10);
      expect(source['public.autoscaler_samples']).toMatch(/^[1-9]\d* rows/);
      const target = await restoreTarget(db.driver);
      const restored = await restoreBackup({
        file: made.file,
        settings: {},
        target: target.target,
        live: live(),
      });
      expect(restored.maintenance).toBe(false);
      const copy = await target.open();
      try {
        expect(await fingerprint(copy.query)).toEqual(source);
      } finally {
        await copy.close();
      }
      [firstTarget, firstData] = [target, source];
    },
    SLOW,
  );

  it(
    'an encrypted backup taken while writes go on is one consistent snapshot',
    async () => {
      const db = runtime.ctx.database;
      const q = queryOf(db);
      await db.withSession((s) =>
        s.exec('create table drill_left (n int primary key); create table drill_right (n int primary key)'),
      );
      // Each transaction adds one row to both tables: a consistent copy has as many rows in each.
      let written = 0;
      let stop = false;
      const writer = (async () => {
        while (!stop) {
          written++;
          await db.withSession((s) =>
            s.exec(
              `begin; insert into drill_left values (${written}); insert into drill_right values (${written}); commit`,
            ),
          );
          // Embedded PGlite answers without leaving the microtask queue; let timers and the dump run.
          await new Promise((r) => setImmediate(r));
        }
      })();
      const waitFor = async (n: number) => {
        while (written < n) await new Promise((r) => setTimeout(r, 5));
      };
      await waitFor(5);
      const startedAt = written;
      const made = await createBackup(db, { dir, retentionDays: 30, ageRecipient: keys.recipient });
      await waitFor(written + 5);
      stop = true;
      await writer;
      expect(basename(made.file)).toMatch(/\.gz\.age$/);
      expect((await readFile(made.file)).subarray(0, 21).toString()).toBe('age-encryption.org/v1');

      const target = await restoreTarget(db.driver);
      const settings = { ageIdentity: keys.identity };
      await restoreBackup({ file: made.file, settings, target: target.target, live: live() });
      const copy = await target.open();
      try {
        const [left] = await copy.query('select count(*)::int as n from drill_left');
        const [right] = await copy.query('select count(*)::int as n from drill_right');
        expect(left!.n).toBe(right!.n);
        expect(left!.n).toBeGreaterThanOrEqual(startedAt);
        expect(left!.n).toBeLessThan(written);
        const notDrill = (t: string) => t.includes('drill_');
        expect(await fingerprint(copy.query, notDrill)).toEqual(await fingerprint(q, notDrill));
      } finally {
        await copy.close();
      }
    },
    SLOW,
  );

  it(
    'refuses truncated, corrupted and wrongly encrypted files, and a non-empty target, touching nothing',
    async () => {
      const db = runtime.ctx.database;
      const good = await createBackup(db, { dir, retentionDays: 30 }, { full: true });
      const target = firstTarget;
      const restore = (file: string, settings = {}) =>
        restoreBackup({ file, settings, target: target.target, force: true, live: live() });
      // A copy of a backup under the same name in a folder of its own, changed by `spoil`.
      const spoilt = async (from: string, spoil: (file: string) => Promise<void>, rehash: boolean) => {
        const sub = await mkdtemp(join(dir, 'bad-'));
        const file = join(sub, basename(from));
        await copyFile(from, file);
        await copyFile(`${from}.sha256`, `${file}.sha256`);
        await spoil(file);
        if (rehash) await writeFile(`${file}.sha256`, `${await sha256(file)}  ${basename(file)}\n`);
        return file;
      };
      const half = async (f: string) => truncate(f, Math.floor((await stat(f)).size / 2));
      const flip = async (f: string) => {
        const bytes = await readFile(f);
        bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
        await writeFile(f, bytes);
      };

      await expect(restore(await spoilt(good.file, half, false))).rejects.toThrow(
        /does not match its SHA-256/,
      );
      await expect(restore(await spoilt(good.file, half, true))).rejects.toThrow(/not a sound backup/);
      await expect(restore(await spoilt(good.file, flip, false))).rejects.toThrow(
        /does not match its SHA-256/,
      );
      await expect(restore(await spoilt(good.file, flip, true))).rejects.toThrow(/not a sound backup/);
      await expect(readBackup(await spoilt(good.file, flip, true), {})).rejects.toThrow(/not a sound backup/);

      const sealed = await createBackup(db, { dir, retentionDays: 30, ageRecipient: keys.recipient });
      const stranger = ageKeyPair(dir);
      await expect(restore(sealed.file, { ageIdentity: stranger.identity })).rejects.toThrow(
        /cannot be decrypted with the configured key/,
      );
      await expect(restore(sealed.file)).rejects.toThrow(/BACKUP_AGE_IDENTITY/);
      await expect(
        restoreBackup({ file: good.file, settings: {}, target: target.target, live: live() }),
      ).rejects.toThrow(/not empty/);
      const listing = await readBackup(sealed.file, { ageIdentity: keys.identity });
      if (listing.kind === 'sql')
        expect(listing.tables.find((t) => t.name === 'public.users')!.rows).toBeGreaterThan(0);
      else expect(listing.files).toBeGreaterThan(100);

      const copy = await target.open();
      try {
        expect(await fingerprint(copy.query)).toEqual(firstData);
      } finally {
        await copy.close();
      }
    },
    SLOW,
  );

  it(
    'a GPG-encrypted backup reads back with the keyring that holds the key and is refused without it',
    async () => {
      const keyring = gpgKeyring(dir);
      const stranger = gpgKeyring(dir);
      const before = process.env.GNUPGHOME;
      try {
        process.env.GNUPGHOME = keyring.home;
        const made = await createBackup(runtime.ctx.database, {
          dir,
          retentionDays: 30,
          gpgRecipient: keyring.recipient,
        });
        expect(basename(made.file)).toMatch(/\.gz\.gpg$/);
        // An OpenPGP message (public-key encrypted session key packet), not a readable gzip stream.
        const head = (await readFile(made.file)).subarray(0, 2);
        expect(head[0]! & 0x80).toBe(0x80);
        expect([...head]).not.toEqual([0x1f, 0x8b]);
        const listing = await readBackup(made.file, {});
        if (listing.kind === 'sql')
          expect(listing.tables.find((t) => t.name === 'public.users')!.rows).toBeGreaterThan(0);
        else expect(listing.files).toBeGreaterThan(100);

        process.env.GNUPGHOME = stranger.home;
        await expect(readBackup(made.file, {})).rejects.toThrow(
          /cannot be decrypted with the configured key/,
        );
      } finally {
        if (before === undefined) delete process.env.GNUPGHOME;
        else process.env.GNUPGHOME = before;
        keyring.close();
        stranger.close();
      }
    },
    SLOW,
  );
});
