import {
  ZApprovalPage,
  ZApprovalQuery,
  ZBulkApproveBody,
  ZBulkApproveResult,
  ZClockInBody,
  ZClockStatus,
  ZCopyWeekBody,
  ZCopyWeekResult,
  ZIdParams,
  ZPresence,
  ZReturnedWeeks,
  ZTimeEntry,
  ZTimeEntryCreate,
  ZTimeEntryListQuery,
  ZTimeEntryPage,
  ZTimeEntryUpdate,
  ZTimeExportQuery,
  ZTimeLock,
  ZTimeLockCreate,
  ZTimeLockList,
  ZTimeReport,
  ZTimeReportQuery,
  ZTimeSettings,
  ZTimeSettingsBody,
  ZTimesheet,
  ZTimesheetAction,
  ZTimesheetGridBody,
  ZTimesheetQuery,
  ZTimesheetReject,
  ZTimesheetReopen,
} from '@clockpilot/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/audit';
import { principalOf } from '../../platform/auth';
import type { TimeServices } from '.';

const tags = ['time'];

/** Under the module prefix `/api/v1/time`. */
export async function timeRoutes(app: FastifyInstance, s: TimeServices) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const track = { permission: 'time:track' } as const;
  const approve = { permission: 'time:approve' } as const;

  // ---------- clock ----------
  r.post(
    '/clock-in',
    { config: track, schema: { tags, body: ZClockInBody, response: { 201: ZTimeEntry } } },
    async (req, reply) => reply.status(201).send(await s.clock.clockIn(principalOf(req), req.body)),
  );
  r.post('/clock-out', { config: track, schema: { tags, response: { 200: ZTimeEntry } } }, async (req) =>
    s.clock.clockOut(principalOf(req)),
  );
  r.post('/break/start', { config: track, schema: { tags, response: { 200: ZTimeEntry } } }, async (req) =>
    s.clock.startBreak(principalOf(req)),
  );
  r.post('/break/end', { config: track, schema: { tags, response: { 200: ZTimeEntry } } }, async (req) =>
    s.clock.endBreak(principalOf(req)),
  );
  r.get('/status', { config: track, schema: { tags, response: { 200: ZClockStatus } } }, async (req) =>
    s.clock.status(principalOf(req)),
  );

  // ---------- entries ----------
  r.get(
    '/entries',
    { config: track, schema: { tags, querystring: ZTimeEntryListQuery, response: { 200: ZTimeEntryPage } } },
    async (req) => s.entries.list(principalOf(req), req.query),
  );
  r.post(
    '/entries',
    { config: track, schema: { tags, body: ZTimeEntryCreate, response: { 201: ZTimeEntry } } },
    async (req, reply) =>
      reply.status(201).send(await s.entries.create(principalOf(req), actorOf(req), req.body)),
  );
  r.get(
    '/entries/:id',
    { config: track, schema: { tags, params: ZIdParams, response: { 200: ZTimeEntry } } },
    async (req) => s.entries.get(principalOf(req), req.params.id),
  );
  r.patch(
    '/entries/:id',
    {
      config: track,
      schema: { tags, params: ZIdParams, body: ZTimeEntryUpdate, response: { 200: ZTimeEntry } },
    },
    async (req) => s.entries.update(principalOf(req), actorOf(req), req.params.id, req.body),
  );
  r.delete('/entries/:id', { config: track, schema: { tags, params: ZIdParams } }, async (req, reply) => {
    await s.entries.remove(principalOf(req), actorOf(req), req.params.id);
    return reply.status(204).send();
  });

  // ---------- timesheets and approvals ----------
  r.get(
    '/timesheets',
    { config: track, schema: { tags, querystring: ZTimesheetQuery, response: { 200: ZTimesheet } } },
    async (req) => s.timesheets.get(principalOf(req), req.query),
  );
  r.get(
    '/timesheets/returned',
    { config: track, schema: { tags, response: { 200: ZReturnedWeeks } } },
    async (req) => s.timesheets.returned(principalOf(req)),
  );
  // The transitions differ only in who may take them and what the body carries.
  const transitions = [
    ['submit', track, ZTimesheetAction],
    ['withdraw', track, ZTimesheetAction],
    ['approve', approve, ZTimesheetAction],
    ['reject', approve, ZTimesheetReject],
    ['reopen', approve, ZTimesheetReopen],
  ] as const;
  for (const [action, { permission }, body] of transitions) {
    r.post(
      `/timesheets/${action}`,
      { config: { permission }, schema: { tags, body, response: { 200: ZTimesheet } } },
      async (req) => s.timesheets.transition(principalOf(req), actorOf(req), action, req.body),
    );
  }
  r.post(
    '/timesheets/copy-previous',
    { config: track, schema: { tags, body: ZCopyWeekBody, response: { 200: ZCopyWeekResult } } },
    async (req) => s.copyWeek.copyPreviousWeek(principalOf(req), actorOf(req), req.body),
  );
  r.put(
    '/timesheets/grid',
    { config: track, schema: { tags, body: ZTimesheetGridBody, response: { 200: ZTimesheet } } },
    async (req) => s.grid.save(principalOf(req), actorOf(req), req.body),
  );
  r.get(
    '/approvals',
    {
      config: approve,
      schema: { tags, querystring: ZApprovalQuery, response: { 200: ZApprovalPage } },
    },
    async (req) => s.timesheets.queue(principalOf(req), req.query),
  );
  r.post(
    '/approvals/approve',
    {
      config: approve,
      schema: { tags, body: ZBulkApproveBody, response: { 200: ZBulkApproveResult } },
    },
    async (req) => s.timesheets.bulkApprove(principalOf(req), actorOf(req), req.body.ids),
  );

  // ---------- locks and settings ----------
  r.get('/locks', { config: track, schema: { tags, response: { 200: ZTimeLockList } } }, async () =>
    s.admin.locks(),
  );
  r.post(
    '/locks',
    {
      config: { permission: 'time:lock' },
      schema: { tags, body: ZTimeLockCreate, response: { 201: ZTimeLock } },
    },
    async (req, reply) => reply.status(201).send(await s.admin.lock(actorOf(req), req.body)),
  );
  r.delete(
    '/locks/:id',
    {
      config: { permission: 'time:lock' },
      schema: { tags, params: ZIdParams, response: { 200: ZTimeLock } },
    },
    async (req) => s.admin.unlock(actorOf(req), req.params.id),
  );
  r.get(
    '/settings',
    { config: { permission: 'time:settings' }, schema: { tags, response: { 200: ZTimeSettings } } },
    async () => s.admin.settings(),
  );
  r.put(
    '/settings',
    {
      config: { permission: 'time:settings' },
      schema: { tags, body: ZTimeSettingsBody, response: { 200: ZTimeSettings } },
    },
    async (req) => s.admin.updateSettings(actorOf(req), req.body),
  );

  // ---------- reports, exports, presence ----------
  r.get(
    '/reports/summary',
    {
      config: { permission: 'reports:read' },
      schema: { tags, querystring: ZTimeReportQuery, response: { 200: ZTimeReport } },
    },
    async (req) => s.reports.summary(principalOf(req), req.query),
  );
  r.get(
    '/exports',
    { config: { permission: 'reports:read' }, schema: { tags, querystring: ZTimeExportQuery } },
    async (req, reply) => {
      const file = await s.reports.export(principalOf(req), req.query);
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .send(file.stream);
    },
  );
  r.get(
    '/presence',
    { config: { permission: 'time:read_team' }, schema: { tags, response: { 200: ZPresence } } },
    async (req) => s.reports.presence(principalOf(req)),
  );
}
