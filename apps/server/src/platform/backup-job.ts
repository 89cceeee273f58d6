import { Counter, Gauge } from 'prom-client';
import { createBackup } from './backup';
import { newestBackupFacts } from './backup-files';
import type { AppContext } from './context';

export const BACKUP_QUEUE = 'platform.backup';

/**
 * The scheduled backup (BACKUP_SCHEDULE, once across replicas) and its metrics. The gauges read the
 * newest file in BACKUPS_DIR at each scrape, so backups made by the CLI or a CronJob count as well,
 * and a restart does not reset them.
 */
export function installBackups(ctx: AppContext) {
  const { config, metrics } = ctx;
  const dir = config.backup.dir;
  new Gauge({
    name: 'clockpilot_backup_last_success_timestamp',
    help: 'Unix time of the newest backup in BACKUPS_DIR (0: none)',
    registers: [metrics.registry],
    async collect() {
      this.set((await newestBackupFacts(dir)).at);
    },
  });
  new Gauge({
    name: 'clockpilot_backup_last_size_bytes',
    help: 'Size of the newest backup file in BACKUPS_DIR',
    registers: [metrics.registry],
    async collect() {
      this.set((await newestBackupFacts(dir)).bytes);
    },
  });
  const failures = new Counter({
    name: 'clockpilot_backup_failures_total',
    help: 'Scheduled backup runs that failed',
    registers: [metrics.registry],
  });
  if (config.backup.schedule === 'off') return;
  ctx.jobs.define({
    name: BACKUP_QUEUE,
    cron: config.backup.schedule,
    retryLimit: 2,
    retryDelaySeconds: 300,
    expireInSeconds: 6 * 3600,
    handler: async () => {
      try {
        const made = await createBackup(ctx.database, config.backup, {
          tls: { sslmode: config.database.sslmode, sslrootcert: config.database.sslrootcert },
        });
        ctx.log.app.info({ file: made.file, bytes: made.bytes, pruned: made.pruned }, 'backup written');
      } catch (err) {
        failures.inc();
        throw err;
      }
    },
  });
}
