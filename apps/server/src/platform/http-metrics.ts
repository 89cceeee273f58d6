import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Gauge, Histogram, type Registry } from 'prom-client';
import { AppError } from './errors';
import type { Metrics } from './metrics';

/** HTTP request duration by method, route pattern and status, and requests in flight. */
export function instrumentHttp(app: FastifyInstance, metrics: Metrics) {
  const duration = new Histogram({
    name: 'clockpilot_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [metrics.registry],
  });
  const inFlight = new Gauge({
    name: 'clockpilot_http_requests_in_flight',
    help: 'HTTP requests being served',
    registers: [metrics.registry],
  });
  app.addHook('onRequest', (_request, _reply, done) => {
    inFlight.inc();
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    inFlight.dec();
    // The route pattern, never the raw URL, keeps label cardinality bounded.
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}

/**
 * The Prometheus scrape handler, on the public app or on the metrics listener. With a token, only
 * `Authorization: Bearer <token>` reads it (compared as digests, so in constant time whatever the length).
 */
export function metricsHandler(registry: Registry, token?: string) {
  const expected = token === undefined ? undefined : digest(token);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (expected) {
      const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!given || !timingSafeEqual(digest(given), expected))
        throw new AppError('unauthenticated', 'The metrics token is missing or wrong', {
          headers: { 'www-authenticate': 'Bearer realm="metrics"' },
        });
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** With METRICS_PORT, /metrics gets a listener of its own so it need not be reachable from outside. */
export async function listenMetrics(
  registry: Registry,
  port: number,
  host: string,
): Promise<FastifyInstance> {
  const server = Fastify();
  server.get('/metrics', metricsHandler(registry));
  await server.listen({ port, host });
  return server;
}
