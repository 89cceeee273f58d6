import { createHash, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  compactMetrics,
  type TSimCompactLine,
  type TSimMetricsLine,
  type TSimScaleResult,
  ZSimAdvance,
  ZSimClusterParams,
  ZSimClusterUpdate,
  ZSimFaults,
  ZSimLoadPattern,
  ZSimMetricsBulk,
  ZSimScale,
  ZSimScaleBulk,
} from '@clockpilot/contracts/simulator';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { ClusterModel } from '../model/cluster';
import type { SimulatorConfig } from './config';
import { parse, problem, SimError } from './problems';
import type { Simulation } from './simulation';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** A cluster as GET shows it; a trace's CSV is left out (it can be megabytes), its length is kept. */
function view(id: string, cluster: ClusterModel) {
  const { load, ...spec } = cluster.config;
  const shownLoad =
    load.type === 'trace' ? { ...load, csv: undefined, csvCharacters: load.csv.length } : load;
  return {
    id,
    time: cluster.now,
    desiredReplicas: cluster.desiredReplicas,
    spec: { ...spec, load: shownLoad },
    faults: cluster.activeFaults,
  };
}

/** Fastify's own client errors (bad JSON, wrong media type, body too large) as problem codes. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
};

/** Every error as problem+json: the simulator's own, Fastify's client errors, and a 500 logged. */
function answerError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (err instanceof SimError) {
    return reply
      .status(err.status)
      .type('application/problem+json')
      .send(problem(err.status, err.code, err.message, err.errors));
  }
  const status = err.statusCode ?? 500;
  if (status < 500) {
    const code = FASTIFY_CODES[err.code] ?? (status === 400 ? 'invalid_json' : 'bad_request');
    return reply
      .status(status)
      .type('application/problem+json')
      .send(problem(status, code, err.message));
  }
  request.log.error({ err }, 'request failed');
  return reply
    .status(500)
    .type('application/problem+json')
    .send(problem(500, 'internal', 'The simulator could not handle the request'));
}

