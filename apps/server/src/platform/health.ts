import { type TCheckStatus, ZHealth, ZLiveness, ZReadiness } from '@clockpilot/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config/load';
import type { Cache } from './cache';
import type { Database } from './db';
import type { Maintenance } from './maintenance';
import { migrationStatus } from './migrate';

/** The probe paths: ours, and those the original systems' probes use. */
export const HEALTH_BASES = ['/api/health', '/health', '/api/v1/health'] as const;

/** Probes are never rate-limited or redirected: an orchestrator must always reach them. */
export const isHealthProbe = (url: string) =>
  HEALTH_BASES.some((base) => url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`));

/** `started` turns true once start-up work has run; `shuttingDown` on SIGTERM. */
export type Lifecycle = { started: boolean; shuttingDown: boolean };

type Deps = {
  config: Config;
  database: Database;
  cache: Cache;
  lifecycle: Lifecycle;
  maintenance: Maintenance;
};

/** Probes: liveness (the process answers), readiness (it can serve), and a detailed health report. */
export async function healthRoutes(
  app: FastifyInstance,
  { config, database, cache, lifecycle, maintenance }: Deps,
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const started = Date.now();
  const uptime = () => (Date.now() - started) / 1000;
  // Once migrations are found current they stay current for the life of the process.
  let migrationsCurrent = false;

  async function checkDatabase(): Promise<{ status: TCheckStatus; latencyMs?: number; detail?: string }> {
    try {
      const latency = await Promise.race([
        database.ping(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('timed out after 2s')), 2000).unref(),
        ),
      ]);
      return { status: 'up', latencyMs: Math.round(latency * 100) / 100 };
    } catch (err) {
      return { status: 'down', detail: (err as Error).message };
    }
  }

  async function checkMigrations(): Promise<{ status: TCheckStatus; detail?: string }> {
    if (migrationsCurrent) return { status: 'up' };
    try {
      const s = await migrationStatus(database);
      if (s.pending.length === 0 && s.changed.length === 0) {
        migrationsCurrent = true;
        return { status: 'up' };
      }
      return {
        status: 'down',
        detail: [
          s.pending.length && `${s.pending.length} pending`,
          s.changed.length && `edited: ${s.changed.join(', ')}`,
        ]
          .filter(Boolean)
          .join('; '),
      };
    } catch (err) {
      return { status: 'down', detail: (err as Error).message };
    }
  }

  const live = async () => ({
    status: 'alive' as const,
    timestamp: new Date().toISOString(),
    uptime: uptime(),
  });

  const ready = async (_req: unknown, reply: { status(n: number): unknown }) => {
    const database = await checkDatabase();
    const migrations =
      database.status === 'up'
        ? await checkMigrations()
        : { status: 'down' as const, detail: 'database down' };
    const redis = cache.status();
    const startup = lifecycle.started
      ? { status: 'up' as const }
      : { status: 'down' as const, detail: 'start-up work still running' };
    const restoring = database.status === 'up' && (await maintenance.active());
    const maintenanceCheck = restoring
      ? { status: 'down' as const, detail: 'a database restore is in progress' }
      : { status: 'up' as const };
    const ok =
      !lifecycle.shuttingDown &&
      lifecycle.started &&
      database.status === 'up' &&
      migrations.status === 'up' &&
      !restoring;
    reply.status(ok ? 200 : 503);
    return {
      status: ok ? ('ready' as const) : ('not_ready' as const),
      timestamp: new Date().toISOString(),
      checks: { database, redis, migrations, startup, maintenance: maintenanceCheck },
    };
  };

  const health = async (_req: unknown, reply: { status(n: number): unknown }) => {
    const t0 = performance.now();
    const db = await checkDatabase();
    const redis = cache.status();
    const mem = process.memoryUsage();
    const status = db.status !== 'up' ? 'unhealthy' : redis.status === 'degraded' ? 'degraded' : 'healthy';
    reply.status(status === 'unhealthy' ? 503 : 200);
    return {
      status: status as 'healthy' | 'degraded' | 'unhealthy',
      timestamp: new Date().toISOString(),
      uptime: uptime(),
      environment: config.app.mode,
      version: config.app.version,
      services: { database: { ...db, driver: database.driver }, redis },
      performance: {
        responseTime: Math.round((performance.now() - t0) * 100) / 100,
        memory: {
          used: mem.heapUsed,
          total: mem.heapTotal,
          percentage: Math.round((mem.heapUsed / mem.heapTotal) * 10000) / 100,
        },
      },
    };
  };

  const tags = ['health'];
  // The original systems' probes use these paths; all answer the same.
  for (const base of HEALTH_BASES) {
    r.get(`${base}/live`, { config: { public: true }, schema: { tags, response: { 200: ZLiveness } } }, live);
    r.get(
      `${base}/ready`,
      { config: { public: true }, schema: { tags, response: { 200: ZReadiness, 503: ZReadiness } } },
      ready,
    );
    // With and without the trailing slash the original system's probes used (`/api/health/`).
    for (const url of [base, `${base}/`]) {
      r.get(
        url,
        { config: { public: true }, schema: { tags, response: { 200: ZHealth, 503: ZHealth } } },
        health,
      );
    }
  }
}
