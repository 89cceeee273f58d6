import {
  ZAvailability,
  ZAvailabilityQuery,
  ZBooking,
  ZBookingCreate,
  ZBookingListQuery,
  ZBookingPage,
  ZBookingParams,
  ZCalendar,
  ZCalendarQuery,
  ZCancelBody,
  ZCheckoutBody,
  ZFleetDashboard,
  ZFleetDashboardQuery,
  ZIdParams,
  ZMaintenanceRecord,
  ZMaintenanceRecordCreate,
  ZMaintenanceRecordList,
  ZMaintenanceWindow,
  ZMaintenanceWindowCreate,
  ZPhoto,
  ZPhotoUploadQuery,
  ZReturnBody,
  ZTimeline,
  ZTimelineQuery,
  ZVehicle,
  ZVehicleChildParams,
  ZVehicleCreate,
  ZVehicleListQuery,
  ZVehiclePage,
  ZVehicleParams,
  ZVehicleUpdate,
} from '@clockpilot/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/audit';
import { principalOf } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import { AppError } from '../../platform/errors';
import type { FleetServices } from '.';

const tags = ['fleet'];

/** The one uploaded file of a multipart request, read up to the size limit. */
async function upload(req: FastifyRequest): Promise<Buffer> {
  if (!req.isMultipart())
    throw new AppError('unsupported_media_type', 'Send the photo as multipart/form-data');
  const file = await req.file();
  if (!file)
    throw new AppError('validation_failed', 'No file in the request', {
      errors: [{ path: 'body.file', message: 'Required' }],
    });
  try {
    return await file.toBuffer();
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('payload_too_large', 'The photo is larger than allowed');
    }
    throw err;
  }
}

