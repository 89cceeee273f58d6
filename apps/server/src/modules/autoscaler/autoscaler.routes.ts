import {
  ZAutoscalerEventPage,
  ZCluster,
  ZClusterCreate,
  ZClusterFaults,
  ZClusterListQuery,
  ZClusterPage,
  ZClusterParams,
  ZClusterSimulatorState,
  ZClusterUpdate,
  ZEventListQuery,
  ZSampleQuery,
  ZSampleSeries,
} from '@clockpilot/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/audit';
import { principalOf } from '../../platform/auth';
import type { AutoscalerServices } from '.';

const tags = ['autoscaler'];
const config = { authenticated: true } as const;
const params = ZClusterParams;

/** The caller's own clusters under /api/v1/autoscaler/clusters; another user's answer 404. */
export async function autoscalerRoutes(root: FastifyInstance, s: AutoscalerServices) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { clusters, monitor } = s;

  app.get(
    '/clusters',
    { config, schema: { tags, querystring: ZClusterListQuery, response: { 200: ZClusterPage } } },
    async (request) => clusters.list(principalOf(request), request.query),
  );
  app.post(
    '/clusters',
    { config, schema: { tags, body: ZClusterCreate, response: { 201: ZCluster } } },
    async (request, reply) =>
      reply.status(201).send(await clusters.create(principalOf(request), request.body, actorOf(request))),
  );
  app.get(
    '/clusters/:id',
    { config, schema: { tags, params, response: { 200: ZCluster } } },
    async (request) => clusters.get(principalOf(request), request.params.id),
  );
  app.patch(
    '/clusters/:id',
    { config, schema: { tags, params, body: ZClusterUpdate, response: { 200: ZCluster } } },
    async (request) =>
      clusters.update(principalOf(request), request.params.id, request.body, actorOf(request)),
  );
  app.delete('/clusters/:id', { config, schema: { tags, params } }, async (request, reply) => {
    await clusters.remove(principalOf(request), request.params.id, actorOf(request));
    return reply.status(204).send();
  });

  app.get(
    '/clusters/:id/samples',
    { config, schema: { tags, params, querystring: ZSampleQuery, response: { 200: ZSampleSeries } } },
    async (request) => monitor.samples(principalOf(request), request.params.id, request.query),
  );
  app.get(
    '/clusters/:id/events',
    {
      config,
      schema: { tags, params, querystring: ZEventListQuery, response: { 200: ZAutoscalerEventPage } },
    },
    async (request) => monitor.events(principalOf(request), request.params.id, request.query),
  );

  // Simulator controls: the owner's cluster only, proxied so the browser never holds the simulator's token.
  const state = { 200: ZClusterSimulatorState };
  app.get('/clusters/:id/simulator', { config, schema: { tags, params, response: state } }, async (request) =>
    clusters.simulatorState(principalOf(request), request.params.id),
  );
  app.post(
    '/clusters/:id/simulator/faults',
    { config, schema: { tags, params, body: ZClusterFaults, response: state } },
    async (request) =>
      clusters.injectFaults(principalOf(request), request.params.id, request.body, actorOf(request)),
  );
  app.delete(
    '/clusters/:id/simulator/faults',
    { config, schema: { tags, params, response: state } },
    async (request) => clusters.clearFaults(principalOf(request), request.params.id, actorOf(request)),
  );
}
