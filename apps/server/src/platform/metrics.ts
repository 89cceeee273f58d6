import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Database } from './db';

/** One registry per app instance; modules add their business metrics to it. */
export type Metrics = {
  registry: Registry;
  securityEvents: Counter<'type'>;
  rateLimited: Counter<'route'>;
};

export function createMetrics(database: Database): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'clockpilot_' });
  // These gauges only sum the per-type series beside them, and a gauge named *_total fails
  // `promtool check metrics` (that suffix means a counter); sum(clockpilot_nodejs_active_handles) is the same.
  for (const kind of ['handles', 'requests', 'resources'])
    registry.removeSingleMetric(`clockpilot_nodejs_active_${kind}_total`);
  const pool = (name: string, help: string, pick: (p: ReturnType<Database['pool']>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(database.pool()));
      },
    });
  pool('clockpilot_db_pool_connections', 'Connections open in the database pool', (p) => p.total);
  pool('clockpilot_db_pool_idle', 'Idle connections in the database pool', (p) => p.idle);
  pool('clockpilot_db_pool_waiting', 'Queries waiting for a database connection', (p) => p.waiting);
  return {
    registry,
    securityEvents: new Counter({
      name: 'clockpilot_security_events_total',
      help: 'Security events by type',
      labelNames: ['type'],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'clockpilot_rate_limited_total',
      help: 'Requests answered 429',
      labelNames: ['route'],
      registers: [registry],
    }),
  };
}
