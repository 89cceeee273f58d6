import { readFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { Gauge } from 'prom-client';
import type { AppContext } from './context';

/** The memory this process may use: the cgroup's limit in a container, else the machine's memory. */
function memoryLimit(): number {
  for (const file of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const n = Number(readFileSync(file, 'utf8').trim());
      // cgroup v1 answers a huge number for "no limit".
      if (Number.isFinite(n) && n > 0 && n < 2 ** 60) return n;
    } catch {
      // not this cgroup version
    }
  }
  return totalmem();
}

/**
 * What the alerts need beyond the defaults: whether the database and Redis answer, the memory limit to
 * compare the resident size with, and how full the disks under data, backups and logs are.
 */
export function installOpsMetrics(ctx: AppContext) {
  const { registry } = ctx.metrics;
  const { database, cache, config } = ctx;
  new Gauge({
    name: 'clockpilot_db_up',
    help: 'Whether the database answered a ping at this scrape (1) or not (0)',
    registers: [registry],
    async collect() {
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('timeout')), 2000).unref(),
      );
      this.set(
        await Promise.race([database.ping(), timeout]).then(
          () => 1,
          () => 0,
        ),
      );
    },
  });
  new Gauge({
    name: 'clockpilot_redis_up',
    help: 'Whether Redis is connected (1) or the app runs degraded without it (0); absent without REDIS_URL',
    registers: [registry],
    collect() {
      const s = cache.status().status;
      if (s === 'disabled') this.reset();
      else this.set(s === 'up' ? 1 : 0);
    },
  });
  const limit = memoryLimit();
  new Gauge({
    name: 'clockpilot_memory_limit_bytes',
    help: 'Memory this process may use (cgroup limit, else the machine total)',
    registers: [registry],
    collect() {
      this.set(limit);
    },
  });
  const volumes: Record<string, string | undefined> = {
    backups: config.backup.dir,
    logs: config.log.dir,
    data: config.database.url ? undefined : config.database.dataDir,
  };
  new Gauge({
    name: 'clockpilot_disk_used_ratio',
    help: 'Share of the file system used under the data, backups and logs folders (0..1)',
    labelNames: ['volume'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [volume, path] of Object.entries(volumes)) {
        if (!path) continue;
        const s = await statfs(path).catch(() => undefined);
        if (s && s.blocks > 0) this.set({ volume }, 1 - s.bavail / s.blocks);
      }
    },
  });
}
