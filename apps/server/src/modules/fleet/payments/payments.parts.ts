import { ConfigError } from '../../../config/load';
import { paymentProblems, paymentProvider, verificationProvider } from '../../../config/options/payments';
import type { AppContext } from '../../../platform/context';
import type { QueueDef } from '../../../platform/jobs';
import { personaClient } from '../verification/persona.client';
import { createVerificationService } from '../verification/verification.service';
import { createLocalPayments, LOCAL_WEBHOOK_QUEUE, localWebhookSecret } from './local.provider';
import { paymentMetrics } from './payments.metrics';
import { createPaymentsService } from './payments.service';
import { stripeClient, stripePayments } from './stripe.provider';
import { createStripeWebhooks } from './stripe-webhook.service';

/**
 * The fleet's payments and verifications as one piece: the configured providers behind the ports,
 * the webhook receivers and, offline, the local providers. Production refuses configurations that cannot take or
 * confirm real money (the check runs here because it matters only when the fleet module runs).
 */
export function createFleetPayments(ctx: AppContext) {
  const { config } = ctx;
  const problems = paymentProblems(config, config.app.mode === 'production');
  if (problems.length > 0) throw new ConfigError(problems);

  const metrics = paymentMetrics(ctx.metrics.registry);
  const providerName = paymentProvider(config.payments);
  const local = providerName === 'local' ? createLocalPayments(ctx) : undefined;
  const provider =
    local?.port ??
    stripePayments(
      stripeClient({ secretKey: config.payments.stripeSecretKey!, apiUrl: config.payments.stripeApiUrl }),
    );
  const payments = createPaymentsService(ctx, { provider, providerName, metrics });
  const webhooks = createStripeWebhooks(ctx, {
    payments,
    secret: local ? localWebhookSecret(ctx) : config.payments.stripeWebhookSecret,
    metrics,
  });
  const v = config.verification;
  const verification = createVerificationService(ctx, {
    persona:
      verificationProvider(v) === 'persona'
        ? personaClient({
            apiKey: v.personaApiKey!,
            templateId: v.personaTemplateId!,
            apiUrl: v.personaApiUrl,
          })
        : undefined,
    metrics,
  });
  return { payments, webhooks, local, verification, metrics };
}
export type FleetPayments = ReturnType<typeof createFleetPayments>;

export function paymentJobs(p: FleetPayments): QueueDef[] {
  return [
    // Bookings that start later than a card hold lasts are authorised when pick-up nears.
    {
      name: 'fleet.payments.authorize-due',
      everySeconds: 900,
      handler: async () => void (await p.payments.authorizeDue()),
    },
    ...(p.local
      ? [
          {
            name: LOCAL_WEBHOOK_QUEUE,
            retryLimit: 5,
            handler: (data: { payload: string }) => p.local!.send(data.payload),
          } as QueueDef<{ payload: string }> as QueueDef,
        ]
      : []),
  ];
}
