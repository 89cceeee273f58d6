import * as Sentry from '@sentry/node';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config/load';

/**
 * Error reporting to Sentry (SENTRY_DSN): unhandled errors of the process and every 5xx answer, with
 * the request id, route, release and environment. Nothing of the request itself is sent: no body,
 * query string, cookies, headers or user, and the SDK collects no personal data of its own (its default of sending none is kept).
 */
export function initErrorReporting(config: Config): boolean {
  const dsn = config.observability.sentryDsn;
  if (!dsn || Sentry.isInitialized()) return Sentry.isInitialized();
  Sentry.initWithoutDefaultIntegrations({
    dsn,
    release: `clockpilot@${config.app.version}`,
    environment: config.app.mode,
    tracesSampleRate: 0,
    integrations: [
      Sentry.onUncaughtExceptionIntegration(),
      Sentry.onUnhandledRejectionIntegration({ mode: 'warn' }),
      Sentry.linkedErrorsIntegration(),
      Sentry.dedupeIntegration(),
    ],
    beforeSend: scrub,
    beforeBreadcrumb: () => null,
  });
  return true;
}

/** Keeps only what identifies the failure; the request and user parts of an event are dropped. */
function scrub<E extends Sentry.Event>(event: E): E {
  if (event.request) event.request = { method: event.request.method };
  delete event.user;
  delete event.extra;
  delete event.breadcrumbs;
  return event;
}

const routeOf = (request: FastifyRequest) => request.routeOptions.url ?? 'unmatched';

/** Reports every error that ends in a 5xx answer, and sends what is still queued when the app closes. */
export function reportServerErrors(app: FastifyInstance) {
  if (!Sentry.isInitialized()) return;
  // Shutdown (SIGTERM, a fatal error, a failed start) closes the app: the last reports must not be lost.
  app.addHook('onClose', async () => {
    await flushErrorReports();
  });
  app.addHook('onError', async (request, _reply, error) => {
    const e = error as { status?: number; statusCode?: number };
    const status = e.status ?? e.statusCode ?? 500;
    if (status < 500) return;
    Sentry.withScope((scope) => {
      scope.setTag('request_id', request.id);
      scope.setTag('route', routeOf(request));
      scope.setTag('method', request.method);
      scope.setTag('status', String(status));
      scope.setContext('request', { id: request.id, route: routeOf(request), method: request.method });
      Sentry.captureException(error);
    });
  });
}

/** Sends what is queued before the process exits. */
export const flushErrorReports = (timeoutMs = 2000) =>
  Sentry.isInitialized() ? Sentry.flush(timeoutMs) : Promise.resolve(true);
