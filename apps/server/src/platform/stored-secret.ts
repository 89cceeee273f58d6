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
