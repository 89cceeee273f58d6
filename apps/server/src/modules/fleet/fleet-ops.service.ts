import type {
  TCalendarItem,
  TFleetDashboard,
  TTimeline,
  ZFleetDashboardQuery,
  ZTimelineQuery,
} from '@clockpilot/contracts';
import type { z } from 'zod';
import type { AppContext } from '../../platform/context';
import { keyset } from '../../platform/pagination';
import { serviceDue, toCalendarItem, toVehicle } from './fleet.present';
import type { BookingRow } from './fleet.tables';
import { fleetOpsRepo } from './fleet-ops.repo';
import { VEHICLE_KEYSET, vehiclesRepo } from './vehicles.repo';

export type FleetOpsService = ReturnType<typeof createFleetOpsService>;
type DashboardQuery = z.output<typeof ZFleetDashboardQuery>;
type TimelineQuery = z.output<typeof ZTimelineQuery>;

const DAY = 86_400_000;
const HOUR = 3_600_000;
const day = (d: Date) => d.toISOString().slice(0, 10);
const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/** What fleet staff watch: how busy the fleet is, what it earned, what happens next, what needs a service. */
export function createFleetOpsService(ctx: AppContext) {
  const { db, clock } = ctx;

  return {
    async dashboard(q: DashboardQuery): Promise<TFleetDashboard> {
      const from = new Date(q.from);
      const to = new Date(q.to);
      const now = clock.now();
      const until = new Date(now.getTime() + q.horizonDays * DAY);
      const dueBy = day(new Date(now.getTime() + q.dueWithinDays * DAY));
      const [usage, revenue, pickups, returns, due] = await Promise.all([
        fleetOpsRepo.utilisation(db, from, to, q.location),
        fleetOpsRepo.revenue(db, from, to, q.location),
        fleetOpsRepo.handovers(db, 'confirmed', until, q.limit, q.location),
        fleetOpsRepo.handovers(db, 'checked_out', until, q.limit, q.location),
        fleetOpsRepo.serviceDue(db, dueBy, q.dueWithinKm, q.limit, q.location),
      ]);
      const rangeHours = (to.getTime() - from.getTime()) / HOUR;
      const vehicles = usage
        .map((u) => ({
          vehicleId: u.vehicleId,
          plate: u.plate,
          label: `${u.make} ${u.model}`,
          location: u.location,
          bookedHours: round(u.bookedSeconds / 3600, 2),
          maintenanceHours: round(u.maintenanceSeconds / 3600, 2),
          utilisation: round(u.bookedSeconds / 3600 / rangeHours, 4),
        }))
        .sort((a, b) => b.utilisation - a.utilisation || a.plate.localeCompare(b.plate));
      const bookedHours = vehicles.reduce((s, v) => s + v.bookedHours, 0);
      const handover = (b: { booking: BookingRow; plate: string }, at: Date) => ({
        bookingId: b.booking.id,
        vehicleId: b.booking.vehicleId,
        plate: b.plate,
        userId: b.booking.userId,
        at: at.toISOString(),
        state: b.booking.state,
        overdue: at < now,
      });
      const today = day(now);
      return {
        from: q.from,
        to: q.to,
        overall: {
          vehicles: vehicles.length,
          bookedHours: round(bookedHours, 2),
          maintenanceHours: round(
            vehicles.reduce((s, v) => s + v.maintenanceHours, 0),
            2,
          ),
          utilisation: vehicles.length ? round(bookedHours / (rangeHours * vehicles.length), 4) : 0,
        },
        vehicles: vehicles.slice(0, q.limit),
        revenue: revenue.map((r) => ({ ...r, netMinor: r.capturedMinor - r.refundedMinor })),
        pickups: pickups.map((b) => handover(b, b.booking.startAt)),
        returns: returns.map((b) => handover(b, b.booking.endAt)),
        serviceDue: due.map((v) => ({
          vehicle: toVehicle(v, [], now),
          reason: v.serviceDueOn !== null && v.serviceDueOn <= dueBy ? 'date' : 'odometer',
          overdue: serviceDue(v, today),
        })),
      };
    },

    /** A page of vehicles by plate, each with what holds it during the days asked (UTC). */
    async timeline(q: TimelineQuery): Promise<TTimeline> {
      const page = keyset({
        sorts: { plate: VEHICLE_KEYSET.sorts.plate },
        id: VEHICLE_KEYSET.id,
        sort: 'plate',
        dir: 'asc',
        cursor: q.cursor,
        limit: q.limit,
      });
      const rows = await fleetOpsRepo.timelineVehicles(db, q, page);
      const { items, nextCursor } = page.page(rows.map((r) => ({ ...r.row, _k: r._k })));
      const from = new Date(`${q.from}T00:00:00Z`);
      const to = new Date(new Date(`${q.to}T00:00:00Z`).getTime() + DAY);
      const busy = items.length
        ? await vehiclesRepo.calendar(
            db,
            items.map((v) => v.id),
            from,
            to,
          )
        : [];
      const byVehicle = new Map<string, TCalendarItem[]>();
      for (const b of busy)
        byVehicle.set(b.busy.vehicleId, [...(byVehicle.get(b.busy.vehicleId) ?? []), toCalendarItem(b)]);
      const days: string[] = [];
      for (let t = from.getTime(); t < to.getTime(); t += DAY) days.push(day(new Date(t)));
      return {
        days,
        rows: items.map((v) => ({
          vehicle: {
            id: v.id,
            plate: v.plate,
            make: v.make,
            model: v.model,
            category: v.category,
            location: v.location,
            status: v.status,
          },
          items: byVehicle.get(v.id) ?? [],
        })),
        nextCursor,
      };
    },
  };
}
