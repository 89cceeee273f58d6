import type {
  TFleetDashboard,
  TTimeline,
  TTimelineItem,
  ZFleetDashboardQuery,
  ZTimelineQuery,
} from '@clockpilot/contracts';
import { DateTime } from 'luxon';
import type { z } from 'zod';
import type { AppContext } from '../../platform/context';
import { keyset } from '../../platform/pagination';
import { serviceDue, toCalendarItem, toVehicle } from './fleet.present';
import type { BookingRow } from './fleet.tables';
import { fleetOpsRepo, type LocalDays } from './fleet-ops.repo';
import { VEHICLE_KEYSET, vehiclesRepo } from './vehicles.repo';

export type FleetOpsService = ReturnType<typeof createFleetOpsService>;
type DashboardQuery = z.output<typeof ZFleetDashboardQuery>;
type TimelineQuery = z.output<typeof ZTimelineQuery>;

const DAY = 86_400_000;
const HOUR = 3_600_000;
const day = (d: Date) => d.toISOString().slice(0, 10);
const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;
/** Every zone's offset from UTC lies within this, so `ZONE_SLACK` around UTC days holds any local day. */
const ZONE_SLACK = 14 * HOUR;

/** The local days `from`..`to` (inclusive) of every vehicle, whatever its zone. */
function localDays(from: string, to: string): LocalDays {
  const toNext = day(new Date(Date.parse(`${to}T00:00:00Z`) + DAY));
  return {
    from,
    toNext,
    envelope: {
      from: new Date(Date.parse(`${from}T00:00:00Z`) - ZONE_SLACK),
      to: new Date(Date.parse(`${toNext}T00:00:00Z`) + ZONE_SLACK),
    },
  };
}

/** The instants that begin and end the local days `from`..`to` in `zone`. */
function daysIn(zone: string, from: string, to: string) {
  const start = DateTime.fromISO(from, { zone });
  return { start: start.toJSDate(), end: DateTime.fromISO(to, { zone }).plus({ days: 1 }).toJSDate() };
}
const localDay = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toISODate()!;

/** What fleet staff watch: how busy the fleet is, what it earned, what happens next, what needs a service. */
export function createFleetOpsService(ctx: AppContext) {
  const { db, clock } = ctx;

  return {
    async dashboard(q: DashboardQuery): Promise<TFleetDashboard> {
      const days = localDays(q.from, q.to);
      const now = clock.now();
      const until = new Date(now.getTime() + q.horizonDays * DAY);
      const dueBy = day(new Date(now.getTime() + q.dueWithinDays * DAY));
      const [usage, revenue, pickups, returns, due] = await Promise.all([
        fleetOpsRepo.utilisation(db, days, q.location),
        fleetOpsRepo.revenue(db, days, q.location),
        fleetOpsRepo.handovers(db, 'confirmed', until, q.limit, q.location),
        fleetOpsRepo.handovers(db, 'checked_out', until, q.limit, q.location),
        fleetOpsRepo.serviceDue(db, dueBy, q.dueWithinKm, q.limit, q.location),
      ]);
      const vehicles = usage
        .map((u) => ({
          vehicleId: u.vehicleId,
          plate: u.plate,
          label: `${u.make} ${u.model}`,
          location: u.location,
          bookedHours: round(u.bookedSeconds / 3600, 2),
          maintenanceHours: round(u.maintenanceSeconds / 3600, 2),
          utilisation: round(u.bookedSeconds / u.rangeSeconds, 4),
        }))
        .sort((a, b) => b.utilisation - a.utilisation || a.plate.localeCompare(b.plate));
      const bookedHours = vehicles.reduce((s, v) => s + v.bookedHours, 0);
      const rangeHours = usage.reduce((s, u) => s + u.rangeSeconds, 0) / 3600;
      const handover = (b: { booking: BookingRow; plate: string; timeZone: string }, at: Date) => ({
        bookingId: b.booking.id,
        vehicleId: b.booking.vehicleId,
        plate: b.plate,
        userId: b.booking.userId,
        at: at.toISOString(),
        timeZone: b.timeZone,
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
          utilisation: rangeHours ? round(bookedHours / rangeHours, 4) : 0,
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

    /**
     * A page of vehicles by plate, each with what holds it during the days asked in its own zone, and
     * the first and last of those days each item meets. One calendar query covers the page's zones.
     */
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
      const ranges = new Map(
        items.map((v) => [v.id, { zone: v.timeZone, ...daysIn(v.timeZone, q.from, q.to) }]),
      );
      const { envelope } = localDays(q.from, q.to);
      const busy = items.length
        ? await vehiclesRepo.calendar(
            db,
            items.map((v) => v.id),
            envelope.from,
            envelope.to,
          )
        : [];
      const byVehicle = new Map<string, TTimelineItem[]>();
      for (const b of busy) {
        const id = b.busy.vehicleId;
        const range = ranges.get(id)!;
        if (b.busy.startsAt >= range.end || b.busy.endsAt <= range.start) continue;
        const item = {
          ...toCalendarItem(b),
          firstDay: localDay(b.busy.startsAt, range.zone),
          lastDay: localDay(new Date(b.busy.endsAt.getTime() - 1), range.zone),
        };
        byVehicle.set(id, [...(byVehicle.get(id) ?? []), item]);
      }
      const days: string[] = [];
      for (let t = Date.parse(`${q.from}T00:00:00Z`); t <= Date.parse(`${q.to}T00:00:00Z`); t += DAY)
        days.push(day(new Date(t)));
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
            timeZone: v.timeZone,
            status: v.status,
          },
          items: byVehicle.get(v.id) ?? [],
        })),
        nextCursor,
      };
    },
  };
}
