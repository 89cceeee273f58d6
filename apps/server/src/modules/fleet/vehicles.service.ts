import type {
  TPage,
  TVehicle,
  TVehicleCreate,
  TVehicleListQuery,
  TVehicleUpdate,
  ZMaintenanceRecordCreate,
  ZMaintenanceWindowCreate,
} from '@clockpilot/contracts';
import type { z } from 'zod';
import { type Actor, recordAudit } from '../../platform/audit';
import type { AppContext } from '../../platform/context';
import { notFound, unprocessable } from '../../platform/errors';
import { keyset } from '../../platform/pagination';
import { fleetWriteError, writeBusy } from './fleet.errors';
import { toCalendarItem, toVehicle } from './fleet.present';
import type { VehicleRow } from './fleet.tables';
import { quote } from './pricing';
import { VEHICLE_KEYSET, type VehicleFilter, vehiclesRepo } from './vehicles.repo';
import { isValidVin } from './vin';

export type VehiclesService = ReturnType<typeof createVehiclesService>;
type RecordInput = z.output<typeof ZMaintenanceRecordCreate>;
type WindowInput = z.output<typeof ZMaintenanceWindowCreate>;

const MINUTE = 60_000;

/** Vehicles, their maintenance records and windows, and their calendar. Staff write; renters read. */
export function createVehiclesService(ctx: AppContext) {
  const { db, clock } = ctx;
  const buffer = () => ctx.config.fleet.turnaroundMinutes * MINUTE;

  function checkVin(vin: string | undefined) {
    if (vin !== undefined && !isValidVin(vin)) {
      throw unprocessable('body.vin', 'The VIN check digit (9th character) does not match');
    }
  }
  async function present(rows: VehicleRow[]): Promise<TVehicle[]> {
    const photos = await vehiclesRepo.catalogue(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toVehicle(r, photos.get(r.id) ?? [], clock.now()));
  }
  async function row(id: string): Promise<VehicleRow> {
    const v = await vehiclesRepo.byId(db, id);
    if (!v) throw notFound('Vehicle');
    return v;
  }

  return {
    row,
    present,
    async get(id: string): Promise<TVehicle> {
      return (await present([await row(id)]))[0]!;
    },

    async list(
      f: VehicleFilter & Pick<TVehicleListQuery, 'limit' | 'cursor' | 'sort' | 'dir'>,
    ): Promise<TPage<TVehicle>> {
      const { limit, cursor, sort, dir, ...filter } = f;
      const page = keyset({ ...VEHICLE_KEYSET, sort, dir, cursor, limit });
      const rows = await vehiclesRepo.list(db, filter, page);
      const items = await present(rows.map((r) => r.row));
      return page.page(items.map((v, i) => ({ ...v, _k: rows[i]!._k })));
    },

    async create(actor: Actor, input: TVehicleCreate): Promise<TVehicle> {
      checkVin(input.vin);
      const now = clock.now();
      try {
        const v = await db.transaction(async (tx) => {
          const v = await vehiclesRepo.insert(tx, {
            ...input,
            status: 'available',
            createdAt: now,
            updatedAt: now,
          });
          await recordAudit(tx, actor, {
            action: 'fleet.vehicle.created',
            entityType: 'vehicle',
            entityId: v.id,
            after: v,
          });
          return v;
        });
        return (await present([v]))[0]!;
      } catch (err) {
        throw await fleetWriteError(db, err);
      }
    },

    async update(actor: Actor, id: string, patch: TVehicleUpdate): Promise<TVehicle> {
      checkVin(patch.vin);
      try {
        const v = await db.transaction(async (tx) => {
          const before = await vehiclesRepo.byId(tx, id, true);
          if (!before) throw notFound('Vehicle');
          const after = await vehiclesRepo.update(tx, id, { ...patch, updatedAt: clock.now() });
          await recordAudit(tx, actor, {
            action: 'fleet.vehicle.updated',
            entityType: 'vehicle',
            entityId: id,
            before,
            after,
          });
          return after!;
        });
        return (await present([v]))[0]!;
      } catch (err) {
        throw await fleetWriteError(db, err);
      }
    },

    /** A service done: recorded, the odometer moved forward, the next due date or distance set. */
    async addRecord(actor: Actor, vehicleId: string, input: RecordInput) {
      return db.transaction(async (tx) => {
        const v = await vehiclesRepo.byId(tx, vehicleId, true);
        if (!v) throw notFound('Vehicle');
        const { nextServiceDueOn, nextServiceDueKm, ...rest } = input;
        const rec = await vehiclesRepo.insertRecord(tx, {
          ...rest,
          vehicleId,
          createdBy: actor.userId,
          createdAt: clock.now(),
        });
        await vehiclesRepo.update(tx, vehicleId, {
          odometerKm: Math.max(v.odometerKm, input.odometerKm),
          ...(nextServiceDueOn !== undefined && { serviceDueOn: nextServiceDueOn }),
          ...(nextServiceDueKm !== undefined && { serviceDueKm: nextServiceDueKm }),
          updatedAt: clock.now(),
        });
        await recordAudit(tx, actor, {
          action: 'fleet.maintenance.recorded',
          entityType: 'vehicle',
          entityId: vehicleId,
          after: rec,
        });
        return { ...rec, createdAt: rec.createdAt.toISOString() };
      });
    },
    async records(vehicleId: string) {
      await row(vehicleId);
      const items = await vehiclesRepo.records(db, vehicleId);
      return { items: items.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
    },

    /** A maintenance window holds the vehicle like a booking, turnaround included. */
    async addWindow(actor: Actor, vehicleId: string, input: WindowInput) {
      await row(vehicleId);
      const startAt = new Date(input.startAt);
      const endAt = new Date(input.endAt);
      const busyUntil = new Date(endAt.getTime() + buffer());
      const range = { vehicleId, from: startAt, to: busyUntil, now: clock.now() };
      const w = await writeBusy(db, range, async (tx) => {
        const w = await vehiclesRepo.insertWindow(
          tx,
          {
            vehicleId,
            startAt,
            endAt,
            reason: input.reason,
            createdBy: actor.userId,
            createdAt: clock.now(),
          },
          busyUntil,
        );
        await recordAudit(tx, actor, {
          action: 'fleet.maintenance.scheduled',
          entityType: 'vehicle',
          entityId: vehicleId,
          after: w,
        });
        return w;
      });
      return {
        id: w.id,
        vehicleId,
        startAt: w.startAt.toISOString(),
        endAt: w.endAt.toISOString(),
        reason: w.reason,
        createdAt: w.createdAt.toISOString(),
      };
    },
    async removeWindow(actor: Actor, vehicleId: string, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        const w = await vehiclesRepo.deleteWindow(tx, vehicleId, id);
        if (!w) throw notFound('Maintenance window');
        await recordAudit(tx, actor, {
          action: 'fleet.maintenance.unscheduled',
          entityType: 'vehicle',
          entityId: vehicleId,
          before: w,
        });
      });
    },

    /** Vehicles free for all of [from, to) plus the turnaround, each with the server's quote. */
    async availability(q: { from: string; to: string; location?: string; category?: string; limit: number }) {
      const from = new Date(q.from);
      const to = new Date(q.to);
      const rows = await vehiclesRepo.free(db, q, from, new Date(to.getTime() + buffer()), q.limit);
      const vehicles = await present(rows);
      return {
        from: q.from,
        to: q.to,
        items: vehicles.map((v) => ({ vehicle: v, quote: quote(v, from, to, []) })),
      };
    },

    /** Bookings, holds and maintenance of one vehicle that meet [from, to). */
    async calendar(vehicleId: string, from: Date, to: Date) {
      await row(vehicleId);
      const rows = await vehiclesRepo.calendar(db, [vehicleId], from, to);
      return { vehicleId, items: rows.map(toCalendarItem) };
    },
  };
}
