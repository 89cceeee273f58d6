import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/helpers';
import { loadConfig } from '../config/load';
import { type Database, sslOptions } from './db';

describe('TLS to PostgreSQL', () => {
  const ssl = (env: Record<string, string>) => sslOptions(loadConfig({ env }));
  const ca = join(mkdtempSync(join(tmpdir(), 'cp-ca-')), 'ca.pem');
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

  it('is off by default and encrypts without verification under require', () => {
    expect(ssl({})).toBeUndefined();
    expect(ssl({ DB_SSLMODE: 'require' })).toEqual({ rejectUnauthorized: false });
  });

  it('verifies the chain and the host name under verify-full', () => {
    const opts = ssl({ DB_SSLMODE: 'verify-full', DB_SSLROOTCERT: ca }) as { ca: string };
    expect(opts).toEqual({ ca: expect.stringContaining('BEGIN CERTIFICATE') });
  });

  it('verifies the chain but not the host name under verify-ca', () => {
    const opts = ssl({ DB_SSLMODE: 'verify-ca', DB_SSLROOTCERT: ca }) as {
      rejectUnauthorized: boolean;
      checkServerIdentity: () => unknown;
    };
    expect(opts.rejectUnauthorized).toBe(true);
    expect(opts.checkServerIdentity()).toBeUndefined();
  });
});

describe('the database engine', () => {
  let database: Database;
  beforeAll(async () => {
    ({ database } = await testDatabase());
  });
  afterAll(() => database.close());

  it('enforces exclusion constraints mixing equality and range overlap (btree_gist)', async () => {
    await database.withSession(async (s) => {
      await s.exec(`create table gist_probe_booking (
        vehicle int not null,
        during tstzrange not null,
        exclude using gist (vehicle with =, during with &&)
      )`);
      await s.exec(
        "insert into gist_probe_booking values (1, tstzrange('2026-01-01 10:00Z', '2026-01-01 12:00Z'))",
      );
      // Another vehicle at the same time, and the same vehicle right after, are fine.
      await s.exec(
        "insert into gist_probe_booking values (2, tstzrange('2026-01-01 10:00Z', '2026-01-01 12:00Z')), (1, tstzrange('2026-01-01 12:00Z', '2026-01-01 13:00Z'))",
      );
      await expect(
        s.exec(
          "insert into gist_probe_booking values (1, tstzrange('2026-01-01 11:00Z', '2026-01-01 11:30Z'))",
        ),
      ).rejects.toMatchObject({ code: '23P01' });
    });
  });
});
