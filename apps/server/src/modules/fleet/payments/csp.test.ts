import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load';
import { thirdPartyOrigins } from '../../../config/options/payments';
import { contentSecurityPolicy } from '../../../platform/web';

const policy = (env: Record<string, string>) =>
  contentSecurityPolicy(
    'n0nce',
    undefined,
    thirdPartyOrigins(loadConfig({ env: { APP_MODE: 'test', ...env } })),
  );

describe("the web app's CSP and the payment providers", () => {
  it('admits no third party with the local providers', () => {
    const csp = policy({});
    expect(csp).toContain("script-src 'self' 'nonce-n0nce';");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toMatch(/stripe|persona|frame-src/);
  });

  it("admits Stripe.js and its frames only when Stripe's keys are set", () => {
    const csp = policy({ STRIPE_SECRET_KEY: 'sk_test_a', STRIPE_PUBLISHABLE_KEY: 'pk_test_a' });
    expect(csp).toContain("script-src 'self' 'nonce-n0nce' https://js.stripe.com;");
    expect(csp).toContain("connect-src 'self' https://api.stripe.com;");
    expect(csp).toContain('frame-src https://js.stripe.com https://hooks.stripe.com;');
    expect(csp).not.toContain('persona');
  });

  it("admits Persona's hosted flow only when its key is set, and nothing when fleet is off", () => {
    const persona = { PERSONA_API_KEY: 'persona_key', PERSONA_TEMPLATE_ID: 'itmpl_a' };
    expect(policy(persona)).toContain('frame-src https://withpersona.com https://inquiry.withpersona.com;');
    expect(policy({ ...persona, MODULES: 'identity,directory,time' })).not.toContain('persona');
  });
});
