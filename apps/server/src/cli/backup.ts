import type { Command } from 'commander';
import { loadConfigOrExit } from '../config/boot';
import type { Config } from '../config/load';
import { createBackup, readBackup } from '../platform/backup';
import { latestBackup, listBackups } from '../platform/backup-files';
import { restoreBackup } from '../platform/backup-restore';
import { createDatabase } from '../platform/db';
import { progress } from './progress';

const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;
const tls = (config: Config) => ({
  sslmode: config.database.sslmode,
  sslrootcert: config.database.sslrootcert,
});

async function verify(config: Config, file: string) {
  const listing = await readBackup(file, config.backup);
  console.log(`${file}: checksum, decryption and gzip are sound (${mb(listing.bytes)} uncompressed)`);
  if (listing.kind === 'sql') {
    for (const t of listing.tables) console.log(`  ${t.name}: ${t.rows} rows`);
    console.log(`${listing.tables.length} tables`);
  } else console.log(`data-directory archive, ${listing.files} files`);
}

/** `clockpilot backup create|verify|list|restore`: platform commands, beside no module. */
export function registerBackup(program: Command, configFile: () => string | undefined) {
  const backup = program.command('backup').description('database backups (see docs/OPERATIONS.md)');

  backup
    .command('create')
    .description('back up the database into BACKUPS_DIR, then prune backups older than the retention')
    .option('--full', 'also keep the job queue (schema pgboss), which is left out by default')
    .option('--verify <file>', 'do not back up: verify an existing backup file instead')
    .action(async (opts: { full?: boolean; verify?: string }) => {
      const config = loadConfigOrExit(configFile());
      if (opts.verify) return verify(config, opts.verify);
      const database = await createDatabase(config);
      const bar = progress('backup', 1);
      try {
        const made = await createBackup(database, config.backup, {
          full: opts.full,
          tls: tls(config),
          onTotal: (n) => bar.setTotal(Math.max(1, n)),
          onBytes: (n) => bar.tick(n),
        });
        bar.stop();
        console.log(`backup written: ${made.file} (${mb(made.bytes)}), sha256 ${made.sha256}`);
        if (made.pruned.length > 0) console.log(`pruned: ${made.pruned.join(', ')}`);
      } finally {
        bar.stop();
        await database.close();
      }
    });

  backup
    .command('verify <file>')
    .description('check a backup: checksum, decryption, gzip, and a listing of what it holds')
    .action(async (file: string) => verify(loadConfigOrExit(configFile()), file));

  backup
    .command('list')
    .description('the backups in BACKUPS_DIR, oldest first')
    .action(async () => {
      const config = loadConfigOrExit(configFile());
      for (const b of await listBackups(config.backup.dir)) console.log(`${b.at.toISOString()}  ${b.name}`);
    });

  backup
    .command('restore <file>')
    .description('restore a backup file, or "latest"; verifies it first and refuses a non-empty target')
    .option(
      '--target <target>',
      'PostgreSQL URL (or data directory for embedded backups); default: the live database',
    )
    .option('--force', 'replace the contents of a non-empty target')
    .action(async (file: string, opts: { target?: string; force?: boolean }) => {
      const config = loadConfigOrExit(configFile());
      const path = file === 'latest' ? await latestBackup(config.backup.dir) : file;
      const restored = await restoreBackup({
        file: path,
        settings: config.backup,
        target: opts.target,
        force: opts.force,
        live: { url: config.database.url, dataDir: config.database.dataDir },
        tls: tls(config),
        onStep: (m) => console.log(`${m}…`),
      });
      const what =
        restored.listing.kind === 'sql'
          ? `${restored.listing.tables.length} tables, ${restored.listing.tables.reduce((n, t) => n + t.rows, 0)} rows`
          : `${restored.listing.files} files`;
      console.log(`restored ${path} into ${restored.target} (${what})`);
    });
}
