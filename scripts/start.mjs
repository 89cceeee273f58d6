// `npm start`: builds the web app when there is no build yet, then runs the server.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const webBuilt = existsSync(new URL('apps/web/dist/index.html', root));
const webSource = existsSync(new URL('apps/web/index.html', root));
if (!webBuilt && webSource) {
  console.log('Building the web app (first start only)…');
  const r = spawnSync('npm', ['run', 'build', '-w', '@clockpilot/web'], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const server = existsSync(new URL('apps/server/dist/main.js', root))
  ? ['apps/server/dist/main.js']
  : ['--import', 'tsx', 'apps/server/src/main.ts'];
const r = spawnSync(process.execPath, [...server, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
