import { Counter, type Registry } from 'prom-client';

export type PaymentMetrics = ReturnType<typeof paymentMetrics>;

export function paymentMetrics(registry: Registry) {
  return {
    failures: new Counter({
      name: 'clockpilot_fleet_payment_provider_failures_total',
      help: 'Payment attempts the provider refused or failed, by stage (authorize, scheduled_authorize, capture, webhook)',
      labelNames: ['stage'] as const,
      registers: [registry],
    }),
    webhooks: new Counter({
      name: 'clockpilot_fleet_webhook_events_total',
      help: 'Payment and verification webhook deliveries by provider, event type and outcome',
      labelNames: ['provider', 'type', 'outcome'] as const,
      registers: [registry],
    }),
  };
}
