import { spawn } from 'node:child_process';
import { Duplex, type Readable } from 'node:stream';
import type { Encryption } from './backup-files';

/** A child process as a stream stage, and a promise that rejects with its stderr when it exits non-zero. */
export type Stage<S> = { stream: S; done: Promise<void>; kill(): void };

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv | undefined,
  stdin: 'pipe' | 'ignore',
  stdout: 'pipe' | 'ignore' = 'pipe',
) {
  const child = spawn(cmd, args, { stdio: [stdin, stdout, 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    if (stderr.length < 4000) stderr += chunk;
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (err) =>
      reject(
        (err as NodeJS.ErrnoException).code === 'ENOENT' ? new Error(`${cmd} is not installed (PATH)`) : err,
      ),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${cmd} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n')[0]?.slice(0, 600)}`,
          ),
        );
    });
  });
  // The caller awaits `done`; this only keeps an early failure from being reported as unhandled.
  done.catch(() => {});
  return { child, done, kill: () => child.kill('SIGTERM') };
}

/** A command whose stdout is the source of a pipeline (pg_dump). */
export function source(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Stage<Readable> {
  const { child, done, kill } = run(cmd, args, env, 'ignore');
  return { stream: child.stdout!, done, kill };
}

/** A command in the middle of a pipeline (gpg, age, psql with its output discarded). */
export function through(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Stage<Duplex> {
  const { child, done, kill } = run(cmd, args, env, 'pipe');
  // A consumer that stops early (EPIPE) is reported through `done`, not as an unhandled stream error.
  child.stdin!.on('error', () => {});
  return { stream: Duplex.from({ writable: child.stdin!, readable: child.stdout! }), done, kill };
}

export type CryptoSettings = { gpgRecipient?: string; ageRecipient?: string; ageIdentity?: string };

export function encryptionOf(settings: CryptoSettings): Encryption {
  return settings.gpgRecipient ? 'gpg' : settings.ageRecipient ? 'age' : undefined;
}

export function encryptStage(settings: CryptoSettings): Stage<Duplex> | undefined {
  if (settings.gpgRecipient)
    return through('gpg', [
      '--batch',
      '--yes',
      '--quiet',
      '--trust-model',
      'always',
      '--encrypt',
      '--recipient',
      settings.gpgRecipient,
    ]);
  if (settings.ageRecipient) return through('age', ['--encrypt', '--recipient', settings.ageRecipient]);
  return undefined;
}

export function decryptStage(encryption: Encryption, settings: CryptoSettings): Stage<Duplex> | undefined {
  if (encryption === 'gpg') return through('gpg', ['--batch', '--quiet', '--decrypt']);
  if (encryption === 'age') {
    if (!settings.ageIdentity) throw new Error('BACKUP_AGE_IDENTITY is needed to decrypt an .age backup');
    return through('age', ['--decrypt', '--identity', settings.ageIdentity]);
  }
  return undefined;
}

/** A command at the end of a pipeline, its output discarded (psql). */
export function sink(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Stage<NodeJS.WritableStream> {
  const { child, done, kill } = run(cmd, args, env, 'pipe', 'ignore');
  child.stdin!.on('error', () => {});
  return { stream: child.stdin!, done, kill };
}
