import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../scripts/lib/net.mjs';
import { until } from '../../test/helpers';
import { loadConfig } from '../config/load';
import { createRedisCache, redisTlsOptions } from './cache';
import { createPostgres } from './db';

// A PostgreSQL cluster (initdb) and a Redis of their own, each speaking TLS with a certificate from a
// throw-away CA; a second CA plays the wrong one.
const dir = mkdtempSync(join(tmpdir(), 'cp-tls-'));
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
function makeCa(name: string) {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
  );
}
const processes: ChildProcess[] = [];
const asRoot = process.getuid?.() === 0;
const pgBin = () => {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort() : [];
  const bin = `/usr/lib/postgresql/${versions.at(-1)}/bin`;
  if (!existsSync(`${bin}/initdb`)) throw new Error('PostgreSQL server binaries (initdb) not found');
  return bin;
};
/** initdb refuses root: the cluster then belongs to the postgres account (signals reach postgres itself). */
const asPostgres = () => {
  if (!asRoot) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString());
  return { uid: id('-u'), gid: id('-g') };
};

let pgPort = 0;
let redisPort = 0;
beforeAll(async () => {
  makeCa('right-ca');
  makeCa('wrong-ca');
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  );
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'right-ca.pem',
    '-CAkey',
    'right-ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'san.ext',
    '-out',
    'server.pem',
  );
  chmodSync(join(dir, 'server.key'), 0o600);
  if (asRoot) {
    chmodSync(dir, 0o755);
    for (const f of ['server.key', 'server.pem']) chownSync(join(dir, f), asPostgres().uid!, 0);
    execFileSync('install', ['-d', '-o', 'postgres', '-m', '0700', join(dir, 'pg')]);
  }
  const bin = pgBin();
  const pgData = join(dir, 'pg');
  execFileSync(`${bin}/initdb`, ['-D', pgData, '-A', 'trust', '-U', 'postgres', '--no-sync'], {
    stdio: 'pipe',
    ...asPostgres(),
  });
  pgPort = await freePort();
  const settings = {
    listen_addresses: '127.0.0.1,127.0.0.2',
    unix_socket_directories: pgData,
    fsync: 'off',
    ssl: 'on',
    ssl_cert_file: join(dir, 'server.pem'),
    ssl_key_file: join(dir, 'server.key'),
  };
  const args = Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  processes.push(
    spawn(`${bin}/postgres`, ['-D', pgData, '-p', String(pgPort), ...args], {
      stdio: 'ignore',
      ...asPostgres(),
    }),
  );

  redisPort = await freePort();
  processes.push(
    spawn(
      'redis-server',
      [
        '--port',
        '0',
        '--bind',
        '127.0.0.1',
        '--tls-port',
        String(redisPort),
        '--tls-auth-clients',
        'no',
        '--tls-cert-file',
        join(dir, 'server.pem'),
        '--tls-key-file',
        join(dir, 'server.key'),
        '--tls-ca-cert-file',
        join(dir, 'right-ca.pem'),
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    ),
  );
  // Ready once a TLS connection without verification works.
  await until(async () => {
    const db = createPostgres(pgUrl(), loadConfig({ env: { DB_SSLMODE: 'require' } }));
    try {
      return await db.ping();
    } finally {
      await db.close();
    }
  }, 'PostgreSQL start');
}, 60_000);

afterAll(async () => {
  for (const p of processes) p.kill('SIGINT');
  await Promise.all(
    processes.map((p) => (p.exitCode === null ? new Promise((r) => p.once('exit', r)) : null)),
  );
  rmSync(dir, { recursive: true, force: true });
});

const pgUrl = () => `postgres://postgres@127.0.0.1:${pgPort}/postgres`;
const ca = (name: string) => join(dir, `${name}.pem`);

