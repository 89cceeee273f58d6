import type { TBreakerState } from '@clockpilot/contracts/autoscaler';
import { Badge } from '@mantine/core';

const BREAKER: Record<TBreakerState, { color: string; label: string }> = {
  closed: { color: 'green', label: 'Metrics OK' },
  halfOpen: { color: 'yellow', label: 'Metrics retrying' },
  open: { color: 'red', label: 'Metrics unreachable' },
};

/** The metrics breaker as a badge; the title says what it means for scaling. */
export function BreakerBadge({ state }: { state: TBreakerState }) {
  const b = BREAKER[state];
  return (
    <Badge
      color={b.color}
      variant="light"
      title={state === 'closed' ? 'Breaker closed' : `Breaker ${state}: the server count is kept`}
    >
      {b.label}
    </Badge>
  );
}

export const MODE_LABEL = { hpa: 'HPA', predictive: 'Predictive' } as const;
