import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type PersonaCall = {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
};

/** Answers Persona's inquiry creation and one-time-link calls in its JSON:API shape, and records them. */
export async function startPersonaServer() {
  const calls: PersonaCall[] = [];
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const path = req.url ?? '';
    calls.push({ method: req.method!, path, headers: req.headers, body: raw ? JSON.parse(raw) : undefined });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== 'Bearer persona_test_key')
      return send(401, { errors: [{ title: 'Unauthorized' }] });
    if (req.method === 'POST' && path === '/api/v1/inquiries') {
      const attributes = (JSON.parse(raw) as { data: { attributes: Record<string, string> } }).data
        .attributes;
      return send(201, {
        data: {
          type: 'inquiry',
          id: `inq_${randomBytes(10).toString('hex')}`,
          attributes: { status: 'created', 'reference-id': attributes['reference-id'] },
        },
      });
    }
    const link = /^\/api\/v1\/inquiries\/(inq_\w+)\/generate-one-time-link$/.exec(path);
    if (req.method === 'POST' && link) {
      return send(200, {
        data: { type: 'inquiry', id: link[1], attributes: { status: 'created' } },
        meta: { 'one-time-link': `https://persona.test/verify?code=${randomBytes(8).toString('hex')}` },
      });
    }
    return send(404, { errors: [{ title: 'Not found' }] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
