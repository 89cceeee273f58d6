import { createHmac, randomBytes } from 'node:crypto';
import type { TVerification, TVerificationStarted } from '@clockpilot/contracts';
import { z } from 'zod';
import type { AppContext } from '../../../platform/context';
import { AppError } from '../../../platform/errors';
import type { PaymentMetrics } from '../payments/payments.metrics';
import type { PersonaClient } from './persona.client';
import { personaSignature, verifyPersonaSignature } from './persona-signature';
import type { VerificationPort } from './port';
import { verificationRepo } from './verification.repo';
import type { VerificationState } from './verification.tables';

/** What each inquiry event makes of a verification. `completed` still awaits Persona's decision. */
const STATE_OF: Record<string, VerificationState> = {
  'inquiry.completed': 'pending',
  'inquiry.approved': 'approved',
  'inquiry.declined': 'declined',
  'inquiry.failed': 'declined',
  'inquiry.expired': 'expired',
  'inquiry.marked-for-review': 'review',
};

/** The parts of Persona's event envelope we read; anything else in it is ignored. */
const ZPersonaEvent = z.object({
  data: z.object({
    id: z.string().min(1).max(200),
    attributes: z.object({
      name: z.string().max(200),
      'created-at': z.iso.datetime({ offset: true }),
      payload: z
        .object({
          data: z
            .object({ id: z.string().max(200), type: z.string() })
            .partial()
            .optional(),
          included: z
            .array(z.object({ type: z.string(), attributes: z.record(z.string(), z.unknown()).optional() }))
            .optional(),
        })
        .optional(),
    }),
  }),
});
type PersonaEvent = z.infer<typeof ZPersonaEvent>;