/** Under the module prefix `/api/v1/fleet`. */
export async function fleetRoutes(app: FastifyInstance, s: FleetServices, ctx: AppContext) {
  // Loaded here, not at the top: the CLI builds this module without routes and never loads the HTTP stack.
  const { default: multipart } = await import('@fastify/multipart');
  await app.register(multipart, {
    limits: { fileSize: ctx.config.fleet.photoMaxBytes, files: 1, fields: 5, parts: 6 },
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const book = { permission: 'fleet:book' } as const;
  const manage = { permission: 'fleet:manage' } as const;

  // ---------- vehicles and maintenance ----------
  r.get(
    '/vehicles',
    { config: book, schema: { tags, querystring: ZVehicleListQuery, response: { 200: ZVehiclePage } } },
    async (req) => s.vehicles.list(req.query),
  );
  r.post(
    '/vehicles',
    { config: manage, schema: { tags, body: ZVehicleCreate, response: { 201: ZVehicle } } },
    async (req, reply) => reply.status(201).send(await s.vehicles.create(actorOf(req), req.body)),
  );
  r.get(
    '/vehicles/:vehicleId',
    { config: book, schema: { tags, params: ZVehicleParams, response: { 200: ZVehicle } } },
    async (req) => s.vehicles.get(req.params.vehicleId),
  );
  r.patch(
    '/vehicles/:vehicleId',
    {
      config: manage,
      schema: { tags, params: ZVehicleParams, body: ZVehicleUpdate, response: { 200: ZVehicle } },
    },
    async (req) => s.vehicles.update(actorOf(req), req.params.vehicleId, req.body),
  );
  r.get(
    '/vehicles/:vehicleId/calendar',
    {
      config: manage,
      schema: { tags, params: ZVehicleParams, querystring: ZCalendarQuery, response: { 200: ZCalendar } },
    },
    async (req) =>
      s.vehicles.calendar(req.params.vehicleId, new Date(req.query.from), new Date(req.query.to)),
  );
  r.get(
    '/vehicles/:vehicleId/maintenance',
    { config: manage, schema: { tags, params: ZVehicleParams, response: { 200: ZMaintenanceRecordList } } },
    async (req) => s.vehicles.records(req.params.vehicleId),
  );
  r.post(
    '/vehicles/:vehicleId/maintenance',
    {
      config: manage,
      schema: {
        tags,
        params: ZVehicleParams,
        body: ZMaintenanceRecordCreate,
        response: { 201: ZMaintenanceRecord },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await s.vehicles.addRecord(actorOf(req), req.params.vehicleId, req.body)),
  );
  r.post(
    '/vehicles/:vehicleId/maintenance-windows',
    {
      config: manage,
      schema: {
        tags,
        params: ZVehicleParams,
        body: ZMaintenanceWindowCreate,
        response: { 201: ZMaintenanceWindow },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await s.vehicles.addWindow(actorOf(req), req.params.vehicleId, req.body)),
  );
  r.delete(
    '/vehicles/:vehicleId/maintenance-windows/:id',
    { config: manage, schema: { tags, params: ZVehicleChildParams } },
    async (req, reply) => {
      await s.vehicles.removeWindow(actorOf(req), req.params.vehicleId, req.params.id);
      return reply.status(204).send();
    },
  );

  // ---------- operations (staff) ----------
  r.get(
    '/dashboard',
    {
      config: manage,
      schema: { tags, querystring: ZFleetDashboardQuery, response: { 200: ZFleetDashboard } },
    },
    async (req) => s.ops.dashboard(req.query),
  );
  r.get(
    '/timeline',
    { config: manage, schema: { tags, querystring: ZTimelineQuery, response: { 200: ZTimeline } } },
    async (req) => s.ops.timeline(req.query),
  );

  // ---------- photos ----------
  r.post(
    '/vehicles/:vehicleId/photos',
    { config: manage, schema: { tags, params: ZVehicleParams, response: { 201: ZPhoto } } },
    async (req, reply) =>
      reply
        .status(201)
        .send(await s.photos.addVehiclePhoto(actorOf(req), req.params.vehicleId, await upload(req))),
  );
  r.post(
    '/bookings/:id/photos',
    {
      config: manage,
      schema: {
        tags,
        params: ZBookingParams,
        querystring: ZPhotoUploadQuery.required(),
        response: { 201: ZPhoto },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await s.photos.addHandoverPhoto(actorOf(req), req.params.id, req.query.angle, await upload(req)),
        ),
  );
  r.get('/photos/:id', { config: book, schema: { tags, params: ZIdParams } }, async (req, reply) => {
    const { photo, stream } = await s.photos.open(principalOf(req), req.params.id);
    return (
      reply
        .type(photo.contentType)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline')
        .header('content-security-policy', "default-src 'none'")
        // Authorised content: browsers may keep it, shared caches may not. Photos never change.
        .header('cache-control', 'private, max-age=86400, immutable')
        .header('etag', `"${photo.sha256}"`)
        .send(stream())
    );
  });

  // ---------- availability and bookings ----------
  r.get(
    '/availability',
    { config: book, schema: { tags, querystring: ZAvailabilityQuery, response: { 200: ZAvailability } } },
    async (req) => s.vehicles.availability(req.query),
  );
  r.get(
    '/bookings',
    { config: book, schema: { tags, querystring: ZBookingListQuery, response: { 200: ZBookingPage } } },
    async (req) => s.bookings.list(principalOf(req), req.query),
  );
  r.post(
    '/bookings',
    { config: book, schema: { tags, body: ZBookingCreate, response: { 201: ZBooking } } },
    async (req, reply) =>
      reply.status(201).send(await s.bookings.create(principalOf(req), actorOf(req), req.body)),
  );
  r.get(
    '/bookings/:id',
    { config: book, schema: { tags, params: ZBookingParams, response: { 200: ZBooking } } },
    async (req) => s.bookings.get(principalOf(req), req.params.id),
  );
  r.post(
    '/bookings/:id/confirm',
    { config: book, schema: { tags, params: ZBookingParams, response: { 200: ZBooking } } },
    async (req) => s.bookings.confirm(principalOf(req), actorOf(req), req.params.id),
  );
  r.post(
    '/bookings/:id/cancel',
    {
      config: book,
      schema: { tags, params: ZBookingParams, body: ZCancelBody.nullish(), response: { 200: ZBooking } },
    },
    async (req) => s.bookings.cancel(principalOf(req), actorOf(req), req.params.id, req.body?.reason),
  );
  r.post(
    '/bookings/:id/no-show',
    { config: manage, schema: { tags, params: ZBookingParams, response: { 200: ZBooking } } },
    async (req) => s.bookings.noShow(actorOf(req), req.params.id),
  );
  r.post(
    '/bookings/:id/checkout',
    {
      config: manage,
      schema: { tags, params: ZBookingParams, body: ZCheckoutBody, response: { 200: ZBooking } },
    },
    async (req) => s.handover.checkout(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/bookings/:id/return',
    {
      config: manage,
      schema: { tags, params: ZBookingParams, body: ZReturnBody, response: { 200: ZBooking } },
    },
    async (req) => s.handover.return(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/bookings/:id/settle',
    { config: manage, schema: { tags, params: ZBookingParams, response: { 200: ZBooking } } },
    async (req) => s.handover.settle(actorOf(req), req.params.id),
  );
}
