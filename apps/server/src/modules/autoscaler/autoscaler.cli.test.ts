import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serverBundle } from '../../../test/bundle';
import { autoscalerCli } from './autoscaler.cli';

/** Runs `clockpilot autoscaler <args>` as an operator would; neither command needs a database. */
async function clockpilot(args: string[], stdin?: string) {
  const { cli } = await serverBundle();
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [cli, 'autoscaler', ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn' }, timeout: 120_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin ?? '');
  });
}

/** The same commands in this process (faster than a new one), with their output captured. */
async function inProcess(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  const program = new Command('clockpilot').exitOverride();
  autoscalerCli(program.command('autoscaler'));
  process.exitCode = undefined;
  await program.parseAsync(['autoscaler', ...args], { from: 'user' });
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  vi.restoreAllMocks();
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
afterEach(() => {
  process.exitCode = undefined;
});

const ready = { phase: 'Running', ready: true, deleting: false, hotCpu: false, requestMilli: 1000 };

describe('clockpilot autoscaler', { timeout: 300_000 }, () => {
  it('decide answers an array of cases from standard input in order, and refuses a bad shape with exit 2', async () => {
    const cases = [
      {
        kind: 'reconcile',
        inputs: {
          specReplicas: 10,
          statusReplicas: 10,
          minReplicas: 1,
          maxReplicas: 20,
          pods: Array(10).fill(ready),
          metrics: [
            {
              type: 'Resource',
              resource: 'cpu',
              target: { type: 'Utilization', averageUtilization: 50 },
              podValuesMilli: Array(10).fill(200),
            },
          ],
          behavior: { scaleUp: null, scaleDown: null },
          recommendations: [
            { replicas: 10, ageSeconds: 301 },
            { replicas: 9, ageSeconds: 200 },
          ],
          scaleUpEvents: [],
          scaleDownEvents: [],
          controller: {
            tolerance: 0.1,
            downscaleStabilizationWindowSeconds: 300,
            scaleUpLimitFactor: 2,
            scaleUpLimitMinimum: 4,
          },
        },
      },
      {
        kind: 'clampNoBehavior',
        inputs: {
          currentReplicas: 1,
          desiredReplicas: 10,
          minReplicas: 1,
          maxReplicas: 20,
          scaleUpLimitFactor: 2,
          scaleUpLimitMinimum: 4,
        },
      },
    ];
    const ok = await clockpilot(['decide'], JSON.stringify(cases));
    expect(ok.code).toBe(0);
    const out = JSON.parse(ok.stdout);
    expect(out).toHaveLength(2);
    // Only the fields DECIDE-INPUT.md lists; --explain adds the engine's reasons.
    expect(out[0]).toEqual({ desiredReplicas: 9, rescale: true });
    expect(out[1]).toEqual({ replicas: 4, condition: 'ScaleUpLimit' });

    const dir = mkdtempSync(join(tmpdir(), 'cp-decide-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(cases[0]));
    const explained = await inProcess(['decide', '--input', file, '--explain']);
    expect(explained.code).toBe(0);
    expect(JSON.parse(explained.stdout)).toMatchObject({
      desiredReplicas: 9,
      rescale: true,
      metricReplicas: 4,
      conditions: { AbleToScale: { reason: 'ScaleDownStabilized' } },
    });

    writeFileSync(
      file,
      JSON.stringify({
        kind: 'stabilize',
        inputs: { prenormalizedDesiredReplicas: -1, recommendations: [] },
      }),
    );
    const bad = await inProcess(['decide', '--input', file]);
    expect(bad.code).toBe(2);
    const problem = JSON.parse(bad.stderr);
    expect(problem).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(problem.errors[0].path).toBe('inputs.prenormalizedDesiredReplicas');

    // Each wrong field is named, in a single case as in an array of them.
    writeFileSync(
      file,
      JSON.stringify([{ kind: 'clampNoBehavior', inputs: { maxReplicas: 5 } }, { kind: 'x' }]),
    );
    const badArray = await inProcess(['decide', '--input', file]);
    expect(badArray.code).toBe(2);
    expect(JSON.parse(badArray.stderr).errors.map((e: { path: string }) => e.path)).toEqual([
      '0.inputs.currentReplicas',
      '0.inputs.desiredReplicas',
      '1.kind',
    ]);
  });

  it("decide takes Kubernetes' own edge cases: a scale-down tolerance above 1, int64's largest usage, an empty series", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-decide-'));
    const file = join(dir, 'cases.json');
    const pods = (requests: number[]) => requests.map((requestMilli) => ({ ...ready, requestMilli }));
    const calc = { cpuInitializationPeriodSeconds: 120, delayOfInitialReadinessStatusSeconds: 10 };
    // Written as Kubernetes' tests give them: 2^63 − 1, which JSON.parse reads as 2^63.
    const int64Max = '9223372036854775807';
    writeFileSync(
      file,
      `[${[
        // TestReplicaCalcConfigurableTolerance, "Outside 8% scale-up tolerance (and superfluous
        // scale-down tolerance)": Tolerances{2., .08}, 109 % against 100 % scales up.
        JSON.stringify({
          kind: 'replicaCalc',
          inputs: {
            currentReplicas: 3,
            pods: pods([1800, 2000, 2200]),
            metric: {
              type: 'Resource',
              resource: 'cpu',
              target: { type: 'Utilization', averageUtilization: 100 },
              podValuesMilli: [2200, 2160, 2180],
            },
            tolerance: { scaleUp: 0.08, scaleDown: 2 },
            ...calc,
          },
        }),
        // TestExternalPerPodMetricUsageOverflow: usage saturates at math.MaxInt64.
        `{"kind":"replicaCalc","inputs":{"currentReplicas":1,"pods":${JSON.stringify(pods([1000]))},"metric":{"type":"External","target":{"type":"AverageValue","averageValueMilli":${int64Max}},"valuesMilli":[${int64Max}]},"cpuInitializationPeriodSeconds":120,"delayOfInitialReadinessStatusSeconds":10}}`,
        // An empty External series is no metric (upstream's client: "no metrics returned").
        JSON.stringify({
          kind: 'replicaCalc',
          inputs: {
            currentReplicas: 3,
            pods: pods([1000, 1000, 1000]),
            metric: { type: 'External', target: { type: 'Value', valueMilli: 1000 }, valuesMilli: [] },
            ...calc,
          },
        }),
      ].join(',')}]`,
    );
    const out = await inProcess(['decide', '--input', file]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`"usage": ${int64Max}`);
    expect(JSON.parse(out.stdout)).toEqual([
      { replicas: 4, usage: 109 },
      { replicas: 1, usage: 2 ** 63 },
      { error: 'no metrics returned from external metrics API' },
    ]);
    // An array in, an array out: none in, none out.
    writeFileSync(file, '[]');
    expect(await inProcess(['decide', '--input', file])).toMatchObject({ code: 0, stdout: '[]' });
  });

  it('evaluate replays a trace through both policies and writes the JSON figures and the chart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-evaluate-'));
    const rows = ['timestamp,requests'];
    for (let i = 0; i < 1800; i++) rows.push(`${1_700_000_000 + i},${i < 900 ? 5 : 20}`);
    writeFileSync(join(dir, 'trace.csv'), rows.join('\n'));
    const json = join(dir, 'out.json');
    const chart = join(dir, 'out.svg');
    const run = await clockpilot([
      'evaluate',
      '--trace',
      join(dir, 'trace.csv'),
      '--server-rps',
      '0.5',
      '--json',
      json,
      '--chart',
      chart,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('sloViolationMinutes');
    const figures = JSON.parse(readFileSync(json, 'utf8'));
    for (const policy of ['hpa', 'predictive']) {
      expect(figures.policies[policy]).toMatchObject({
        sloViolationMinutes: expect.any(Number),
        serverMinutes: expect.any(Number),
        unservedRequests: expect.any(Number),
        scalingActionsPerHour: expect.any(Number),
      });
    }
    expect(figures.settings).toMatchObject({ serverRps: 0.5, bootSeconds: 60 });
    expect(readFileSync(chart, 'utf8')).toMatch(/^<svg[^>]*>[\s\S]*predictive ready servers[\s\S]*<\/svg>$/);

    const missing = await inProcess(['evaluate', '--trace', join(dir, 'nope.csv')]);
    expect(missing.code).toBe(2);
    const badPolicy = await inProcess(['evaluate', '--trace', join(dir, 'trace.csv'), '--policy', 'magic']);
    expect(badPolicy.code).toBe(2);
    expect(JSON.parse(badPolicy.stderr).errors[0].path).toBe('policy');
    // Options the replay cannot simulate are refused by name, before any replay.
    const refused = async (args: string[]) => {
      const r = await inProcess(['evaluate', '--trace', join(dir, 'trace.csv'), ...args]);
      expect(r.code).toBe(2);
      return JSON.parse(r.stderr).errors[0];
    };
    expect(await refused(['--server-rps', '2e6'])).toMatchObject({ path: 'serverRps' });
    expect(await refused(['--server-rps', '1e-6'])).toEqual({
      path: 'serverRps',
      message:
        "the trace's peak of 20.00 req/s needs 20000000 servers of 0.000001 req/s; a replay simulates at most 100000",
    });
    expect(await refused(['--max-servers', '1000000'])).toMatchObject({ path: 'maxServers' });
  });
});
