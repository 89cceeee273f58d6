// `npm run test:e2e`: builds the web app when needed, starts the real server as its own process (see
// server.mjs), then runs e2e/*.spec.ts with node:test driving Debian's Chromium through playwright-core.
// `npm run test:e2e -- access` runs only the spec files whose name contains "access".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildWebIfNeeded, root, startServer } from './server.mjs';

const artifacts = join(root, 'e2e', 'artifacts');
const started = Date.now();
const log = (msg) => console.log(`[e2e] ${msg}`);

async function main() {
  mkdirSync(artifacts, { recursive: true });
  const webDir = buildWebIfNeeded();
  let failed = 1;
  let server;
  try {
    server = await startServer({ logFile: join(artifacts, 'server.log'), webDir });
    log(`server ready and seeded after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const specs = readdirSync(join(root, 'e2e'))
      .filter((f) => f.endsWith('.spec.ts'))
      .sort()
      .map((f) => join('e2e', f));
    const only = process.argv.slice(2);
    const chosen = only.length > 0 ? specs.filter((s) => only.some((o) => s.includes(o))) : specs;
    log(`running ${chosen.length} spec file(s)`);
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...chosen],
      {
        cwd: root,
        stdio: 'inherit',
        env: {
          ...process.env,
          E2E_BASE_URL: server.base,
          E2E_USERS: JSON.stringify(server.users),
          E2E_ARTIFACTS: artifacts,
        },
      },
    );
    failed = r.status ?? 1;
  } catch (err) {
    console.error(`[e2e] ${err.message}`);
  } finally {
    await server?.stop();
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (failed)
    log(`FAILED after ${secs} s — screenshots, console logs and the server log are in ${artifacts}`);
  else log(`passed in ${secs} s`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
