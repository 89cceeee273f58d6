// The server as it is deployed (docs/DECISIONS.md, "Benchmarks run the bundled server"): bundled with
// esbuild into apps/server/<BENCH_BUILD, default dist/bench> once per process, unless BENCH_SKIP_BUILD
// keeps an earlier build there for a before/after pair. Answers the bundle's main.js, relative to the root.
import { execFileSync } from 'node:child_process';
import { basename, join } from 'node:path';
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

/**
 * A benchmark that runs the server's code in its own process (bench/<file>.ts), bundled with the same
 * options as the server into apps/server/dist/bench-scripts/ (beside the server's dist, so it finds
 * migrations/ and node_modules as the server does); BENCH_SKIP_BUILD runs the one built before.
 * Answers the bundle's path.
 */
export async function bundledBench(file) {
  const name = basename(file, '.ts');
  const outdir = join(root, 'apps/server/dist/bench-scripts');
  const out = join(outdir, `${name}.js`);
  if (process.env.BENCH_SKIP_BUILD) return out;
  const { build } = await import('esbuild');
  const { nodeBundle } = await import('../scripts/lib/esbuild-external.mjs');
  await build({
    ...nodeBundle,
    absWorkingDir: root,
    entryPoints: { [name]: `bench/${name}.ts` },
    outdir,
  });
  return out;
}
