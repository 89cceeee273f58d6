import {
  ZLocalVerificationBody,
  ZLocalVerificationParams,
  ZVerification,
  ZVerificationStarted,
  ZWebhookAck,
} from '@clockpilot/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../../platform/auth';
import { rawBodyScope } from '../payments/payments.routes';
import type { VerificationService } from './verification.service';

/** Routes relative to `/api/v1`: the renter's verification, Persona's webhook and the local decision. */
export async function verificationRoutes(root: FastifyInstance, verification: VerificationService) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['fleet verification'];
  const config = { authenticated: true } as const;

  app.post(
    '/fleet/verification',
    { config, schema: { tags, response: { 201: ZVerificationStarted } } },
    async (request, reply) => reply.status(201).send(await verification.start(principalOf(request).userId)),
  );

  app.get(
    '/fleet/verification',
    { config, schema: { tags, response: { 200: ZVerification } } },
    async (request) => verification.status(principalOf(request).userId),
  );

  await rawBodyScope(root, (scope) => {
    scope
      .withTypeProvider<ZodTypeProvider>()
      .post(
        '/persona/webhook',
        { config: { public: true }, schema: { tags, response: { 200: ZWebhookAck } } },
        async (request) => {
          const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const signature = request.headers['persona-signature'];
          const outcome = await verification.receive(
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

  if (verification.providerName !== 'local') return;
  const webhookUrl = `${root.prefix}/persona/webhook`;
  verification.setDeliver(async (payload, signature) => {
    const res = await root.inject({
      method: 'POST',
      url: webhookUrl,
      headers: { 'content-type': 'application/json', 'persona-signature': signature },
      payload,
    });
    if (res.statusCode !== 200) throw new Error(`webhook answered ${res.statusCode}: ${res.body}`);
  });

  app.post(
    '/fleet/local-verifications/:inquiryId/:decision',
    {
      config,
      schema: {
        tags,
        params: ZLocalVerificationParams,
        body: ZLocalVerificationBody,
        response: { 200: ZVerification },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return verification.decideLocally(
        { userId: p.userId, role: p.role },
        request.params.inquiryId,
        request.params.decision,
        request.body?.licenceExpiresOn,
      );
    },
  );
}
