import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { TPhoto } from '@clockpilot/contracts';
import { type Actor, recordAudit } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import { AppError, notFound } from '../../platform/errors';
import { bookingsRepo } from './bookings.repo';
import type { FleetPolicy } from './fleet.policy';
import type { PhotoRow } from './fleet.tables';
import { vehiclesRepo } from './vehicles.repo';

export type PhotosService = ReturnType<typeof createPhotosService>;

/** The image types accepted, recognised by their first bytes, never by the name or the declared type. */
export function sniffImage(b: Buffer): PhotoRow['contentType'] | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (
    b.length >= 8 &&
    b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  ) {
    return 'image/png';
  }
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') {
    return 'image/webp';
  }
  return null;
}

const toPhoto = (p: PhotoRow): TPhoto => ({
  id: p.id,
  vehicleId: p.vehicleId,
  bookingId: p.bookingId,
  angle: p.angle,
  contentType: p.contentType,
  bytes: p.bytes,
  createdAt: p.createdAt.toISOString(),
});

/**
 * Vehicle and hand-over photos. Files live under DATA_DIR (never under the web root), named by id
 * only, and are served through an authorised route with their recorded type.
 */
export function createPhotosService(ctx: AppContext, policy: FleetPolicy) {
  const dir = resolve(ctx.config.database.dataDir, 'fleet-photos');
  const pathOf = (id: string) => join(dir, id);

  async function store(
    actor: Actor,
    data: Buffer,
    row: Omit<PhotoRow, 'id' | 'contentType' | 'bytes' | 'sha256' | 'createdBy' | 'createdAt'>,
  ) {
    const contentType = sniffImage(data);
    if (!contentType) {
      throw new AppError('unsupported_media_type', 'Only JPEG, PNG or WebP images are accepted');
    }
    const id = randomUUID();
    await mkdir(dir, { recursive: true });
    await writeFile(pathOf(id), data, { flag: 'wx', mode: 0o600 });
    try {
      const photo = await ctx.db.transaction(async (tx) => {
        const p = await vehiclesRepo.insertPhoto(tx, {
          ...row,
          id,
          contentType,
          bytes: data.length,
          sha256: createHash('sha256').update(data).digest('hex'),
          createdBy: actor.userId,
          createdAt: ctx.clock.now(),
        });
        await recordAudit(tx, actor, {
          action: 'fleet.photo.uploaded',
          entityType: 'vehicle',
          entityId: row.vehicleId,
          after: p,
        });
        return p;
      });
      return toPhoto(photo);
    } catch (err) {
      await unlink(pathOf(id)).catch(() => {});
      throw err;
    }
  }

  return {
    /** A catalogue photo of a vehicle. */
    async addVehiclePhoto(actor: Actor, vehicleId: string, data: Buffer): Promise<TPhoto> {
      if (!(await vehiclesRepo.byId(ctx.db, vehicleId))) throw notFound('Vehicle');
      return store(actor, data, { vehicleId, bookingId: null, angle: null });
    },

    /** A check-out or return photo of one angle, taken by staff at the counter. */
    async addHandoverPhoto(
      actor: Actor,
      bookingId: string,
      angle: NonNullable<PhotoRow['angle']>,
      data: Buffer,
    ): Promise<TPhoto> {
      const b = await bookingsRepo.byId(ctx.db, bookingId);
      if (!b) throw notFound('Booking');
      if (!['confirmed', 'checked_out'].includes(b.state)) {
        throw new AppError('conflict', `Photos are taken at check-out or return; the booking is ${b.state}`);
      }
      return store(actor, data, { vehicleId: b.vehicleId, bookingId, angle });
    },

    /** The file of a photo the caller may see: catalogue photos to everyone who may book. */
    async open(p: Principal, id: string) {
      const photo = await vehiclesRepo.photo(ctx.db, id);
      if (!photo) throw notFound('Photo');
      if (photo.bookingId)
        await policy.booking(p, photo.bookingId).catch(() => Promise.reject(notFound('Photo')));
      return { photo, stream: () => createReadStream(pathOf(photo.id)) };
    },
  };
}