describe('TLS to PostgreSQL (DB_SSLMODE, DB_SSLROOTCERT)', () => {
  async function connect(env: Record<string, string>, url = pgUrl()) {
    const db = createPostgres(url, loadConfig({ env }));
    try {
      return await db.withSession(
        async (s) =>
          (await s.query<{ ssl: boolean }>('select ssl from pg_stat_ssl where pid = pg_backend_pid()'))[0]
            ?.ssl,
      );
    } finally {
      await db.close();
    }
  }

  it('connects encrypted with the right CA under verify-full and verify-ca, and without a CA under require', async () => {
    expect(await connect({ DB_SSLMODE: 'verify-full', DB_SSLROOTCERT: ca('right-ca') })).toBe(true);
    expect(await connect({ DB_SSLMODE: 'verify-ca', DB_SSLROOTCERT: ca('right-ca') })).toBe(true);
    expect(await connect({ DB_SSLMODE: 'require' })).toBe(true);
  });

  it('refuses a server whose certificate another CA signed, naming the settings', async () => {
    await expect(connect({ DB_SSLMODE: 'verify-full', DB_SSLROOTCERT: ca('wrong-ca') })).rejects.toThrow(
      /TLS: .*certificate.*\(check DB_SSLMODE \/ DB_SSLROOTCERT\)/,
    );
  });

  it('under verify-full refuses an address the certificate does not name; verify-ca accepts it', async () => {
    const other = `postgres://postgres@127.0.0.2:${pgPort}/postgres`;
    const right = { DB_SSLROOTCERT: ca('right-ca') };
    await expect(connect({ DB_SSLMODE: 'verify-full', ...right }, other)).rejects.toThrow(/DB_SSLROOTCERT/);
    expect(await connect({ DB_SSLMODE: 'verify-ca', ...right }, other)).toBe(true);
  });
});

describe('TLS to Redis (rediss://, REDIS_TLS, REDIS_SSL_CERT_REQS, REDIS_SSL_CA_CERTS)', () => {
  async function statusWith(env: Record<string, string>) {
    const config = loadConfig({ env: { REDIS_URL: `redis://127.0.0.1:${redisPort}`, ...env } });
    const cache = createRedisCache(
      config.redis.url!,
      'cp-tls:',
      pino({ level: 'silent' }),
      redisTlsOptions(config),
    );
    try {
      return await until(async () => {
        const s = cache.status();
        if (s.status === 'up') {
          await cache.set('k', 'v', 10);
          return { status: 'up', value: await cache.get('k') };
        }
        return s.detail?.startsWith('TLS') ? s : undefined;
      }, 'a Redis connection or a TLS refusal');
    } finally {
      await cache.close();
    }
  }

  it('connects with the right CA, by rediss:// or by REDIS_TLS=true', async () => {
    const rediss = `rediss://127.0.0.1:${redisPort}`;
    expect(await statusWith({ REDIS_URL: rediss, REDIS_SSL_CA_CERTS: ca('right-ca') })).toEqual({
      status: 'up',
      value: 'v',
    });
    expect(await statusWith({ REDIS_TLS: 'true', REDIS_SSL_CA_CERTS: ca('right-ca') })).toEqual({
      status: 'up',
      value: 'v',
    });
  });

  it('refuses a certificate from another CA, naming the settings, unless REDIS_SSL_CERT_REQS=none', async () => {
    const refused = await statusWith({ REDIS_TLS: 'true', REDIS_SSL_CA_CERTS: ca('wrong-ca') });
    expect(refused).toMatchObject({
      status: 'degraded',
      detail: expect.stringMatching(/check REDIS_SSL_CA_CERTS \/ REDIS_SSL_CERT_REQS/),
    });
    expect(
      await statusWith({
        REDIS_TLS: 'true',
        REDIS_SSL_CERT_REQS: 'none',
        REDIS_SSL_CA_CERTS: ca('wrong-ca'),
      }),
    ).toEqual({ status: 'up', value: 'v' });
  });
});
