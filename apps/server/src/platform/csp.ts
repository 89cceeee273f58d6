import { ZCspReportBody } from '@clockpilot/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from './context';
import { AppError } from './errors';
import { clientKey, type TooManyRequests } from './rate-limit';
import type { Counters } from './rate-limit-counters';

/** The Reporting API group (`report-to`) of CSP violations; `Reporting-Endpoints` maps it to CSP_REPORT_URI. */
export const CSP_REPORT_GROUP = 'csp';

/** Reports per IP per minute; a page with a broken policy sends one per violation. */
const CSP_REPORTS_PER_MINUTE = 30;

/**
 * Browsers post CSP violations here (`report-uri` sends application/csp-report, the Reporting API's
 * `report-to` application/reports+json). Each lands in the security log.
 */
export async function cspReports(
  app: FastifyInstance,
  ctx: AppContext,
  counters: Counters,
  tooManyRequests: TooManyRequests,
) {
  app.addContentTypeParser(
    ['application/csp-report', 'application/reports+json'],
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new AppError('invalid_json', 'The report is not valid JSON'));
      }
    },
  );
  app.withTypeProvider<ZodTypeProvider>().post(
    ctx.config.security.cspReportUri,
    {
      config: { public: true },
      schema: { body: ZCspReportBody, hide: true },
      preHandler: async (request) => {
        const limit = {
          limit: CSP_REPORTS_PER_MINUTE,
          hit: await counters.hit(`csp:${clientKey(request.ip)}`, 60_000),
        };
        if (limit.hit.count > limit.limit) throw tooManyRequests(request, 'csp_report', limit);
      },
    },
    async (request, reply) => {
      const reports = Array.isArray(request.body)
        ? request.body.map((r) => ({ type: r.type, url: r.url, ...r.body }))
        : [request.body['csp-report']];
      for (const report of reports) {
        ctx.metrics.securityEvents.inc({ type: 'csp_violation' });
        ctx.log.security.warn(
          { event: 'csp_violation', reqId: request.id, ip: request.ip, report },
          'content security policy violation',
        );
      }
      return reply.status(204).send();
    },
  );
}
