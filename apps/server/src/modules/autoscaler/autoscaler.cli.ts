import { readFileSync } from 'node:fs';
import { ZDecideInput } from '@clockpilot/contracts';
import type { Command } from 'commander';
import type { z } from 'zod';
import { problem } from '../../platform/errors';
import { decide } from './engine/decide';

/** Prints an RFC 9457 problem for an input that does not fit, and exits 2 as DECIDE-INPUT.md asks. */
function refuse(detail: string, errors: { path: string; message: string }[] = []) {
  console.error(JSON.stringify({ ...problem('validation_failed', 400, detail), errors }, null, 2));
  process.exitCode = 2;
}

const issuesOf = (e: z.ZodError) => e.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

/** `clockpilot autoscaler decide` (and, from evaluate.cli.ts, `evaluate`). */
export function autoscalerCli(group: Command) {
  group
    .command('decide')
    .description('one HPA-compatible decision: the JSON of DECIDE-INPUT.md in, the decision as JSON out')
    .option('--input <file>', 'file with one case or an array of cases; - for standard input', '-')
    .action((opts: { input: string }) => {
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
      const parsed = ZDecideInput.safeParse(json);
      if (!parsed.success) return refuse('the input does not fit DECIDE-INPUT.md', issuesOf(parsed.error));
      const out = Array.isArray(parsed.data) ? parsed.data.map(decide) : decide(parsed.data);
      console.log(JSON.stringify(out, null, 2));
    });
}
