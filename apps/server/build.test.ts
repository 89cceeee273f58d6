import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SERVER = fileURLToPath(new URL('.', import.meta.url));
// A private output folder, so a build another process is using in dist/ is left alone.
const OUT = `dist/buildtest-${process.pid}`;

afterAll(() => rmSync(join(SERVER, OUT), { recursive: true, force: true }));

describe('build.mjs', { timeout: 180_000 }, () => {
  it('bundles a server and a CLI that run from the bundle alone', async () => {
    await run(process.execPath, ['build.mjs', OUT], { cwd: SERVER });
    const cli = join(SERVER, OUT, 'cli.js');
    const bundle = readFileSync(cli, 'utf8');
    // Our contracts are inside; npm packages are imported from node_modules.
    expect(bundle).not.toMatch(/from ["']@clockpilot\/contracts["']/);
    expect(bundle).toMatch(/from ["']commander["']/);
    // The CLI builds the module services alone, so the HTTP framework is not even in its bundle.
    expect(bundle).not.toMatch(/from ["'](fastify|@fastify\/)/);

    const env = {
      PATH: process.env.PATH,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'cp-build-')),
      LOG_LEVEL: 'warn',
    };
    const version = await run(process.execPath, [cli, '--version'], { env });
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(join(SERVER, 'package.json'), 'utf8')).version,
    );
    const migrate = await run(process.execPath, [cli, 'migrate'], { env });
    expect(migrate.stdout).toContain('applied 0001_platform');

    // The autoscaler's evaluations start this bundle in a worker thread beside main.js.
    const worker = new Worker(join(SERVER, OUT, 'evaluation-worker.js'), {
      workerData: {
        kind: 'autoscaler-evaluation',
        trace: {
          stepSeconds: 60,
          startSeconds: 0,
          requests: new Float64Array(30).fill(600),
          gapSteps: 0,
          zeroSteps: 0,
        },
        options: { policy: 'hpa', bootSeconds: 30, hpaTarget: 70 },
      },
    });
    const done = await new Promise<{ type: string; result?: { policies: object } }>((resolve, reject) => {
      worker.on('message', (m) => m.type === 'done' && resolve(m));
      worker.on('error', reject);
    });
    await worker.terminate();
    expect(Object.keys(done.result?.policies ?? {})).toEqual(['hpa']);
  });
});
