import type { TAutoscalerMode, TBreakerState } from '@clockpilot/contracts/autoscaler';
import { Badge } from '@mantine/core';
import { type MessageKey, t } from '../../app/i18n';

const BREAKER: Record<TBreakerState, { color: string; label: MessageKey; title: MessageKey }> = {
  closed: { color: 'green', label: 'autoscaler.breaker.closed', title: 'autoscaler.breaker.closedTitle' },
  halfOpen: {
    color: 'yellow',
    label: 'autoscaler.breaker.halfOpen',
    title: 'autoscaler.breaker.halfOpenTitle',
  },
  open: { color: 'red', label: 'autoscaler.breaker.open', title: 'autoscaler.breaker.openTitle' },
};

/** The metrics breaker as a badge; the title says what it means for scaling. */
export function BreakerBadge({ state }: { state: TBreakerState }) {
  const b = BREAKER[state];
  return (
    <Badge color={b.color} variant="light" title={t(b.title)}>
      {t(b.label)}
    </Badge>
  );
}

export const MODE_LABEL: Record<TAutoscalerMode, MessageKey> = {
  hpa: 'autoscaler.mode.hpa',
  predictive: 'autoscaler.mode.predictive',
};
