import { Counter, Gauge } from 'prom-client';
import type { AppContext } from '../../platform/context';
import { bookingsRepo } from './bookings.repo';

export type FleetMetrics = ReturnType<typeof createFleetMetrics>;

/** Business metrics of the fleet, on the app's registry. */
export function createFleetMetrics(ctx: AppContext) {
  const registers = [ctx.metrics.registry];
  return {
    bookingsByState: new Gauge({
      name: 'clockpilot_fleet_bookings',
      help: 'Bookings by state',
      labelNames: ['state'],
      registers,
      // Read at scrape time from the database, so every replica reports the same truth.
      async collect() {
        try {
          this.reset();
          for (const { state, n } of await bookingsRepo.countsByState(ctx.db)) this.set({ state }, n);
        } catch (err) {
          ctx.log.app.warn({ err }, 'could not count bookings');
        }
      },
    }),
    transitions: new Counter({
      name: 'clockpilot_fleet_booking_transitions_total',
      help: 'Booking state changes by from and to state (from "none" when created)',
      labelNames: ['from', 'to'],
      registers,
    }),
    holdsExpired: new Counter({
      name: 'clockpilot_fleet_holds_expired_total',
      help: 'Holds that expired unpaid',
      registers,
    }),
    conflicts: new Counter({
      name: 'clockpilot_fleet_booking_conflicts_total',
      help: 'Booking requests refused because the vehicle was taken',
      registers,
    }),
  };
}
