import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, heatLevel } from './heat';

describe('heatmap colouring', () => {
  const t = DEFAULT_THRESHOLDS;
  it('is under below the full threshold, full up to capacity, over above it', () => {
    expect(heatLevel(0, 40, t)).toBe('under');
    expect(heatLevel(33.75, 40, t)).toBe('under'); // 84.4 %
    expect(heatLevel(34, 40, t)).toBe('full'); // 85 %
    expect(heatLevel(40, 40, t)).toBe('full');
    expect(heatLevel(40.25, 40, t)).toBe('over');
  });

  it('follows changed thresholds', () => {
    expect(heatLevel(30, 40, { full: 0.7, over: 0.9 })).toBe('full');
    expect(heatLevel(37, 40, { full: 0.7, over: 0.9 })).toBe('over');
  });

  it('has no colour without capacity, and is over when hours fall in a week fully off', () => {
    expect(heatLevel(12, null, t)).toBe('none');
    expect(heatLevel(0, 0, t)).toBe('none');
    expect(heatLevel(4, 0, t)).toBe('over');
  });

  it('does not call a full week over because of float rounding', () => {
    expect(heatLevel(0.1 + 0.2, 0.3, t)).toBe('full');
  });
});
