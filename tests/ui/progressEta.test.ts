import { describe, expect, it } from 'vitest';
import { estimateRemaining } from '../../src/ui/ProgressPanel';

describe('the progress panel estimate of the time left', () => {
  it('is elapsed × remaining ÷ done, in coarse words', () => {
    expect(estimateRemaining(10_000, 0.5)).toBe('about 10 s left');
    expect(estimateRemaining(30_000, 0.25)).toBe('about 1 min 30 s left');
    expect(estimateRemaining(60_000, 0.05)).toBe('about 19 min left');
  });
  it('says nothing before 3 s or 2 %, when done, or without a fraction', () => {
    expect(estimateRemaining(2_000, 0.5)).toBeNull();
    expect(estimateRemaining(10_000, 0.01)).toBeNull();
    expect(estimateRemaining(10_000, 1)).toBeNull();
    expect(estimateRemaining(10_000, NaN)).toBeNull();
  });
});
