import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import type { keyset, SortKey } from '../../platform/pagination';
import { prepared } from '../../platform/unit-of-work';
import {
  fleetBookings,
  fleetBusy,
  fleetMaintenanceRecords,
  fleetMaintenanceWindows,
  fleetPhotos,
  fleetVehicles,
  type MaintenanceRecordRow,
  type MaintenanceWindowRow,
  type PhotoRow,
  type VehicleRow,
} from './fleet.tables';

export type NewVehicle = Omit<VehicleRow, 'id'>;
export type VehicleFilter = { location?: string; category?: string; status?: VehicleRow['status'] };
export type Page = ReturnType<typeof keyset<VehicleSort>>;
type VehicleSort = 'created' | 'rate' | 'plate' | 'year';
export const VEHICLE_KEYSET = {
  sorts: {
    created: { expr: fleetVehicles.createdAt, type: 'timestamptz' as const },
    rate: { expr: fleetVehicles.dailyRateMinor, type: 'numeric' as const },
    plate: { expr: fleetVehicles.plate, type: 'text' as const },
    year: { expr: fleetVehicles.year, type: 'numeric' as const },
  } satisfies Record<VehicleSort, SortKey>,
  id: fleetVehicles.id,
};

const iso = (d: Date) => sql`${d.toISOString()}::timestamptz`;
/** Busy rows meeting [from, to): the gist index of the exclusion constraint serves this. */
export const overlaps = (from: Date | SQL, to: Date | SQL) =>
  sql`tstzrange(${fleetBusy.startsAt}, ${fleetBusy.endsAt}, '[)') && tstzrange(${bound(from)}, ${bound(to)}, '[)')`;
/** A time, or a prepared statement's placeholder for one. */
const bound = (t: Date | SQL) => (t instanceof Date ? iso(t) : t);

/** A vehicle by id (check-out, return, staff pages): a prepared statement. */
const vehicleById = prepared('fleet_vehicle_by_id', (db) =>
  db
    .select()
    .from(fleetVehicles)
    .where(eq(fleetVehicles.id, sql.placeholder('id'))),
);

function filters(f: VehicleFilter): SQL[] {
  const out: SQL[] = [];
  if (f.location) out.push(eq(fleetVehicles.location, f.location));
  if (f.category) out.push(eq(fleetVehicles.category, f.category));
  if (f.status) out.push(eq(fleetVehicles.status, f.status));
  return out;
}

