import { z } from 'zod';
import { bool, int, type Option, str } from './kit';

/** Fleet payments (Stripe) and identity / driving-licence checks (Persona). */
export const PAYMENTS_OPTIONS = [
  // payments
  {
    section: 'payments',
    key: 'provider',
    env: 'FLEET_PAYMENTS_PROVIDER',
    schema: z.enum(['local', 'stripe']).optional(),
    doc: 'Payment provider: stripe or local (offline, same states and signed webhooks). Unset: stripe when STRIPE_SECRET_KEY is set, else local.',
    example: '',
  },
  {
    section: 'payments',
    key: 'stripe_secret_key',
    env: 'STRIPE_SECRET_KEY',
    schema: z
      .string()
      .regex(/^(sk|rk)_(test|live)_\w+$/, 'must be a Stripe secret or restricted key')
      .optional(),
    doc: 'Stripe secret key (sk_live_… / sk_test_…); switches the Stripe provider on.',
    secret: true,
    example: '',
  },
  {
    section: 'payments',
    key: 'stripe_publishable_key',
    env: 'STRIPE_PUBLISHABLE_KEY',
    schema: z
      .string()
      .regex(/^pk_(test|live)_\w+$/, 'must be a Stripe publishable key')
      .optional(),
    doc: 'Stripe publishable key the web app confirms card payments with.',
    example: '',
  },
  {
    section: 'payments',
    key: 'stripe_webhook_secret',
    env: 'STRIPE_WEBHOOK_SECRET',
    schema: z
      .string()
      .regex(/^whsec_\w+$/, 'must be a Stripe webhook signing secret (whsec_…)')
      .optional(),
    doc: 'Signing secret of the /api/v1/stripe/webhook endpoint; required in production with Stripe.',
    secret: true,
    example: '',
  },
  {
    section: 'payments',
    key: 'stripe_api_url',
    env: 'STRIPE_API_URL',
    schema: z.url().optional(),
    doc: "Stripe API base URL, for an egress proxy. Unset: the SDK's own.",
    example: '',
  },
  {
    section: 'payments',
    key: 'authorize_lead_hours',
    env: 'FLEET_AUTHORIZE_LEAD_HOURS',
    schema: int(24, 1, 144),
    doc: 'Bookings starting later than a card authorisation lasts (about 7 days) are authorised this many hours before pick-up.',
  },
  {
    section: 'payments',
    key: 'allow_local_providers',
    env: 'FLEET_ALLOW_LOCAL_PROVIDERS',
    schema: bool(false),
    doc: 'Allow the local payment and verification providers in production (a demo install takes no real money).',
  },
  // verification
  {
    section: 'verification',
    key: 'provider',
    env: 'FLEET_VERIFICATION_PROVIDER',
    schema: z.enum(['local', 'persona']).optional(),
    doc: 'Identity and licence checks: persona or local (a developer approves or declines). Unset: persona when PERSONA_API_KEY is set, else local.',
    example: '',
  },
  {
    section: 'verification',
    key: 'persona_api_key',
    env: 'PERSONA_API_KEY',
    schema: str().optional(),
    doc: 'Persona API key; switches the Persona provider on.',
    secret: true,
    example: '',
  },
  {
    section: 'verification',
    key: 'persona_template_id',
    env: 'PERSONA_TEMPLATE_ID',
    schema: z
      .string()
      .regex(/^itmpl_\w+$/, 'must be a Persona inquiry template id (itmpl_…)')
      .optional(),
    doc: 'Persona inquiry template (government ID + driving licence).',
    example: '',
  },
  {
    section: 'verification',
    key: 'persona_webhook_secret',
    env: 'PERSONA_WEBHOOK_SECRET',
    schema: str().optional(),
    doc: 'Signing secret of the /api/v1/persona/webhook endpoint; required in production with Persona.',
    secret: true,
    example: '',
  },
  {
    section: 'verification',
    key: 'persona_api_url',
    env: 'PERSONA_API_URL',
    schema: z.url().default('https://api.withpersona.com/api/v1'),
    doc: 'Persona REST API base URL.',
  },
] as const satisfies readonly Option[];

type Settings = {
  payments: {
    provider?: 'local' | 'stripe';
    stripeSecretKey?: string;
    stripeWebhookSecret?: string;
    allowLocalProviders: boolean;
  };
  verification: {
    provider?: 'local' | 'persona';
    personaApiKey?: string;
    personaTemplateId?: string;
    personaWebhookSecret?: string;
  };
};

/** The payment provider that runs: the configured one, else Stripe when its key is set. */
export const paymentProvider = (p: Settings['payments']) =>
  p.provider ?? (p.stripeSecretKey ? 'stripe' : 'local');
export const verificationProvider = (v: Settings['verification']) =>
  v.provider ?? (v.personaApiKey ? 'persona' : 'local');

/** Combinations that cannot work, and in production those that would take or check nothing for real. */
export function paymentProblems(s: Settings, production: boolean): string[] {
  const problems: string[] = [];
  const pay = paymentProvider(s.payments);
  const kyc = verificationProvider(s.verification);
  if (pay === 'stripe' && !s.payments.stripeSecretKey)
    problems.push('STRIPE_SECRET_KEY: required with FLEET_PAYMENTS_PROVIDER=stripe');
  if (kyc === 'persona' && (!s.verification.personaApiKey || !s.verification.personaTemplateId))
    problems.push('PERSONA_API_KEY, PERSONA_TEMPLATE_ID: both required with the Persona provider');
  if (!production) return problems;
  if (pay === 'stripe' && !s.payments.stripeWebhookSecret)
    problems.push('STRIPE_WEBHOOK_SECRET: required in production, or payments could never be confirmed');
  if (kyc === 'persona' && !s.verification.personaWebhookSecret)
    problems.push('PERSONA_WEBHOOK_SECRET: required in production, or verifications could never complete');
  if (!s.payments.allowLocalProviders) {
    if (pay === 'local')
      problems.push(
        'FLEET_PAYMENTS_PROVIDER: the local provider takes no money; set STRIPE_SECRET_KEY or FLEET_ALLOW_LOCAL_PROVIDERS=true',
      );
    if (kyc === 'local')
      problems.push(
        'FLEET_VERIFICATION_PROVIDER: the local provider checks nobody; set PERSONA_API_KEY or FLEET_ALLOW_LOCAL_PROVIDERS=true',
      );
  }
  return problems;
}

export type ThirdPartyOrigins = { script: string[]; frame: string[]; connect: string[] };

/**
 * Origins the web app's CSP admits for card entry (Stripe.js and its frames) and the identity flow
 * (Persona's hosted pages), each only when that provider's keys are set: a local install admits none.
 */
export function thirdPartyOrigins(s: {
  app: { modules: readonly string[] };
  payments: Settings['payments'] & { stripePublishableKey?: string };
  verification: Settings['verification'];
}): ThirdPartyOrigins {
  const out: ThirdPartyOrigins = { script: [], frame: [], connect: [] };
  if (!s.app.modules.includes('fleet')) return out;
  if (paymentProvider(s.payments) === 'stripe' && s.payments.stripePublishableKey) {
    out.script.push('https://js.stripe.com');
    out.frame.push('https://js.stripe.com', 'https://hooks.stripe.com');
    out.connect.push('https://api.stripe.com');
  }
  if (verificationProvider(s.verification) === 'persona' && s.verification.personaApiKey) {
    out.frame.push('https://withpersona.com', 'https://inquiry.withpersona.com');
  }
  return out;
}
