import { Counter, type Registry } from 'prom-client';

export type PaymentMetrics = ReturnType<typeof paymentMetrics>;

export function paymentMetrics(registry: Registry) {
  return {
    // The one count of payment failures: every provider call goes through the payments service.
    failures: new Counter({
      name: 'clockpilot_fleet_payment_failures_total',
      help: 'Payment steps that did not go through, by stage (authorize, scheduled_authorize, capture, cancel, refund, webhook) and reason (declined, unreachable)',
      labelNames: ['stage', 'reason'] as const,
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
