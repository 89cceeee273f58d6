import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the server received, as the SDK sent it. */
export type StripeCall = {
  method: string;
  path: string;
  params: Record<string, unknown>;
  idempotencyKey?: string;
};

type Intent = {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  capture_method: string;
  client_secret: string;
  currency: string;
  metadata: Record<string, string>;
  status: string;
  latest_charge: string | null;
  last_payment_error: { message: string } | null;
  created: number;
  livemode: false;
};

/** `a[b][c]=1` form fields (Stripe's request encoding) as nested objects. */
function parseForm(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = out as Record<string, unknown>;
    for (const part of path.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[path.at(-1)!] = value;
  }
  return out;
}

const read = async (req: IncomingMessage) => {
  let s = '';
  for await (const chunk of req) s += chunk;
  return s;
};

/**
 * Answers the Stripe API calls the fleet payments use (PaymentIntents create / capture / cancel,
 * refunds) in Stripe's wire format, with Stripe's idempotency replay, and records every call.
 */
export async function startStripeServer() {
  const intents = new Map<string, Intent>();
  const calls: StripeCall[] = [];
  const replies = new Map<string, { status: number; body: unknown }>();
  let declineNext: string | undefined;
  const id = (p: string) => `${p}_${randomBytes(8).toString('hex')}`;

  const error = (status: number, type: string, message: string, extra: Record<string, unknown> = {}) => ({
    status,
    body: { error: { type, message, ...extra } },
  });

  function handle(method: string, path: string, params: Record<string, unknown>) {
    if (method === 'POST' && path === '/v1/payment_intents') {
      const pi: Intent = {
        id: id('pi'),
        object: 'payment_intent',
        amount: Number(params.amount),
        amount_capturable: 0,
        amount_received: 0,
        capture_method: String(params.capture_method ?? 'automatic'),
        client_secret: '',
        currency: String(params.currency),
        metadata: (params.metadata ?? {}) as Record<string, string>,
        status: 'requires_payment_method',
        latest_charge: null,
        last_payment_error: null,
        created: Math.floor(Date.now() / 1000),
        livemode: false,
      };
      pi.client_secret = `${pi.id}_secret_${randomBytes(6).toString('hex')}`;
      intents.set(pi.id, pi);
      if (declineNext) {
        pi.last_payment_error = { message: declineNext };
        const message = declineNext;
        declineNext = undefined;
        return error(402, 'card_error', message, { code: 'card_declined', payment_intent: pi });
      }
      return { status: 200, body: pi };
    }
    const m = /^\/v1\/payment_intents\/([^/]+)(?:\/(capture|cancel))?$/.exec(path);
    const pi = m ? intents.get(m[1]!) : undefined;
    if (m && !pi) return error(404, 'invalid_request_error', `No such payment_intent: '${m[1]}'`);
    if (pi && m?.[2] === 'capture') {
      const amount =
        params.amount_to_capture === undefined ? pi.amount_capturable : Number(params.amount_to_capture);
      if (pi.status !== 'requires_capture')
        return error(
          400,
          'invalid_request_error',
          `This PaymentIntent could not be captured because it has a status of ${pi.status}.`,
          { payment_intent: pi },
        );
      if (amount > pi.amount_capturable)
        return error(
          400,
          'invalid_request_error',
          'amount_to_capture must be at most the amount capturable',
          { param: 'amount_to_capture' },
        );
      Object.assign(pi, { status: 'succeeded', amount_received: amount, amount_capturable: 0 });
      return { status: 200, body: pi };
    }
    if (pi && m?.[2] === 'cancel') {
      if (pi.status === 'succeeded' || pi.status === 'canceled')
        return error(
          400,
          'invalid_request_error',
          `You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`,
          { payment_intent: pi },
        );
      Object.assign(pi, { status: 'canceled', amount_capturable: 0 });
      return { status: 200, body: pi };
    }
    if (pi && method === 'GET') return { status: 200, body: pi };
    if (method === 'POST' && path === '/v1/refunds') {
      const target = intents.get(String(params.payment_intent));
      if (target?.status !== 'succeeded')
        return error(400, 'invalid_request_error', 'This PaymentIntent has no successful charge to refund.');
      return {
        status: 200,
        body: {
          id: id('re'),
          object: 'refund',
          amount: Number(params.amount),
          payment_intent: target.id,
          status: 'succeeded',
        },
      };
    }
    return error(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path})`);
  }

  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    const path = (req.url ?? '').split('?')[0]!;
    const params = parseForm(body);
    const key = req.headers['idempotency-key'] as string | undefined;
    calls.push({ method: req.method!, path, params, idempotencyKey: key });
    // Stripe answers a repeated idempotency key with the first response, never a second charge.
    const reply = (key && replies.get(key)) || handle(req.method!, path, params);
    if (key) replies.set(key, reply);
    res.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': id('req') });
    res.end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    intents,
    /** The next create answers a card decline. */
    declineNext(message = 'Your card was declined.') {
      declineNext = message;
    },
    /** What Stripe.js does when the renter confirms a card: the amount is held. */
    authorize(intentId: string) {
      const pi = intents.get(intentId)!;
      Object.assign(pi, {
        status: 'requires_capture',
        amount_capturable: pi.amount,
        latest_charge: id('ch'),
      });
      return pi;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type StripeServer = Awaited<ReturnType<typeof startStripeServer>>;
