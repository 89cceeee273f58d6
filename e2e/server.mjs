// The real ClockPilot server as a separate process, for the end-to-end tests and the web benchmark: a
// free port, embedded PGlite in a temp folder (or a fresh database on TEST_DATABASE_URL), an admin from
// ADMIN_USERNAME/ADMIN_PASSWORD, and a manager with an employee in their team created through the API.
// The autoscaler gets a simulator process of its own, running 10× faster than real time and read every second.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../scripts/lib/net.mjs';
import { startSimulator } from '../scripts/lib/simulator.mjs';

export const root = fileURLToPath(new URL('..', import.meta.url));
const log = (msg) => console.log(`[server] ${msg}`);

function newestMtime(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/**
 * A web build of the current sources for the tests and benchmarks, in a folder of their own so a
 * `npm run build` elsewhere in the tree (which empties apps/web/dist) cannot pull it away mid-run.
 * Rebuilt only when a source is newer. Returns the folder, to be served as WEB_DIR.
 */
export function buildWebIfNeeded() {
  const web = join(root, 'apps', 'web');
  const outDir = join(root, 'node_modules', '.cache', 'clockpilot-e2e-web');
  const index = join(outDir, 'index.html');
  const sources = [
    join(web, 'src'),
    join(web, 'index.html'),
    join(web, 'vite.config.ts'),
    join(root, 'packages', 'contracts', 'src'),
  ];
  const current = (built) =>
    existsSync(built) && !sources.some((p) => existsSync(p) && newestMtime(p) > statSync(built).mtimeMs);
  if (current(index)) {
    log('web build is current');
    return outDir;
  }
  // `npm run build` (as in CI just before) made the same files in apps/web/dist: a copy takes milliseconds.
  const dist = join(web, 'dist');
  if (current(join(dist, 'index.html'))) {
    log('copying the current web build from apps/web/dist');
    rmSync(outDir, { recursive: true, force: true });
    cpSync(dist, outDir, { recursive: true });
    return outDir;
  }
  log('building the web app…');
  const r = spawnSync(
    'npm',
    ['run', 'build', '-w', '@clockpilot/web', '--', '--outDir', outDir, '--emptyOutDir'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0 || !existsSync(index)) throw new Error('web build failed');
  return outDir;
}

async function freshDatabase(adminUrl) {
  const { default: pg } = await import('pg');
  const name = `cp_e2e_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function waitReady(base, server, timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try {
      const res = await fetch(`${base}/api/health/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('server not ready in time');
}

async function call(base, method, path, { token, body } = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      origin: base,
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * Readiness answers 200 once the database and migrations are up, which can be before the start-up
 * work that creates the first admin has finished; so the admin's first login is retried briefly.
 */
async function adminToken(base, admin, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { accessToken } = await call(base, 'POST', '/api/v1/auth/login', {
        body: { login: admin.login, password: admin.password },
      });
      return accessToken;
    } catch (err) {
      if (Date.now() > until || !String(err.message).includes('→ 401')) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export async function seed(base, admin) {
  const token = await adminToken(base, admin);
  const users = {
    manager: {
      login: 'mia_manager',
      password: `Mgr-${randomBytes(9).toString('base64url')}-7q`,
      name: 'Mia Manager',
    },
    employee: {
      login: 'eli_employee',
      password: `Emp-${randomBytes(9).toString('base64url')}-7q`,
      // One long word and an emoji, as real names bring: neither may widen a phone page or break initials.
      name: 'Wolfeschlegelsteinhausenbergerdorffvoralternwaren Employee 🌻',
    },
  };
  const people = {};
  for (const [role, u] of Object.entries(users)) {
    const user = await call(base, 'POST', '/api/v1/users', {
      token,
      body: {
        username: u.login,
        email: `${u.login}@example.test`,
        displayName: u.name,
        role,
        password: u.password,
        timeZone: 'Europe/Berlin',
      },
    });
    const page = await call(base, 'GET', `/api/v1/people?q=${encodeURIComponent(u.name)}`, { token });
    const person = page.items.find((p) => p.userId === user.id);
    if (!person) throw new Error(`no person record was created for ${u.login}`);
    people[role] = person;
  }
  const team = await call(base, 'POST', '/api/v1/teams', {
    token,
    body: { name: 'Field team', managerIds: [people.manager.id] },
  });
  await call(base, 'POST', `/api/v1/teams/${team.id}/members`, {
    token,
    body: { personId: people.employee.id },
  });
  // One client's project, for the timer and the reports to carry work.
  const client = await call(base, 'POST', '/api/v1/clients', { token, body: { name: 'Acme' } });
  await call(base, 'POST', '/api/v1/projects', {
    token,
    body: { clientId: client.id, code: 'ACME-WEB', name: 'Website relaunch' },
  });
  return { admin: { ...admin, name: 'Admin' }, ...users };
}

/**
 * Starts the server and seeds it. `logFile` receives its output. Resolves once it is ready and seeded;
 * `stop()` shuts it down and removes its data.
 */
export async function startServer({ logFile, webDir, env: extraEnv = {} } = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'clockpilot-e2e-'));
  const db = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;
  const admin = { login: 'admin', password: `Adm-${randomBytes(12).toString('base64url')}-3k` };
  mkdirSync(dirname(logFile), { recursive: true });
  const out = createWriteStream(logFile);
  const simulator = await startSimulator(
    root,
    { PATH: process.env.PATH, SIMULATOR_SPEED: '10', LOG_LEVEL: 'warn' },
    { timeoutMs: 30_000, stdout: 'ignore' },
  );
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    APP_MODE: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: base,
    DATA_DIR: dataDir,
    // Uploads being imported stay inside the run's own folder, not in the checkout.
    BACKUPS_DIR: join(dataDir, 'backups'),
    DATABASE_URL: db?.url ?? '',
    REDIS_URL: '',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_USERNAME: admin.login,
    ADMIN_PASSWORD: admin.password,
    ADMIN_EMAIL: 'admin@example.test',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info',
    AUTH_RATE_LIMIT_MAX: '1000',
    RATE_LIMIT_MAX_REQUESTS: '100000',
    API_RATE_LIMIT_PER_MINUTE: '100000',
    // Renters sign themselves up in the fleet flow.
    ALLOW_REGISTRATION: 'true',
    ...simulator.serverEnv,
    AUTOSCALER_SYNC_SECONDS: '1',
    ...(webDir ? { WEB_DIR: webDir } : {}),
    ...extraEnv,
  };
  delete env.TEST_DATABASE_URL;
  log(`starting on ${base} (${db ? 'PostgreSQL' : 'embedded PGlite'})`);
  const server = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.pipe(out);
  server.stderr.pipe(out);

  async function stop() {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => {
          server.kill('SIGKILL');
          r();
        }, 10_000);
        server.once('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    }
    out.end();
    await simulator.stop();
    await db?.drop().catch((e) => console.error(`[server] could not drop the database: ${e.message}`));
    rmSync(dataDir, { recursive: true, force: true });
  }

  try {
    await waitReady(base, server);
    const users = await seed(base, admin);
    return { base, users, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
