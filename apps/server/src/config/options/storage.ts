import { z } from 'zod';
import { bool, int, type Option, str } from './kit';

/** PostgreSQL (or embedded PGlite) and Redis. */
export const STORAGE_OPTIONS = [
  // database
  {
    section: 'database',
    key: 'url',
    env: 'DATABASE_URL',
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    doc: 'PostgreSQL connection string. Unset: embedded PGlite in DATA_DIR.',
    secret: true,
    example: '',
  },
  {
    section: 'database',
    key: 'pool_size',
    env: 'DATABASE_POOL_SIZE',
    schema: int(10, 1, 500),
    doc: 'Connections in the PostgreSQL pool.',
  },
  {
    section: 'database',
    key: 'sslmode',
    env: 'DB_SSLMODE',
    schema: z.enum(['disable', 'require', 'verify-ca', 'verify-full']).default('disable'),
    doc: 'TLS to PostgreSQL: disable, require (encrypt, no verification), verify-ca or verify-full.',
  },
  {
    section: 'database',
    key: 'sslrootcert',
    env: 'DB_SSLROOTCERT',
    schema: str().optional(),
    doc: 'CA certificate file for verify-ca / verify-full.',
  },
  {
    section: 'database',
    key: 'data_dir',
    env: 'DATA_DIR',
    schema: str().default('./data'),
    doc: 'Where embedded PGlite keeps its files.',
  },
  {
    section: 'database',
    key: 'allow_embedded',
    env: 'ALLOW_EMBEDDED_DB',
    schema: bool(false),
    doc: 'Allow embedded PGlite in production (single node only).',
  },
  {
    section: 'database',
    key: 'migrate_on_boot',
    env: 'MIGRATE_ON_BOOT',
    schema: bool(true),
    doc: 'Apply pending migrations at start.',
  },
  // redis
  {
    section: 'redis',
    key: 'url',
    env: 'REDIS_URL',
    schema: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
    doc: 'Redis for cache, pub/sub and rate limits. Unset: in-process.',
    secret: true,
    example: '',
  },
  {
    section: 'redis',
    key: 'tls',
    env: 'REDIS_TLS',
    schema: bool(false),
    doc: 'TLS to Redis even with a redis:// URL (a rediss:// URL always uses TLS).',
  },
  {
    section: 'redis',
    key: 'ssl_cert_reqs',
    env: 'REDIS_SSL_CERT_REQS',
    schema: z.enum(['required', 'none']).default('required'),
    doc: "Verify Redis's TLS certificate (required) or only encrypt (none).",
  },
  {
    section: 'redis',
    key: 'ssl_ca_certs',
    env: 'REDIS_SSL_CA_CERTS',
    schema: str().optional(),
    doc: "CA certificate file that signed Redis's certificate. Unset: the system's CAs.",
  },
  {
    section: 'redis',
    key: 'key_prefix',
    env: 'REDIS_KEY_PREFIX',
    schema: str().default('clockpilot:'),
    doc: 'Prefix of every Redis key, so instances can share a Redis.',
  },
] as const satisfies readonly Option[];
