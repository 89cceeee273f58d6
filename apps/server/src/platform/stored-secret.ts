import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/load';

const codeOf = (err: unknown) => (err as NodeJS.ErrnoException).code;

/**
 * A random secret kept in `dir/name` (mode 0600), made on first use. It is written to a private
 * temporary file, flushed and then linked into place, so a crash never leaves half a secret and of two
 * processes starting together one wins and both use its secret.
 */
export function storedSecret(dir: string, name: string): { secret: string; path: string; created: boolean } {
  const path = join(dir, name);
  const read = () => readFileSync(path, 'utf8').trim();
  try {
    return { secret: read(), path, created: false };
  } catch (err) {
    if (codeOf(err) !== 'ENOENT') throw err;
  }
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${randomBytes(32).toString('base64url')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
    return { secret: read(), path, created: true };
  } catch (err) {
    if (codeOf(err) !== 'EEXIST') throw err;
    return { secret: read(), path, created: false };
  } finally {
    unlinkSync(tmp);
  }
}

/**
 * The key access tokens, sealed TOTP secrets and device cookies derive from. Production requires
 * JWT_SECRET. Without it, on embedded PGlite the key is made once and kept beside the data, so a
 * restart keeps sign-ins and two-factor setups; on PostgreSQL (several replicas, no shared folder) a
 * random key per process, so a development server never signs with a guessable constant.
 */
export function appSecret(config: Config, log: Logger): string {
  const { auth, database } = config;
  if (auth.jwtSecret) return auth.jwtSecret;
  if (!database.url) {
    const { secret, path, created } = storedSecret(database.dataDir, 'jwt-secret');
    if (created)
      log.warn({ path }, `JWT_SECRET is not set: generated a key into ${path}, kept for later starts`);
    else log.info({ path }, `JWT_SECRET is not set: using the key kept in ${path}`);
    return secret;
  }
  log.warn(
    'JWT_SECRET is not set: using a random key for this process; sign-ins and two-factor setups do not survive a restart',
  );
  return randomBytes(32).toString('base64url');
}
