import {
  ZAssignment,
  ZAssignmentCreate,
  ZAssignmentListQuery,
  ZAssignmentPage,
  ZAssignmentUpdate,
  ZDeliverable,
  ZDeliverableCreate,
  ZDeliverableListQuery,
  ZDeliverablePage,
  ZDeliverableUpdate,
  ZDeliverableUpdated,
  ZHoliday,
  ZHolidayCreate,
  ZHolidayListQuery,
  ZHolidayPage,
  ZHolidayUpdate,
  ZIdParams,
  ZReallocationUndo,
  ZReallocationUndone,
  ZTimeOff,
  ZTimeOffCreate,
  ZTimeOffListQuery,
  ZTimeOffPage,
  ZTimeOffUpdate,
  ZUtilisation,
  ZUtilisationQuery,
  ZWeeklyHours,
  ZWeeklyHoursPut,
  ZWeeklyHoursPutQuery,
} from '@clockpilot/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/audit';
import { principalOf } from '../../platform/auth';
import { sendEncoded } from '../../platform/encoded-reply';
import { AppError } from '../../platform/errors';
import type { PlanningServices } from '.';

const tags = ['planning'];
const read = { permission: 'planning:read' } as const;
const manage = { permission: 'planning:manage' } as const;

/** `If-Match: "7"` (or W/"7", or 7) as a version; anything else is a 400 naming the header. */
function ifMatch(req: FastifyRequest): number | undefined {
  const raw = req.headers['if-match'];
  if (raw === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(String(raw).trim());
  if (!m) {
    throw new AppError('validation_failed', 'If-Match must be the ETag of the hours grid', {
      errors: [{ path: 'headers.if-match', message: 'Expected an ETag such as "3"' }],
    });
  }
  return Number(m[1]);
}

/** Under the module prefix `/api/v1/planning`. */
export async function planningRoutes(app: FastifyInstance, s: PlanningServices) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const p = principalOf;

  // ---------- deliverables ----------
  r.get(
    '/deliverables',
    {
      config: read,
      schema: { tags, querystring: ZDeliverableListQuery, response: { 200: ZDeliverablePage } },
    },
    async (req) => s.deliverables.list(req.query),
  );
  r.post(
    '/deliverables',
    { config: manage, schema: { tags, body: ZDeliverableCreate, response: { 201: ZDeliverable } } },
    async (req, reply) => reply.status(201).send(await s.deliverables.create(p(req), actorOf(req), req.body)),
  );
  r.get(
    '/deliverables/:id',
    { config: read, schema: { tags, params: ZIdParams, response: { 200: ZDeliverable } } },
    async (req) => s.deliverables.get(req.params.id),
  );
  r.patch(
    '/deliverables/:id',
    {
      config: manage,
      schema: { tags, params: ZIdParams, body: ZDeliverableUpdate, response: { 200: ZDeliverableUpdated } },
    },
    async (req, reply) => {
      const { json } = await s.deliverables.update(p(req), actorOf(req), req.params.id, req.body);
      // Already the answer's JSON (its reallocation summary serialised once, for the audit record too):
      // a JSON string is sent as it is, not serialised again.
      return (reply as FastifyReply).type('application/json; charset=utf-8').send(json);
    },
  );
  r.delete(
    '/deliverables/:id',
    { config: manage, schema: { tags, params: ZIdParams } },
    async (req, reply) => {
      await s.deliverables.remove(p(req), actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
  r.post(
    '/deliverables/:id/reallocation/undo',
    {
      config: manage,
      schema: { tags, params: ZIdParams, body: ZReallocationUndo, response: { 200: ZReallocationUndone } },
    },
    async (req) => s.reallocation.undo(actorOf(req), req.params.id, req.body),
  );

  // ---------- assignments and their weekly hours ----------
  r.get(
    '/assignments',
    { config: read, schema: { tags, querystring: ZAssignmentListQuery, response: { 200: ZAssignmentPage } } },
    async (req) => s.assignments.list(p(req), req.query),
  );
  r.post(
    '/assignments',
    { config: manage, schema: { tags, body: ZAssignmentCreate, response: { 201: ZAssignment } } },
    async (req, reply) => reply.status(201).send(await s.assignments.create(p(req), actorOf(req), req.body)),
  );
  r.get(
    '/assignments/:id',
    { config: read, schema: { tags, params: ZIdParams, response: { 200: ZAssignment } } },
    async (req) => s.assignments.get(p(req), req.params.id),
  );
  r.patch(
    '/assignments/:id',
    {
      config: manage,
      schema: { tags, params: ZIdParams, body: ZAssignmentUpdate, response: { 200: ZAssignment } },
    },
    async (req) => s.assignments.update(p(req), actorOf(req), req.params.id, req.body),
  );
  r.delete(
    '/assignments/:id',
    { config: manage, schema: { tags, params: ZIdParams } },
    async (req, reply) => {
      await s.assignments.remove(p(req), actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
  r.get(
    '/assignments/:id/hours',
    {
      config: read,
      schema: { tags, params: ZIdParams, querystring: ZWeeklyHoursPutQuery, response: { 200: ZWeeklyHours } },
    },
    async (req, reply) => {
      const grid = await s.assignments.hours(p(req), req.params.id, req.query);
      return reply.header('etag', `"${grid.version}"`).send(grid);
    },
  );
  r.put(
    '/assignments/:id/hours',
    {
      config: manage,
      schema: {
        tags,
        params: ZIdParams,
        querystring: ZWeeklyHoursPutQuery,
        body: ZWeeklyHoursPut,
        response: { 200: ZWeeklyHours },
      },
    },
    async (req, reply) => {
      const grid = await s.assignments.putHours(
        p(req),
        actorOf(req),
        req.params.id,
        req.query,
        req.body,
        ifMatch(req),
      );
      return reply.header('etag', `"${grid.version}"`).send(grid);
    },
  );

  // ---------- time off and holidays ----------
  r.get(
    '/time-off',
    { config: read, schema: { tags, querystring: ZTimeOffListQuery, response: { 200: ZTimeOffPage } } },
    async (req) => s.calendar.listTimeOff(p(req), req.query),
  );
  r.post(
    '/time-off',
    { config: manage, schema: { tags, body: ZTimeOffCreate, response: { 201: ZTimeOff } } },
    async (req, reply) =>
      reply.status(201).send(await s.calendar.createTimeOff(p(req), actorOf(req), req.body)),
  );
  r.get(
    '/time-off/:id',
    { config: read, schema: { tags, params: ZIdParams, response: { 200: ZTimeOff } } },
    async (req) => s.calendar.getTimeOff(p(req), req.params.id),
  );
  r.patch(
    '/time-off/:id',
    {
      config: manage,
      schema: { tags, params: ZIdParams, body: ZTimeOffUpdate, response: { 200: ZTimeOff } },
    },
    async (req) => s.calendar.updateTimeOff(p(req), actorOf(req), req.params.id, req.body),
  );
  r.delete('/time-off/:id', { config: manage, schema: { tags, params: ZIdParams } }, async (req, reply) => {
    await s.calendar.removeTimeOff(p(req), actorOf(req), req.params.id);
    return reply.status(204).send();
  });
  r.get(
    '/holidays',
    { config: read, schema: { tags, querystring: ZHolidayListQuery, response: { 200: ZHolidayPage } } },
    async (req) => s.calendar.listHolidays(req.query),
  );
  r.post(
    '/holidays',
    { config: manage, schema: { tags, body: ZHolidayCreate, response: { 201: ZHoliday } } },
    async (req, reply) =>
      reply.status(201).send(await s.calendar.createHoliday(p(req), actorOf(req), req.body)),
  );
  r.get(
    '/holidays/:id',
    { config: read, schema: { tags, params: ZIdParams, response: { 200: ZHoliday } } },
    async (req) => s.calendar.getHoliday(req.params.id),
  );
  r.patch(
    '/holidays/:id',
    {
      config: manage,
      schema: { tags, params: ZIdParams, body: ZHolidayUpdate, response: { 200: ZHoliday } },
    },
    async (req) => s.calendar.updateHoliday(p(req), actorOf(req), req.params.id, req.body),
  );
  r.delete('/holidays/:id', { config: manage, schema: { tags, params: ZIdParams } }, async (req, reply) => {
    await s.calendar.removeHoliday(p(req), actorOf(req), req.params.id);
    return reply.status(204).send();
  });

  // ---------- utilisation ----------
  r.get(
    '/utilisation',
    { config: manage, schema: { tags, querystring: ZUtilisationQuery, response: { 200: ZUtilisation } } },
    async (req, reply) => {
      const { json, cache } = await s.utilisation.utilisation(req.query);
      // Already JSON bytes (from the cache or just made), sent as they are or in their kept compressed form.
      reply
        .header('x-cache', cache)
        .header('server-timing', `app;dur=${reply.elapsedTime.toFixed(1)}`)
        .type('application/json; charset=utf-8');
      return sendEncoded(json, req, reply);
    },
  );
}
