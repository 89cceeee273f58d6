// Bundles the simulator into dist/main.js with esbuild, as the server's build does: our TypeScript
// (with @clockpilot/contracts) is bundled, npm packages stay external and load from node_modules, so the
// production image runs it with plain `node apps/simulator/dist/main.js`.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { nodeBundle } from '../../scripts/lib/esbuild-external.mjs';

const outdir = process.argv[2] ?? 'dist';
const dir = new URL('.', import.meta.url);
rmSync(new URL(outdir, dir), { recursive: true, force: true });

await build({
  absWorkingDir: dir.pathname,
  entryPoints: { main: 'src/main.ts' },
  outdir,
  ...nodeBundle,
});
