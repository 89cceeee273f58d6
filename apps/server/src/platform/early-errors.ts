import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { problem } from './errors';
import { errorHandler } from './http-errors';

/**
 * The headers every answer carries when no hook ran: the request was refused before routing, so
 * helmet's own hook never saw it.
 */
const BARE_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** Fastify's `frameworkErrors`: a URL it cannot route (bad encoding, too long a parameter) as problem+json. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.headers(BARE_HEADERS);
  return errorHandler(error, request, reply);
}

const CLIENT_ERROR_STATUS: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/**
 * Node's HTTP parser refusing a request (headers too large, malformed request line): answered as
 * problem+json with the usual headers, never repeating what was sent.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket) {
  if (!socket.writable) return socket.destroy(err);
  const status = CLIENT_ERROR_STATUS[err.code ?? ''] ?? 400;
  const detail = status === 431 ? 'The request headers are too large' : 'The request could not be read';
  const body = JSON.stringify(problem('bad_request', status, detail));
  const head = [
    `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}`,
    'content-type: application/problem+json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    ...Object.entries(BARE_HEADERS).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
