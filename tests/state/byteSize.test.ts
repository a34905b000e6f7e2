/**
 * The job cache's size of a persistence result, counted from array lengths (persistenceBytes), must be byteSize's
 * walk over every pair exactly: on real job results with cocycles, on landmarks, and for the all-layer list.
 */
import { describe, expect, it } from 'vitest';
import { byteSize, persistenceBytes, persistenceListBytes } from '../../src/state/byteSize';
import { createTdaJobApi } from '../../src/tda/jobs';
import { SEED, circleCloud, gaussianCloud } from '../tda/helpers';

describe('persistenceBytes', () => {
  it('equals byteSize on the TDA job API’s results (plain, with packed cocycles, on landmarks) and on their list', async () => {
    const api = createTdaJobApi();
    const msg = `seed ${SEED}`;
    const results = [
      await api.persistence(gaussianCloud(SEED, 150, 3), { maxdim: 1 }),
      await api.persistence(circleCloud(SEED + 1, 120, 0.1), { maxdim: 1, cocycles: true, loops: false }),
      await api.persistence(gaussianCloud(SEED + 2, 200, 4), { maxdim: 2, cocycles: true, loops: false, landmarks: 60 }),
    ];
    expect(results[1].cocycles, msg).toBeDefined();
    expect(results[2].landmarks, msg).toBeDefined();
    for (const r of results) expect(persistenceBytes(r), msg).toBe(byteSize(r));
    expect(persistenceListBytes(results), msg).toBe(byteSize(results));
    // It does count the pairs: a result with more pairs is bigger.
    expect(persistenceBytes(results[2])).toBeGreaterThan(results[2].dgms.reduce((s, d) => s + 48 * d.length, 0));
  });
});
