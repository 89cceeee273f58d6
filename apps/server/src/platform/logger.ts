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

function baseOptions(config: Config): LoggerOptions {
  return {
    level: config.log.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'clockpilot', version: config.app.version },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
}

/**
 * Builds the three log channels. Everything goes to stdout (pretty on a terminal); with LOG_DIR
 * each channel also lands in its own file, and errors of any channel in error.log.
 */
export function createLoggers(config: Config, stdout: DestinationStream = defaultStdout(config)): Loggers {
  const files: ReturnType<typeof pino.destination>[] = [];
  const file = (name: string) => {
    const dest = pino.destination({ dest: join(config.log.dir!, name), mkdir: true, sync: false });
    files.push(dest);
    return dest;
  };
  const appFile = config.log.dir ? file('app.log') : undefined;
  const errorFile = config.log.dir ? file('error.log') : undefined;

  const channel = (name: 'app' | 'security' | 'audit') => {
    const streams: StreamEntry[] = [{ stream: stdout, level: 'trace' }];
    if (appFile && errorFile) {
      streams.push({ stream: appFile, level: 'trace' }, { stream: errorFile, level: 'error' });
      if (name !== 'app') streams.push({ stream: file(`${name}.log`), level: 'trace' });
    }
    const opts = baseOptions(config);
    return pino({ ...opts, base: { ...opts.base, channel: name } }, pino.multistream(streams));
  };

  return {
    app: channel('app'),
    security: channel('security'),
    audit: channel('audit'),
    flush: () => {
      for (const f of files) f.flushSync();
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
