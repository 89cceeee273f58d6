// `npm install` builds the web app, so the first `npm start` serves at once instead of building first.
// Installs without the build tools (production, --omit=dev) skip it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const haveVite = ['node_modules/vite/package.json', 'apps/web/node_modules/vite/package.json'].some((p) =>
  existsSync(new URL(p, root)),
);
if (!haveVite) process.exit(0);
const r = spawnSync('npm', ['run', 'build', '-w', '@clockpilot/web'], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