/** The SQL of vehicles, their maintenance and their catalogue photos. */
export const vehiclesRepo = {
  async insert(db: DbOrTx, v: NewVehicle): Promise<VehicleRow> {
    const [row] = await db.insert(fleetVehicles).values(v).returning();
    return row!;
  },
  async update(db: DbOrTx, id: string, patch: Partial<NewVehicle>): Promise<VehicleRow | undefined> {
    const [row] = await db.update(fleetVehicles).set(patch).where(eq(fleetVehicles.id, id)).returning();
    return row;
  },
  async byId(db: DbOrTx, id: string, lock = false): Promise<VehicleRow | undefined> {
    const [row] = lock
      ? await db.select().from(fleetVehicles).where(eq(fleetVehicles.id, id)).for('update')
      : await vehicleById(db).execute({ id });
    return row;
  },
  async list(db: DbOrTx, f: VehicleFilter, page: Page) {
    const where = [...filters(f), ...(page.where ? [page.where] : [])];
    return db
      .select({ row: fleetVehicles, _k: page.key })
      .from(fleetVehicles)
      .where(and(...where))
      .orderBy(...page.orderBy)
      .limit(page.fetch);
  },

  /** Available vehicles with nothing busy in [from, busyTo), cheapest first. */
  async free(db: DbOrTx, f: VehicleFilter, from: Date, busyTo: Date, limit: number): Promise<VehicleRow[]> {
    const busy = db
      .select({ one: sql`1` })
      .from(fleetBusy)
      .where(and(eq(fleetBusy.vehicleId, fleetVehicles.id), overlaps(from, busyTo)));
    return db
      .select()
      .from(fleetVehicles)
      .where(and(...filters({ ...f, status: 'available' }), sql`not exists (${busy})`))
      .orderBy(asc(fleetVehicles.dailyRateMinor), asc(fleetVehicles.id))
      .limit(limit);
  },

  /** Everything holding these vehicles in [from, to): bookings and maintenance windows. */
  async calendar(db: DbOrTx, vehicleIds: string[], from: Date, to: Date) {
    return db
      .select({
        busy: fleetBusy,
        bookingState: fleetBookings.state,
        bookingStart: fleetBookings.startAt,
        bookingEnd: fleetBookings.endAt,
        windowStart: fleetMaintenanceWindows.startAt,
        windowEnd: fleetMaintenanceWindows.endAt,
        reason: fleetMaintenanceWindows.reason,
      })
      .from(fleetBusy)
      .leftJoin(fleetBookings, eq(fleetBookings.id, fleetBusy.bookingId))
      .leftJoin(fleetMaintenanceWindows, eq(fleetMaintenanceWindows.id, fleetBusy.maintenanceId))
      .where(and(inArray(fleetBusy.vehicleId, vehicleIds), overlaps(from, to)))
      .orderBy(asc(fleetBusy.startsAt));
  },

  async insertRecord(db: DbOrTx, r: Omit<MaintenanceRecordRow, 'id'>): Promise<MaintenanceRecordRow> {
    const [row] = await db.insert(fleetMaintenanceRecords).values(r).returning();
    return row!;
  },
  async records(db: DbOrTx, vehicleId: string): Promise<MaintenanceRecordRow[]> {
    return db
      .select()
      .from(fleetMaintenanceRecords)
      .where(eq(fleetMaintenanceRecords.vehicleId, vehicleId))
      .orderBy(desc(fleetMaintenanceRecords.performedOn), desc(fleetMaintenanceRecords.createdAt));
  },

  /** The window and its busy row; the exclusion constraint refuses it over a booking or another window. */
  async insertWindow(
    db: DbOrTx,
    w: Omit<MaintenanceWindowRow, 'id'>,
    busyUntil: Date,
  ): Promise<MaintenanceWindowRow> {
    const [row] = await db.insert(fleetMaintenanceWindows).values(w).returning();
    await db
      .insert(fleetBusy)
      .values({ vehicleId: w.vehicleId, startsAt: w.startAt, endsAt: busyUntil, maintenanceId: row!.id });
    return row!;
  },
  async deleteWindow(db: DbOrTx, vehicleId: string, id: string): Promise<MaintenanceWindowRow | undefined> {
    const [row] = await db
      .delete(fleetMaintenanceWindows)
      .where(and(eq(fleetMaintenanceWindows.id, id), eq(fleetMaintenanceWindows.vehicleId, vehicleId)))
      .returning();
    return row;
  },

  async insertPhoto(db: DbOrTx, p: Omit<PhotoRow, 'id'> & { id: string }): Promise<PhotoRow> {
    const [row] = await db.insert(fleetPhotos).values(p).returning();
    return row!;
  },
  async photo(db: DbOrTx, id: string): Promise<PhotoRow | undefined> {
    const [row] = await db.select().from(fleetPhotos).where(eq(fleetPhotos.id, id));
    return row;
  },
  async photos(db: DbOrTx, bookingId: string): Promise<PhotoRow[]> {
    return db.select().from(fleetPhotos).where(eq(fleetPhotos.bookingId, bookingId));
  },
  /** Catalogue photo ids per vehicle, oldest first. */
  async catalogue(db: DbOrTx, vehicleIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (vehicleIds.length === 0) return out;
    const rows = await db
      .select({ id: fleetPhotos.id, vehicleId: fleetPhotos.vehicleId })
      .from(fleetPhotos)
      .where(
        and(
          isNull(fleetPhotos.bookingId),
          sql`${fleetPhotos.vehicleId} = any(${`{${vehicleIds.join(',')}}`}::uuid[])`,
        ),
      )
      .orderBy(asc(fleetPhotos.createdAt), asc(fleetPhotos.id));
    for (const r of rows) out.set(r.vehicleId, [...(out.get(r.vehicleId) ?? []), r.id]);
    return out;
  },
};
