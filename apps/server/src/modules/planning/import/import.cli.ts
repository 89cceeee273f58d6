import { basename, resolve } from 'node:path';
import { IMPORT_KINDS, ZImportKind } from '@clockpilot/contracts';
import type { Command } from 'commander';
import { progress } from '../../../cli/progress';
import type { RunWith } from '../../../platform/module';
import type { ImportService } from './import.service';

const CLI_ACTOR = { role: 'admin' as const, actor: { userId: null, label: 'cli: planning import' } };

/** `clockpilot planning import <kind> FILE [--dry-run]`: the same run as an upload, in this process. */
export function importCli(group: Command, run: RunWith<{ imports: ImportService }>) {
  group
    .command('import')
    .description(`import ${IMPORT_KINDS.join(', ')} from an .xlsx or .csv file (all rows or none)`)
    .argument('<kind>', IMPORT_KINDS.join(' | '))
    .argument('<file>', '.xlsx or .csv file')
    .option('--dry-run', 'read and check every row, report what would change, write nothing')
    .option('--date-format <format>', 'dates that are not ISO, in luxon tokens, e.g. dd/MM/yyyy')
    .option('--sheet <name>', 'sheet of an .xlsx (default: the first)')
    .action(
      async (
        kindArg: string,
        file: string,
        opts: { dryRun?: boolean; dateFormat?: string; sheet?: string },
      ) => {
        const kind = ZImportKind.safeParse(kindArg);
        if (!kind.success) {
          console.error(`kind must be one of ${IMPORT_KINDS.join(', ')}`);
          process.exitCode = 1;
          return;
        }
        await run(async ({ imports }) => {
          const created = await imports.create(
            CLI_ACTOR,
            {
              kind: kind.data,
              dryRun: opts.dryRun === true,
              fileName: basename(file),
              filePath: resolve(file),
              options: { dateFormat: opts.dateFormat, sheet: opts.sheet },
            },
            false,
          );
          const bar = progress(`importing ${kind.data}`, 0);
          let last = 0;
          const done = await (async () => {
            try {
              return await imports.run(created.id, CLI_ACTOR, (n, total) => {
                if (total !== null) bar.setTotal(total);
                bar.tick(n - last);
                last = n;
              });
            } finally {
              bar.stop();
            }
          })();
          const result = await imports.get(created.id, { limit: 20 });
          const { counts } = result;
          console.log(
            `${result.dryRun ? 'dry run: ' : ''}${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.failed} failed`,
          );
          for (const c of result.columns) console.log(`  column "${c.header}" → ${c.field ?? '(ignored)'}`);
          for (const e of result.errors.items)
            console.error(
              `  row ${e.row}${e.column ? `, ${e.column}` : ''}${e.value ? ` (${e.value})` : ''}: ${e.message}`,
            );
          if (counts.failed > result.errors.items.length)
            console.error(`  … and more: see import ${result.id}`);
          if (result.reason) console.error(result.reason);
          if (done?.status === 'failed') process.exitCode = 1;
        });
      },
    );
}
