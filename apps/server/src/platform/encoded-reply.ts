import type { FastifyReply, FastifyRequest } from 'fastify';
import { COMPRESS_THRESHOLD, type EncodedBody, type Encoding, OFFERED } from './encoded-body';

// The HTTP half of a kept body. The CLI loads the modules' route files but never serves, and must not
// load Fastify's packages (cli.test.ts), so the compression plugin's own negotiator is imported on the
// first send rather than with this file.
let negotiator: Promise<typeof import('@fastify/accept-negotiator').default> | undefined;
const negotiate = () => {
  negotiator ??= import('@fastify/accept-negotiator').then((m) => m.default);
  return negotiator;
};

/**
 * The encoding to answer `request` in, as the compression plugin picks it (`*` and `x-gzip` read as
 * gzip, `x-no-compression` asks for none), or undefined for the raw bytes.
 */
async function encodingFor(request: FastifyRequest): Promise<Encoding | undefined> {
  const accepted = request.headers['accept-encoding'];
  if (!accepted || request.headers['x-no-compression'] !== undefined) return undefined;
  const e = (await negotiate())(accepted.toLowerCase().replace(/\*|x-gzip/gu, 'gzip'), [...OFFERED]);
  return e === null || e === 'identity' ? undefined : e;
}

/**
 * Sends the body in the encoding the request accepts (the raw bytes when it names none), with
 * `accept-encoding` in Vary; the length sent is that of the bytes sent. The compression plugin
 * leaves an answer that already has a Content-Encoding alone.
 */
export async function sendEncoded(
  body: EncodedBody,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  if (body.raw.length < COMPRESS_THRESHOLD) return reply.send(body.raw);
  const vary = reply.getHeader('vary');
  if (!vary) reply.header('vary', 'accept-encoding');
  else if (!/accept-encoding/i.test(String(vary))) reply.header('vary', `${vary}, accept-encoding`);
  const encoding = await encodingFor(request);
  if (!encoding) return reply.send(body.raw);
  const bytes = await body.encoded(encoding);
  return reply.header('content-encoding', encoding).send(bytes);
}
