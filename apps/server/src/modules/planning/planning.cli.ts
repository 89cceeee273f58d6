import type { Command } from 'commander';
import { AppError } from '../../platform/errors';
import type { RunWith } from '../../platform/module';
import type { PlanningServices } from '.';
import type { NormalizeChange } from './normalize';
import { weekKey } from './planning.weeks';

const CLI_ACTOR = { userId: null, label: 'cli' };

/** A refusal is printed with its reason and sets the exit code; anything else is a crash. */
function refused(err: unknown) {
  if (!(err instanceof AppError)) throw err;
  console.error(err.message);
  for (const e of err.details.errors ?? []) console.error(`  ${e.path}: ${e.message}`);
  process.exitCode = 1;
}

function table(changes: NormalizeChange[]): string {
  const lines = [['assignment', 'week', 'before', 'after', 'why'].join('\t')];
  for (const c of changes) {
    const before = c.before.map((b) => `${b.hours}@${b.weekStart}`).join(' + ');
    lines.push([c.assignmentId, c.week, before, c.after ?? '-', c.reasons.join(',')].join('\t'));
  }
  return lines.join('\n');
}

/** `clockpilot planning undo-reallocation`, `normalize-weekly-hours` and `rebuild-week-totals`. */
export function planningCli(group: Command, run: RunWith<PlanningServices>) {
  group
    .command('undo-reallocation')
    .description(
      "restore the hours of a deliverable's last reallocation (refused if edited since, unless --force)",
    )
    .argument('<deliverable-id>', 'the deliverable')
    .option('--revert-date', 'also put the due date back')
    .option('--force', 'overwrite hours edited after the reallocation')
    .action(async (id: string, opts: { revertDate?: boolean; force?: boolean }) => {
      if (!/^[0-9a-f-]{36}$/i.test(id)) {
        console.error('<deliverable-id> must be a UUID');
        process.exitCode = 1;
        return;
      }
      await run(async ({ reallocation }) => {
        try {
          const r = await reallocation.undo(CLI_ACTOR, id, {
            revertDate: !!opts.revertDate,
            force: !!opts.force,
          });
          console.log(
            `restored the hours of ${r.restoredAssignments} assignment(s); due date ${r.deliverable.dueDate}`,
          );
          for (const w of r.overwrittenWeeks) console.log(`  overwrote ${w.week} of ${w.assignmentId}`);
        } catch (err) {
          refused(err);
          if (err instanceof AppError && Array.isArray(err.details.extra?.changedWeeks)) {
            for (const w of err.details.extra.changedWeeks as Array<{ assignmentId: string; week: string }>)
              console.error(`  edited: ${w.week} of ${w.assignmentId}`);
          }
        }
      });
    });

  group
    .command('normalize-weekly-hours')
    .description('snap weeks to their Monday, merge duplicates, drop zeros, round to quarter hours')
    .option('--dry-run', 'print what would change')
    .option('--apply', 'change it, in one transaction with one audit record')
    .action(async (opts: { dryRun?: boolean; apply?: boolean }) => {
      if (!!opts.dryRun === !!opts.apply) {
        console.error('give exactly one of --dry-run and --apply');
        process.exitCode = 1;
        return;
      }
      await run(async ({ normalize }) => {
        const changes = opts.apply ? await normalize.apply(CLI_ACTOR) : await normalize.preview();
        if (changes.length === 0) {
          console.log('weekly hours are already normal: nothing to change');
          return;
        }
        console.log(table(changes));
        console.log(`${changes.length} week(s) ${opts.apply ? 'changed' : 'would change'}`);
      });
    });

  group
    .command('rebuild-week-totals')
    .description(
      'rebuild the per-person week totals from the weekly hours (after rows came in around the API)',
    )
    .option('--dry-run', 'only count the totals that differ')
    .action(async (opts: { dryRun?: boolean }) => {
      await run(async ({ normalize }) => {
        if (opts.dryRun) {
          const drift = await normalize.totalsDrift();
          for (const d of drift.slice(0, 50)) console.log(`  ${d.key} ${weekKey(d.week)}`);
          console.log(`${drift.length} week total(s) differ from the weekly hours`);
          return;
        }
        console.log(`${await normalize.rebuildTotals(CLI_ACTOR)} week total(s) rebuilt`);
      });
    });
}
