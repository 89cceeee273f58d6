import type { AppContext } from '../../platform/context';
import { defineModule } from '../../platform/module';
import { createBookingsService } from './bookings.service';
import { createFleetMetrics } from './fleet.metrics';
import { createFleetPolicy } from './fleet.policy';
import { fleetRoutes } from './fleet.routes';
import { createHandoverService } from './handover.service';
import { createPhotosService } from './photos.service';
import { type FleetPorts, unconfiguredPorts } from './ports';
import { seedFleet } from './seed-demo';
import { createVehiclesService } from './vehicles.service';

declare module '../../platform/module' {
  interface ModuleServices {
    fleet: FleetServices;
  }
}

export type FleetServices = ReturnType<typeof createFleetServices>;

function createFleetServices(ctx: AppContext) {
  const metrics = createFleetMetrics(ctx);
  const policy = createFleetPolicy(ctx);
  // Replaced in place by the configured providers; services read them at each call.
  const ports: FleetPorts = unconfiguredPorts();
  return {
    ports,
    vehicles: createVehiclesService(ctx),
    bookings: createBookingsService(ctx, policy, ports, metrics),
    handover: createHandoverService(ctx, ports, metrics),
    photos: createPhotosService(ctx, policy),
  };
}

/** Vehicle rental: catalogue, availability, bookings that never overlap, check-out and return. */
export const fleetModule = defineModule({
  name: 'fleet',
  dependsOn: ['identity'],
  services: createFleetServices,
  routes: fleetRoutes,
  jobs: ({ bookings }) => [
    {
      name: 'fleet.expire-holds',
      everySeconds: 60,
      handler: async () => void (await bookings.expireHolds()),
    },
  ],
  seed: { steps: 1, run: seedFleet },
});
