// The server as it is deployed (docs/DECISIONS.md, "Benchmarks run the bundled server"): bundled with
// esbuild into apps/server/<BENCH_BUILD, default dist/bench> once per process, unless BENCH_SKIP_BUILD
// keeps an earlier build there for a before/after pair. Answers the bundle's main.js, relative to the root.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
let built;

export function bundledServer() {
  const dir = process.env.BENCH_BUILD ?? 'dist/bench';
  if (!built && !process.env.BENCH_SKIP_BUILD) {
    console.log(`building the server into apps/server/${dir}…`);
    execFileSync(process.execPath, ['build.mjs', dir], { cwd: join(root, 'apps/server'), stdio: 'inherit' });
  }
  built = join('apps/server', dir, 'main.js');
  return built;
}
