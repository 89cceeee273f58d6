import {
  ZLocalPaymentParams,
  ZLocalPaymentResult,
  ZPaymentNoticeList,
  ZPaymentSettings,
  ZWebhookAck,
} from '@clockpilot/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../../platform/auth';
import type { AppContext } from '../../../platform/context';
import type { FleetPayments } from './payments.parts';

/** Webhook bodies are small; Stripe's are a few kilobytes. */
const WEBHOOK_BODY_LIMIT = 256 * 1024;

/**
 * Registers a webhook route that receives the body as raw bytes: signatures are computed over the
 * exact bytes sent, which re-serialised JSON would not reproduce.
 */
export async function rawBodyScope(app: FastifyInstance, register: (scope: FastifyInstance) => void) {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    register(scope);
  });
}

/** Routes relative to `/api/v1`: the Stripe webhook, the renter's notices and the local test card. */
export async function paymentRoutes(root: FastifyInstance, p: FleetPayments, { config }: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['fleet payments'];

  await rawBodyScope(root, (scope) => {
    scope
      .withTypeProvider<ZodTypeProvider>()
      .post(
        '/stripe/webhook',
        { config: { public: true }, schema: { tags, response: { 200: ZWebhookAck } } },
        async (request) => {
          const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const signature = request.headers['stripe-signature'];
          const outcome = await p.webhooks.receive(
            raw,
            typeof signature === 'string' ? signature : undefined,
            {
              ip: request.ip,
              reqId: request.id,
            },
          );
          return { received: true as const, outcome };
        },
      );
  });

  app.get(
    '/fleet/payment-settings',
    { config: { authenticated: true }, schema: { tags, response: { 200: ZPaymentSettings } } },
    async () => ({
      provider: p.payments.providerName,
      publishableKey: p.local ? undefined : config.payments.stripePublishableKey,
      verificationProvider: p.verification.providerName,
    }),
  );

  app.get(
    '/fleet/payment-notices',
    { config: { authenticated: true }, schema: { tags, response: { 200: ZPaymentNoticeList } } },
    async (request) => {
      const rows = await p.payments.notices(principalOf(request).userId);
      return { items: rows.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })) };
    },
  );

  const local = p.local;
  if (!local) return;
  const webhookUrl = `${root.prefix}/stripe/webhook`;
  local.setDeliver(async (payload, signature) => {
    const res = await root.inject({
      method: 'POST',
      url: webhookUrl,
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      payload,
    });
    if (res.statusCode !== 200) throw new Error(`webhook answered ${res.statusCode}: ${res.body}`);
  });

  app.post(
    '/fleet/local-payments/:intentId/:outcome',
    {
      config: { authenticated: true },
      schema: { tags, params: ZLocalPaymentParams, response: { 200: ZLocalPaymentResult } },
    },
    async (request) =>
      local.complete(request.params.intentId, principalOf(request).userId, request.params.outcome),
  );
}
