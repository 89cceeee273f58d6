// `npm run bench -- backup`: no HTTP server. Seeds the time benchmarks' year (~1,044,000 entries) on
// the machine's PostgreSQL (BENCH_DATABASE_URL), then times `clockpilot backup create` and a restore
// into an empty database through the app's own code (bench/backup.ts); RPO/RTO in docs/OPERATIONS.md.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default {
  name: 'backup and restore of ~1,000,000 time entries (PostgreSQL)',
  async run() {
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'backup.ts')], {
      cwd: root,
      stdio: 'inherit',
    });
    const f = JSON.parse(readFileSync(join(root, 'bench', 'results', 'backup.json'), 'utf8'));
    const table = [
      '| entries | database | backup | backup file | restore |',
      '|---|---|---|---|---|',
      `| ${f.entries.toLocaleString('en')} | ${f.databaseMiB} MiB | ${f.backupSeconds} s (${f.backupMiBPerSecond} MiB/s of database) | ${f.backupMiB} MiB | ${f.restoreSeconds} s |`,
    ].join('\n');
    return { table, failed: false };
  },
};
