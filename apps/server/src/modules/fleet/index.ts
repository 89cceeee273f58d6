import type { AppContext } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { defineModule } from '../../platform/module';
import { createBookingsService } from './bookings.service';
import { createFleetMetrics } from './fleet.metrics';
import { createFleetPolicy } from './fleet.policy';
import { fleetRoutes } from './fleet.routes';
import { createFleetOpsService } from './fleet-ops.service';
import { createHandoverService } from './handover.service';
import { createFleetPayments, paymentJobs } from './payments/payments.parts';
import { paymentRoutes } from './payments/payments.routes';
import { createPhotosService } from './photos.service';
import type { FleetPorts } from './ports';
import { seedFleet } from './seed-demo';
import { createVehiclesService } from './vehicles.service';
import { verificationRoutes } from './verification/verification.routes';

/** Who confirms a booking when the payment provider reports the card held. */
const PAYMENTS_ACTOR = { userId: null, label: 'payment provider' } as const;

declare module '../../platform/module' {
  interface ModuleServices {
    fleet: FleetServices;
  }
}

export type FleetServices = ReturnType<typeof createFleetServices>;

function createFleetServices(ctx: AppContext) {
  const metrics = createFleetMetrics(ctx);
  const policy = createFleetPolicy(ctx);
  const integrations = createFleetPayments(ctx);
  // The configured providers; services read them at each call, so a test may put its own in place.
  const ports: FleetPorts = {
    payments: integrations.payments.port,
    verification: integrations.verification.port,
    scheduleAuthorization: integrations.payments.scheduleIfFar,
    unscheduleAuthorization: integrations.payments.unschedule,
  };
  const bookings = createBookingsService(ctx, policy, ports, metrics);
  // A card confirmed after the booking asked for it (3-D Secure, the local test-card page, the
  // authorisation scheduled before pick-up) reaches us by webhook: it confirms the held booking, or
  // releases the hold when the booking lapsed.
  ctx.events.on('fleet.payment.changed', async (c) => {
    if (c.status === 'failed' || c.status === 'requires_action')
      return void (await bookings.deferredAuthorizationMissed(PAYMENTS_ACTOR, c));
    if (c.status !== 'authorized' || !c.intentId) return;
    await bookings.authorized(PAYMENTS_ACTOR, c.bookingId, c.intentId, c.amountMinor).catch((err) => {
      // A lapsed hold (its authorisation is released) or a payment of no booking of ours: nothing to confirm.
      if (!(err instanceof AppError)) throw err;
      ctx.log.app.warn(
        { bookingId: c.bookingId, intentId: c.intentId, reason: err.message },
        'payment held, booking not confirmed',
      );
    });
  });
  return {
    ports,
    integrations,
    vehicles: createVehiclesService(ctx),
    ops: createFleetOpsService(ctx),
    bookings,
    handover: createHandoverService(ctx, ports, metrics),
    photos: createPhotosService(ctx, policy),
  };
}

/** Vehicle rental: catalogue, availability, bookings that never overlap, check-out and return. */
export const fleetModule = defineModule({
  name: 'fleet',
  dependsOn: ['identity'],
  // The providers' webhooks live beside the module's own routes: /api/v1/stripe/webhook, /api/v1/persona/webhook.
  prefix: '/api/v1',
  services: createFleetServices,
  async routes(app, s, ctx) {
    await app.register((scope) => fleetRoutes(scope, s, ctx), { prefix: '/fleet' });
    await paymentRoutes(app, s.integrations, ctx);
    await verificationRoutes(app, s.integrations.verification);
  },
  jobs: ({ bookings, integrations }) => [
    ...paymentJobs(integrations),
    {
      name: 'fleet.expire-holds',
      everySeconds: 60,
      handler: async () => void (await bookings.expireHolds()),
    },
  ],
  seed: { steps: 1, run: seedFleet },
});
