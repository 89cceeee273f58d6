import { join } from 'node:path';
import pino, { type DestinationStream, type Logger, type LoggerOptions, type StreamEntry } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config/load';

export type Loggers = {
  /** Application log; Fastify's request logger is a child of it. */
  app: Logger;
  /** Security events: logins, refresh-token reuse, denied permissions, rate limits, CSP reports. */
  security: Logger;
  /** Audit trail of changes people make to data. */
  audit: Logger;
  flush(): void;
};

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.totp',
  'password',
  'token',
  'secret',
];

/** Drizzle's "Failed query: … params: a,b" message and stack: the statement stays, its values go. */
const PARAMS_TAIL = /\nparams: [\s\S]*?(?=\n {4}at |$)/;

/**
 * Errors as pino serialises them, less the values bound to a failed statement: a query's parameters (token
 * hashes, names, e-mail addresses) and PostgreSQL's `detail`, which repeats the offending key's value.
 */
export function errWithoutValues(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown> | undefined;
  const scrub = (e: Record<string, unknown> | undefined) => {
    for (let cur = e, depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
      delete cur.params;
      delete cur.detail;
      delete cur.where;
      for (const key of ['message', 'stack'] as const) {
        if (typeof cur[key] === 'string')
          cur[key] = (cur[key] as string).replace(PARAMS_TAIL, '\nparams: [redacted]');
      }
      cur = cur.cause as Record<string, unknown> | undefined;
    }
  };
  scrub(out);
  return out;
}

function baseOptions(config: Config): LoggerOptions {
  return {
    level: config.log.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: errWithoutValues },
    base: { service: 'clockpilot', version: config.app.version },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
}

/**
 * Builds the three log channels. Everything goes to stdout (pretty on a terminal); with LOG_DIR each
 * channel also lands in its own file (app.log, security.log, audit.log), and errors of any channel
 * in error.log, so the audit trail is not mixed into the application log's retention.
 */
export function createLoggers(config: Config, stdout: DestinationStream = defaultStdout(config)): Loggers {
  const destinations: DestinationStream[] = [stdout];
  const file = (name: string) => {
    const dest = pino.destination({ dest: join(config.log.dir!, name), mkdir: true, sync: false });
    destinations.push(dest);
    return dest;
  };
  const errorFile = config.log.dir ? file('error.log') : undefined;

  const channel = (name: 'app' | 'security' | 'audit') => {
    const streams: StreamEntry[] = [{ stream: stdout, level: 'trace' }];
    if (errorFile)
      streams.push({ stream: file(`${name}.log`), level: 'trace' }, { stream: errorFile, level: 'error' });
    const opts = baseOptions(config);
    return pino({ ...opts, base: { ...opts.base, channel: name } }, pino.multistream(streams));
  };

  return {
    app: channel('app'),
    security: channel('security'),
    audit: channel('audit'),
    flush: () => {
      for (const dest of destinations) {
        try {
          (dest as { flushSync?: () => void }).flushSync?.();
        } catch {
          // A file still opening cannot be flushed synchronously; it writes its buffer once open.
        }
      }
    },
  };
}

function defaultStdout(config: Config): DestinationStream {
  if (process.stdout.isTTY && config.app.mode !== 'production') {
    return pretty({
      colorize: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,service,version',
    });
  }
  return pino.destination({ dest: 1, sync: false });
}
