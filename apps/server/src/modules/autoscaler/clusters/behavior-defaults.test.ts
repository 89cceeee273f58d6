import { HPA_DEFAULT_RULES } from '@clockpilot/contracts';
import { describe, expect, it } from 'vitest';
import { resolveRules } from '../engine/normalize';

// The web form shows HPA_DEFAULT_RULES as the rules a behavior leaves out; the engine must agree.
describe('HPA_DEFAULT_RULES', () => {
  it('are the rules the engine fills in for a direction left out', () => {
    expect(resolveRules(null, 'up', 300)).toEqual({ ...HPA_DEFAULT_RULES.scaleUp, tolerance: undefined });
    expect(resolveRules(null, 'down', 300)).toEqual({
      ...HPA_DEFAULT_RULES.scaleDown,
      stabilizationWindowSeconds: 300,
      tolerance: undefined,
    });
  });
});