export async function buildApp(config: SimulatorConfig, simulation: Simulation): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      base: { service: 'clockpilot-simulator' },
      redact: { paths: ['req.headers.authorization'], censor: '[redacted]' },
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    bodyLimit: config.bodyLimitBytes,
    // One line per request at the end (below), not two: the autoscaler polls every cluster often.
    logController: new LogController({ disableRequestLogging: true }),
    // A URL the router refuses (too long a parameter, bad encoding) is answered like any other error.
    frameworkErrors: answerError,
  });

  app.setErrorHandler(answerError);
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .type('application/problem+json')
      .send(problem(404, 'not_found', `${request.method} ${request.url.split('?')[0]} does not exist`)),
  );
  app.addHook('onResponse', async (request, reply) => {
    const level = reply.statusCode >= 500 ? 'error' : reply.statusCode >= 400 ? 'info' : 'debug';
    request.log[level](
      {
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  if (config.token) {
    const expected = digest(config.token);
    app.addHook('onRequest', async (request, reply) => {
      if (request.url === '/health') return;
      const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
      if (match && timingSafeEqual(digest(match[1]!), expected)) return;
      reply.header('www-authenticate', 'Bearer');
      throw new SimError(401, 'unauthenticated', 'A valid bearer token is required');
    });
  }

  const idOf = (params: unknown) => parse(ZSimClusterParams, params, 'params').id;

  app.get('/health', async () => ({
    status: 'ok',
    clusters: simulation.size,
    speed: simulation.speed,
    uptimeSeconds: Math.round(process.uptime()),
  }));

  app.get('/clusters', async () => ({ clusters: simulation.ids() }));

  app.put('/clusters/:id', async (request, reply) => {
    const id = idOf(request.params);
    const { cluster, created } = simulation.put(id, parse(ZSimClusterUpdate, request.body, 'body'));
    request.log.info({ cluster: id, created }, created ? 'cluster created' : 'cluster updated');
    return reply.status(created ? 201 : 200).send(view(id, cluster));
  });

  app.get('/clusters/:id', async (request) => {
    const id = idOf(request.params);
    return view(id, simulation.get(id));
  });

  app.delete('/clusters/:id', async (request, reply) => {
    const id = idOf(request.params);
    simulation.delete(id);
    request.log.info({ cluster: id }, 'cluster deleted');
    return reply.status(204).send();
  });

  // An injected API delay ends early when the process shuts down, so it cannot hold the shutdown up.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());

  app.get('/clusters/:id/metrics', async (request) => {
    const cluster = simulation.get(idOf(request.params));
    const { apiDelayMs } = cluster.activeFaults;
    if (apiDelayMs > 0) await sleep(apiDelayMs, undefined, { signal: closing.signal }).catch(() => undefined);
    if (cluster.outage) throw new SimError(503, 'unavailable', 'The cluster is down (injected outage)');
    return cluster.metrics();
  });

  /** A cluster's metrics as one bulk line, or the error its own endpoint would answer. */
  const metricsLine = (id: string, compact: boolean): TSimMetricsLine | TSimCompactLine => {
    try {
      const cluster = simulation.get(id);
      if (cluster.outage) return { id, status: 503, message: 'The cluster is down (injected outage)' };
      const metrics = cluster.metrics();
      return compact ? { id, status: 200, ...compactMetrics(metrics) } : { id, status: 200, metrics };
    } catch (err) {
      if (err instanceof SimError) return { id, status: err.status, message: err.message };
      throw err;
    }
  };

  app.post('/metrics', async (request, reply) => {
    const { ids, format } = parse(ZSimMetricsBulk, request.body, 'body');
    const line = (id: string) => `${JSON.stringify(metricsLine(id, format === 'compact'))}\n`;
    const started = Date.now();
    const delayOf = (id: string) => {
      try {
        return simulation.get(id).activeFaults.apiDelayMs;
      } catch {
        return 0;
      }
    };
    const delayed = ids.map((id) => ({ id, delay: delayOf(id) })).filter((x) => x.delay > 0);
    const late = new Set(delayed.map((x) => x.id));
    // The clusters without an injected delay at once, then each delayed one when its delay is over.
    async function* lines() {
      yield ids
        .filter((id) => !late.has(id))
        .map(line)
        .join('');
      for (const { id, delay } of delayed.sort((a, b) => a.delay - b.delay)) {
        const wait = started + delay - Date.now();
        if (wait > 0) await sleep(wait, undefined, { signal: closing.signal }).catch(() => undefined);
        yield line(id);
      }
    }
    return reply.type('application/x-ndjson').send(Readable.from(lines()));
  });

  app.post('/scale', async (request) => {
    const { scales } = parse(ZSimScaleBulk, request.body, 'body');
    const results = scales.map(({ id, replicas }): TSimScaleResult => {
      try {
        simulation.get(id).scaleTo(replicas);
        return { id, status: 200 };
      } catch (err) {
        if (err instanceof SimError) return { id, status: err.status, message: err.message };
        throw err;
      }
    });
    request.log.info({ clusters: scales.length }, 'scaled in bulk');
    return { results };
  });

  app.post('/clusters/:id/scale', async (request) => {
    const id = idOf(request.params);
    const { replicas } = parse(ZSimScale, request.body, 'body');
    const cluster = simulation.get(id);
    cluster.scaleTo(replicas);
    request.log.info({ cluster: id, replicas }, 'scaled');
    return view(id, cluster);
  });

  app.post('/clusters/:id/load', async (request) => {
    const id = idOf(request.params);
    return view(id, simulation.setLoad(id, parse(ZSimLoadPattern, request.body, 'body')));
  });

  app.post('/clusters/:id/faults', async (request) => {
    const id = idOf(request.params);
    const faults = parse(ZSimFaults, request.body, 'body');
    request.log.info({ cluster: id, faults }, 'faults injected');
    return view(id, simulation.injectFaults(id, faults));
  });

  app.delete('/clusters/:id/faults', async (request) => {
    const id = idOf(request.params);
    const cluster = simulation.get(id);
    cluster.clearFaults();
    return view(id, cluster);
  });

  app.post('/clusters/:id/advance', async (request) => {
    const id = idOf(request.params);
    const { seconds } = parse(ZSimAdvance, request.body, 'body');
    return simulation.advance(id, seconds).metrics();
  });

  return app;
}
