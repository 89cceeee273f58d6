import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilent, Logger } from 'pino';

type Level = Exclude<LevelWithSilent, 'silent'>;
type LogArgs = Parameters<FastifyBaseLogger['info']>;

/**
 * Fastify's per-request logger, made only when the request logs at a level that is on: building a
 * pino child (its bindings serialised and redacted) cost every request a few per cent of its CPU,
 * while at the usual level (warn) almost none of them ever logs. The child is pino's own, so a line
 * carries the request id and the redaction exactly as before.
 */
class RequestLogger {
  #child: FastifyBaseLogger | undefined;
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  constructor(parent: Logger, bindings: Bindings) {
    this.#parent = parent;
    this.#bindings = bindings;
  }
  get level() {
    return this.#child?.level ?? this.#parent.level;
  }
  /** A level of its own for this request: from here on the request logs through a real child. */
  set level(level: string) {
    this.real().level = level;
  }
  child(bindings: Bindings, options?: ChildLoggerOptions) {
    return this.real().child(bindings, options);
  }
  silent() {}
  /** A line at `level` (the level methods below call it). */
  write(level: Level, args: LogArgs) {
    if (this.#child) this.#child[level](...args);
    else if (this.#parent.isLevelEnabled(level)) this.real()[level](...args);
  }
  private real() {
    this.#child ??= this.#parent.child(this.#bindings);
    return this.#child;
  }
}
// The level methods (`info(...)` and the others), on the prototype: nothing is allocated per request for them.
for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const) {
  (RequestLogger.prototype as unknown as Record<Level, unknown>)[level] = function (
    this: RequestLogger,
    ...args: LogArgs
  ) {
    this.write(level, args);
  };
}

/**
 * Fastify's `childLoggerFactory`: a lazy child of the pino logger, unless the route asks for a level or
 * serialisers of its own.
 */
export function requestLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  const pinoLogger = logger as Logger;
  if (Object.keys(options).length > 0 || typeof pinoLogger.isLevelEnabled !== 'function') {
    return logger.child(bindings, options);
  }
  return new RequestLogger(pinoLogger, bindings) as unknown as FastifyBaseLogger;
}