/** The driving licence's expiry among the inquiry's verifications (a government ID of class `dl`). */
function licenceExpiry(event: PersonaEvent): string | undefined {
  for (const item of event.data.attributes.payload?.included ?? []) {
    const a = item.attributes ?? {};
    if (item.type.startsWith('verification/government-id') && a['id-class'] === 'dl') {
      const date = a['expiration-date'];
      if (typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
    }
  }
  return undefined;
}

export type VerificationDeliver = (payload: string, signature: string) => Promise<void>;
type Request = { ip: string; reqId: string };

/**
 * Identity and driving-licence checks. Persona (or the local provider) reports through a signed
 * webhook; each event is stored once, and an event older than the last one applied changes nothing.
 */
export function createVerificationService(
  ctx: AppContext,
  deps: { persona?: PersonaClient; metrics: PaymentMetrics },
) {
  const { persona, metrics } = deps;
  const db = ctx.db;
  const providerName: 'persona' | 'local' = persona ? 'persona' : 'local';
  const secret =
    ctx.config.verification.personaWebhookSecret ??
    (persona
      ? undefined
      : createHmac('sha256', ctx.secret).update('fleet-local-persona-webhook').digest('hex'));
  let deliver: VerificationDeliver | undefined;

  const today = () => ctx.clock.now().toISOString().slice(0, 10);

  const port: VerificationPort = {
    async status(userId) {
      const v = await verificationRepo.latest(db, userId);
      if (!v) return { state: 'none' };
      const licenceExpiresOn = v.licenceExpiresOn ?? undefined;
      // An approval counts only while the licence it checked is valid.
      if (v.state === 'approved' && licenceExpiresOn && licenceExpiresOn < today())
        return { state: 'expired', licenceExpiresOn };
      return { state: v.state, licenceExpiresOn };
    },
  };

  function refuse(req: Request, reason: string): never {
    ctx.metrics.securityEvents.inc({ type: 'webhook_signature_invalid' });
    metrics.webhooks.inc({ provider: 'persona', type: 'unverified', outcome: 'rejected' });
    ctx.log.security.warn(
      { event: 'webhook_signature_invalid', provider: 'persona', reqId: req.reqId, ip: req.ip, reason },
      'persona webhook refused',
    );
    throw new AppError('bad_request', 'The webhook signature is invalid or too old');
  }

  return {
    port,
    providerName,

    async start(userId: string): Promise<TVerificationStarted> {
      const { inquiryId, url } = persona
        ? await persona.createInquiry(userId)
        : (() => {
            const id = `inq_local_${randomBytes(12).toString('hex')}`;
            return { inquiryId: id, url: `${ctx.config.app.publicUrl}/fleet/verification/local/${id}` };
          })();
      await verificationRepo.insert(db, {
        userId,
        provider: providerName,
        inquiryId,
        state: 'pending',
        at: ctx.clock.now(),
      });
      return { state: 'pending', inquiryId, url };
    },

    status: (userId: string): Promise<TVerification> => port.status(userId),

    async receive(raw: Buffer, signature: string | undefined, req: Request) {
      if (!secret)
        throw new AppError('unavailable', 'Persona webhooks are not configured (PERSONA_WEBHOOK_SECRET)');
      if (!verifyPersonaSignature(signature, raw, secret, ctx.clock.now().getTime()))
        refuse(req, 'signature invalid or too old');
      let event: PersonaEvent;
      try {
        event = ZPersonaEvent.parse(JSON.parse(raw.toString('utf8')));
      } catch {
        throw new AppError('bad_request', 'The webhook body is not a Persona event');
      }
      const { name } = event.data.attributes;
      const createdAt = new Date(event.data.attributes['created-at']);
      const inquiryId = event.data.attributes.payload?.data?.id;
      const outcome = await db.transaction(async (tx) => {
        const fresh = await verificationRepo.recordEvent(tx, {
          id: event.data.id,
          type: name,
          inquiryId,
          createdAt,
          receivedAt: ctx.clock.now(),
        });
        if (!fresh) return 'duplicate' as const;
        const result = await (async () => {
          const state = STATE_OF[name];
          if (!state) return 'unhandled' as const;
          const v = inquiryId ? await verificationRepo.byInquiry(tx, inquiryId) : undefined;
          if (!v) return 'unknown_inquiry' as const;
          // Deliveries arrive out of order: Persona's own created-at decides which is newer.
          if (v.lastEventAt && createdAt < v.lastEventAt) return 'stale' as const;
          await verificationRepo.update(tx, v.id, {
            state,
            lastEventAt: createdAt,
            licenceExpiresOn: licenceExpiry(event) ?? v.licenceExpiresOn,
            updatedAt: ctx.clock.now(),
          });
          return 'applied' as const;
        })();
        await verificationRepo.setEventOutcome(tx, event.data.id, result);
        return result;
      });
      metrics.webhooks.inc({ provider: 'persona', type: name, outcome });
      ctx.log.app.info({ eventId: event.data.id, type: name, outcome, reqId: req.reqId }, 'persona webhook');
      return outcome;
    },

    /**
     * The local provider: a developer decides an inquiry, and the decision arrives as Persona's
     * signed webhook through the same endpoint. The inquiry's owner or an admin may decide.
     */
    async decideLocally(
      caller: { userId: string; role: string },
      inquiryId: string,
      decision: 'approve' | 'decline' | 'review',
      licenceExpiresOn?: string,
    ) {
      if (persona || !deliver || !secret)
        throw new AppError('not_found', 'The local verification provider is not running');
      const v = await verificationRepo.byInquiry(db, inquiryId);
      if (!v || (v.userId !== caller.userId && caller.role !== 'admin'))
        throw new AppError('not_found', 'Verification not found');
      const name = {
        approve: 'inquiry.approved',
        decline: 'inquiry.declined',
        review: 'inquiry.marked-for-review',
      }[decision];
      const payload = JSON.stringify({
        data: {
          type: 'event',
          id: `evt_local_${randomBytes(12).toString('hex')}`,
          attributes: {
            name,
            'created-at': ctx.clock.now().toISOString(),
            payload: {
              data: {
                type: 'inquiry',
                id: inquiryId,
                attributes: { status: name.slice(8), 'reference-id': v.userId },
              },
              included: licenceExpiresOn
                ? [
                    {
                      type: 'verification/government-id',
                      attributes: { 'id-class': 'dl', 'expiration-date': licenceExpiresOn, status: 'passed' },
                    },
                  ]
                : [],
            },
          },
        },
      });
      await deliver(payload, personaSignature(secret, payload, Math.floor(ctx.clock.now().getTime() / 1000)));
      return port.status(v.userId);
    },

    setDeliver(fn: VerificationDeliver) {
      deliver = fn;
    },
  };
}
export type VerificationService = ReturnType<typeof createVerificationService>;
