import { describe, expect, it } from 'vitest';
import { parseLandmarks, planLandmarks, planPersistence, SUGGESTED_SECONDS } from '../../src/state/persistencePlan';
import { estimatePersistenceCost, isLongJob, LONG_JOB, pointsWithin } from '../../src/tda/cost';
import { decodeViewState, DEFAULT_VIEW, encodeViewState } from '../../src/state/viewState';

describe('persistence plan', () => {
  it('runs the bundled 1000-image clouds exactly without asking, and asks for 10 000 images or H2', () => {
    expect(planPersistence('ask', 1000, 128, 1, 17)).toEqual({ kind: 'exact' });
    for (const [n, d, maxdim] of [
      [10_000, 128, 1],
      [10_000, 16, 1],
      [1000, 128, 2],
    ]) {
      const p = planPersistence('ask', n, d, maxdim, 17);
      expect(p.kind, `${n}×${d} H${maxdim}`).toBe('ask');
      if (p.kind !== 'ask') continue;
      expect(isLongJob(p.estimate)).toBe(true);
      expect(p.estimate).toEqual(estimatePersistenceCost({ n, d, maxdim }));
      // The offered subsample is cheaper than the bar and than the exact run, and fewer points than there are.
      const sub = estimatePersistenceCost({ n: p.suggested, d, maxdim });
      expect(sub.seconds).toBeLessThanOrEqual(SUGGESTED_SECONDS);
      expect(isLongJob(sub)).toBe(false);
      expect(p.suggested).toBeGreaterThanOrEqual(2);
      expect(p.suggested).toBeLessThan(n);
      expect(p.layers).toBe(17);
    }
  });

  it('follows an explicit choice; a count at or above n is the exact run', () => {
    expect(planPersistence('exact', 10_000, 128, 1)).toEqual({ kind: 'exact' });
    expect(planPersistence(2000, 10_000, 128, 1)).toEqual({ kind: 'landmarks', count: 2000 });
    expect(planPersistence(2000, 1000, 128, 1)).toEqual({ kind: 'exact' });
    expect(planLandmarks({ kind: 'landmarks', count: 7 })).toBe(7);
    expect(planLandmarks({ kind: 'exact' })).toBeUndefined();
  });

  it('pointsWithin is the largest count within the seconds and the bytes', () => {
    for (const [s, d, maxdim] of [
      [10, 16, 1],
      [LONG_JOB.seconds, 128, 1],
      [10, 64, 2],
    ]) {
      const n = pointsWithin(s, d, maxdim);
      const at = estimatePersistenceCost({ n, d, maxdim });
      const past = estimatePersistenceCost({ n: n + 1, d, maxdim });
      expect(at.seconds <= s && at.bytes <= LONG_JOB.bytes).toBe(true);
      expect(past.seconds > s || past.bytes > LONG_JOB.bytes).toBe(true);
    }
  });

  it('reads the URL value and round-trips it in the view state', () => {
    expect(parseLandmarks('ask')).toBe('ask');
    expect(parseLandmarks('exact')).toBe('exact');
    expect(parseLandmarks('1500')).toBe(1500);
    for (const bad of ['1', '0', '-3', '2.5', 'many', '']) expect(parseLandmarks(bad), bad).toBeNull();
    expect(encodeViewState(DEFAULT_VIEW)).not.toContain('landmarks');
    for (const v of ['exact', 1500] as const) {
      const s = { ...DEFAULT_VIEW, landmarks: v };
      const q = encodeViewState(s);
      expect(q).toContain(`landmarks=${v}`);
      expect(decodeViewState(q).state.landmarks).toBe(v);
    }
    const bad = decodeViewState('landmarks=lots');
    expect(bad.invalid).toEqual(['landmarks']);
    expect(bad.state.landmarks).toBe('ask');
  });
});
