import { readFileSync, writeFileSync } from 'node:fs';
import { ZDecideCase, ZDecideCases, ZEvaluateOptions } from '@clockpilot/contracts';
import type { Command } from 'commander';
import type { z } from 'zod';
import { problem } from '../../platform/errors';
import { decide, listedAnswer } from './engine/decide';
import { EvaluationRefused, evaluateTrace } from './evaluate/evaluate';
import { parseTrace, TraceError } from './evaluate/trace';

/** Prints an RFC 9457 problem for an input that does not fit, and exits 2 as DECIDE-INPUT.md asks. */
function refuse(detail: string, errors: { path: string; message: string }[] = []) {
  console.error(JSON.stringify({ ...problem('validation_failed', 400, detail), errors }, null, 2));
  process.exitCode = 2;
}

const issuesOf = (e: z.ZodError) => e.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
const INT64_MAX = '9223372036854775807';

/** `clockpilot autoscaler decide` and `clockpilot autoscaler evaluate`. */
export function autoscalerCli(group: Command) {
  group
    .command('decide')
    .description('one HPA-compatible decision: the JSON of DECIDE-INPUT.md in, the decision as JSON out')
    .option('--input <file>', 'file with one case or an array of cases; - for standard input', '-')
    .option('--explain', "add the engine's explanation: proposals, conditions, reason, the history after")
    .action((opts: { input: string; explain?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(opts.input === '-' ? 0 : opts.input, 'utf8');
      } catch (err) {
        return refuse(`cannot read ${opts.input}: ${(err as Error).message}`);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (err) {
        return refuse(`the input is not JSON: ${(err as Error).message}`);
      }
      // One schema per shape: a union of both would report any wrong field as a failed union.
      const parsed = Array.isArray(json) ? ZDecideCases.safeParse(json) : ZDecideCase.safeParse(json);
      if (!parsed.success) return refuse('the input does not fit DECIDE-INPUT.md', issuesOf(parsed.error));
      const answer = (c: z.infer<typeof ZDecideCase>) =>
        opts.explain ? decide(c) : listedAnswer(c, decide(c));
      const out = Array.isArray(parsed.data) ? parsed.data.map(answer) : answer(parsed.data);
      // Go's int64 figures end at 2^63 − 1, which a double holds (and prints) as 2^63: print Go's.
      console.log(
        JSON.stringify(out, null, 2).replace(/(?<=[\s:[,])9223372036854776000(?=[\s,\]}]|$)/g, INT64_MAX),
      );
    });

  group
    .command('evaluate')
    .description('replay a timestamp,requests CSV through the HPA and predictive policies in simulated time')
    .requiredOption('--trace <file>', 'CSV of timestamp,requests (ISO or Unix timestamps, regular steps)')
    .option('--policy <policy>', 'hpa, predictive or both', 'both')
    .option('--server-rps <n>', 'requests per second one server serves within the SLO (default: peak / 100)')
    .option('--boot-seconds <n>', 'seconds from asking for a server to its serving', '60')
    .option('--drain-seconds <n>', 'seconds a removed server stays billed', '0')
    .option('--hpa-target <percent>', "the HPA's CPU target utilization", '70')
    .option('--floor-target <percent>', "CPU target of the predictive mode's reactive floor", '90')
    .option(
      '--coverage <share>',
      'share of ticks the predictive mode provisions for (default: the coverage worth its servers)',
    )
    .option('--max-servers <n>', 'maximum servers (default: 3 × the peak demand)')
    .option('--json <file>', 'write the figures as JSON')
    .option('--chart <file>', 'write an SVG chart of demand against servers')
    .action((opts: Record<string, string | undefined>) => {
      const parsed = ZEvaluateOptions.safeParse(
        Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
      );
      if (!parsed.success) return refuse('invalid options', issuesOf(parsed.error));
      const o = parsed.data;
      let trace: ReturnType<typeof parseTrace>;
      try {
        trace = parseTrace(readFileSync(o.trace, 'utf8'));
      } catch (err) {
        if (!(err instanceof TraceError) && (err as NodeJS.ErrnoException).code === undefined) throw err;
        return refuse(`cannot use ${o.trace}: ${(err as Error).message}`);
      }
      let evaluated: ReturnType<typeof evaluateTrace>;
      try {
        evaluated = evaluateTrace(trace, o);
      } catch (err) {
        if (!(err instanceof EvaluationRefused)) throw err;
        return refuse('invalid options', [{ path: err.option, message: err.message }]);
      }
      const { evaluation, chart } = evaluated;
      printEvaluation(evaluation);
      if (o.json) writeFileSync(o.json, `${JSON.stringify(evaluation, null, 2)}\n`);
      if (o.chart) writeFileSync(o.chart, chart());
    });
}

const SHOWN = [
  'sloViolationMinutes',
  'unservedRequests',
  'unservedDemandRatio',
  'serverMinutes',
  'serverMinutesVsOracle',
  'underProvisioningAccuracy',
  'overProvisioningAccuracy',
  'underProvisioningTimeshare',
  'overProvisioningTimeshare',
  'instability',
  'jitterPerHour',
  'scalingActionsPerHour',
  'relativeSlack',
  'overloadEpisodesPerServerDay',
  'timeToRecoverMeanSeconds',
  'deviation',
  'elapsedMs',
] as const;

function printEvaluation(e: ReturnType<typeof evaluateTrace>['evaluation']) {
  const t = e.trace;
  const s = e.settings;
  console.log(
    `trace: ${t.steps} steps of ${t.stepSeconds} s, ${t.requests} requests, peak ${t.peakRps.toFixed(2)} req/s, ${t.gapSteps} gap and ${t.zeroSteps} zero steps`,
  );
  console.log(
    `cluster: ${s.serverRps.toPrecision(4)} req/s per server, ${s.bootSeconds} s boot, ${s.drainSeconds} s drain, servers ${s.minServers}..${s.maxServers}, sync ${s.syncSeconds} s, first ${s.warmupSeconds} s discarded`,
  );
  const names = Object.keys(e.policies) as (keyof typeof e.policies)[];
  console.log(['metric'.padEnd(30), ...names.map((n) => n.padStart(14))].join(''));
  for (const key of SHOWN)
    console.log([key.padEnd(30), ...names.map((n) => String(e.policies[n]?.[key]).padStart(14))].join(''));
  if (e.comparison) {
    const c = e.comparison;
    console.log(
      `predictive / hpa: SLO-violation minutes ${c.sloViolationMinutesRatio}, server-minutes ${c.serverMinutesRatio} — goal (≤ 0.7 and ≤ 1.0) ${c.goalMet ? 'met' : 'not met'}`,
    );
  }
}
