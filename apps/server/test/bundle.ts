import { execFile } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const SERVER = fileURLToPath(new URL('..', import.meta.url));
let built: Promise<{ main: string; cli: string }> | undefined;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * The server and the CLI bundled as `npm run build` bundles them (apps/server/build.mjs), built from
 * the current sources once per test process into a folder of its own, so a test of the process runs
 * what a deployment runs, neither a stale dist/ nor a cold tsx start (several seconds of CPU each).
 * The folders of test processes that are gone (a worker is stopped, not exited) are removed first.
 */
export function serverBundle(): Promise<{ main: string; cli: string }> {
  built ??= (async () => {
    const dist = join(SERVER, 'dist');
    for (const name of existsSync(dist) ? readdirSync(dist) : []) {
      const pid = /^test-(\d+)$/.exec(name)?.[1];
      if (pid && !alive(Number(pid))) rmSync(join(dist, name), { recursive: true, force: true });
    }
    const folder = `dist/test-${process.pid}`;
    await promisify(execFile)(process.execPath, ['build.mjs', folder], { cwd: SERVER });
    return { main: join(SERVER, folder, 'main.js'), cli: join(SERVER, folder, 'cli.js') };
  })();
  return built;
}
