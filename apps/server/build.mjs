// Bundles the server and the CLI into dist/ with esbuild. Our own TypeScript (including the
// @clockpilot/contracts workspace package) is bundled; every npm dependency stays external and is
// loaded from node_modules, so native and WASM packages (argon2, PGlite) keep working. The bundles
// find migrations/ and package.json one or two folders up, as they do from src/.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { nodeBundle } from '../../scripts/lib/esbuild-external.mjs';

// Optional output folder (relative to apps/server, default dist), e.g. a private build for bench/.
const outdir = process.argv[2] ?? 'dist';
const dir = new URL('.', import.meta.url);
rmSync(new URL(outdir, dir), { recursive: true, force: true });

const result = await build({
  absWorkingDir: new URL('.', dir).pathname,
  entryPoints: {
    main: 'src/main.ts',
    cli: 'src/cli/index.ts',
    // The autoscaler's evaluations run it in a worker thread, found beside main.js.
    'evaluation-worker': 'src/modules/autoscaler/evaluations/evaluation.worker.ts',
  },
  outdir,
  ...nodeBundle,
  metafile: true,
});
for (const [file, { bytes }] of Object.entries(result.metafile.outputs)) {
  if (file.endsWith('.js')) console.log(`${file}  ${(bytes / 1024).toFixed(0)} KiB`);
}
