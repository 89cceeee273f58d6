import type { AppContext } from '../../platform/context';
import { dayPartitions } from '../../platform/day-partitions';
import { defineModule } from '../../platform/module';
import { autoscalerCli } from './autoscaler.cli';
import { autoscalerRoutes } from './autoscaler.routes';
import { createClustersService } from './clusters/clusters.service';
import { decide } from './engine/decide';
import { evaluationRoutes } from './evaluations/evaluations.routes';
import { createEvaluationsService } from './evaluations/evaluations.service';
import { createLiveBus, lineOf } from './live/bus';
import { liveRoutes } from './live/ws';
import { createBreakers } from './loop/breakers';
import { createLoop } from './loop/loop.service';
import { createMonitorService } from './loop/monitor.service';
import { createMetricsStore, tickExpirySeconds } from './metrics/store';
import { originalRoutes } from './original.routes';
import { createSimulatorClient } from './simulator-client';

declare module '../../platform/module' {
  interface ModuleServices {
    autoscaler: AutoscalerServices;
  }
}

export type AutoscalerServices = ReturnType<typeof createAutoscalerServices>;

function createAutoscalerServices(ctx: AppContext) {
  const simulator = createSimulatorClient(ctx.config);
  const metrics = createMetricsStore(ctx);
  const live = createLiveBus(ctx);
  const breakers = createBreakers(ctx, simulator, (change) => {
    ctx.log.app.info(change, 'autoscaler metrics breaker changed state');
    void live.publish([lineOf({ type: 'breaker', ...change })]);
  });
  const eventDays = dayPartitions(ctx.db, 'autoscaler_events', ctx.config.autoscaler.eventsRetentionDays);
  const loop = createLoop(ctx, simulator, metrics, breakers, live, eventDays);
  return {
    /** The HPA-compatible decision of DECIDE-INPUT.md, free of I/O. */
    decide,
    simulator,
    clusters: createClustersService(ctx, simulator),
    metrics,
    breakers,
    live,
    loop,
    /** The control loop's events by day, kept AUTOSCALER_EVENTS_RETENTION_DAYS. */
    eventDays,
    monitor: createMonitorService(ctx, metrics, loop),
    evaluations: createEvaluationsService(ctx),
  };
}

/** Autoscaling of server clusters: HPA-compatible and predictive decisions, and their evaluation. */
export const autoscalerModule = defineModule({
  name: 'autoscaler',
  dependsOn: ['identity'],
  services: createAutoscalerServices,
  async routes(app, s, ctx) {
    app.addHook('onClose', async () => {
      s.breakers.shutdown();
      await s.evaluations.close();
    });
    await autoscalerRoutes(app, s);
    // Its own scope: the multipart parser is for the trace upload only.
    await app.register((scope) => evaluationRoutes(scope, s.evaluations));
    // Loaded here: the CLI builds the services without the HTTP stack.
    const { default: websocket } = await import('@fastify/websocket');
    await app.register(websocket, { options: { maxPayload: ctx.config.autoscaler.wsMaxMessageBytes } });
    const latest = async (id: string) => (await s.loop.events(id, { limit: 1 })).items[0] ?? null;
    await app.register((scope) => liveRoutes(scope, ctx, s.live, latest));
  },
  jobs: ({ metrics, eventDays, loop, simulator }, ctx) => [
    ...(simulator.configured
      ? [
          {
            // Once per period across replicas; a replica that dies mid-tick leaves the next period to another.
            name: 'autoscaler.sync',
            everySeconds: ctx.config.autoscaler.syncSeconds,
            retryLimit: 0,
            expireInSeconds: tickExpirySeconds(ctx.config.autoscaler.syncSeconds),
            handler: async () => void (await loop.tick()),
          },
        ]
      : []),
    {
      // The closed minutes' rollups, made from the samples; the watermark makes a second run a no-op.
      name: 'autoscaler.rollups',
      everySeconds: 60,
      expireInSeconds: 600,
      handler: async () => void (await metrics.rollUp(ctx.clock.now())),
    },
    {
      // Partitions for the next days, and whole days past the retention dropped.
      name: 'autoscaler.partitions',
      everySeconds: 3600,
      handler: async () => {
        const now = ctx.clock.now();
        // Each table's upkeep on its own: one failing leaves the other's done.
        const upkeep = await Promise.allSettled([
          metrics.prepare(now).then(() => metrics.retain(now)),
          eventDays.prepare(now).then(() => eventDays.retain(now)),
        ]);
        for (const u of upkeep) if (u.status === 'rejected') throw u.reason;
      },
    },
  ],
  cli: autoscalerCli,
  rootRoutes: (app, _services, ctx) => originalRoutes(app, ctx),
});
