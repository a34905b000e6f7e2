import { describe, expect, it } from 'vitest';
import { buildMapper } from '../../src/mapper/mapper';
import { MAPPER_DEFAULTS, MAPPER_LIMITS, MAPPER_PAGE_LIMITS, mapperWork } from '../../src/mapper/limits';
import { blobs } from './data';

describe('Mapper option limits, checked up front', () => {
  const cloud = blobs(200, 3, 2, 5);
  const cases: [string, Parameters<typeof buildMapper>[1], RegExp][] = [
    ['a billion intervals', { nIntervals: 1e9 }, /^nIntervals must be an integer from 1 to 10000 \(got 1000000000\)$/],
    ['fractional intervals', { nIntervals: 2.5 }, /^nIntervals must be an integer from 1 to 10000 \(got 2.5\)$/],
    ['a 2-D cover of 1000² sets', { lens2: 'pca1', nIntervals: 1000 }, /^nIntervals must be an integer from 1 to 316 with 2 lenses: .* at most 100000 \(got 1000\)$/],
    ['overlap 0.995', { overlap: 0.995 }, /^overlap must be a number from 0 to 0.99 \(got 0.995\)$/],
    ['min_samples 10⁶', { minSamples: 1e6 }, /^minSamples must be an integer from 1 to 1000 \(got 1000000\)$/],
    ['min_intersection 0', { minIntersection: 0 }, /^minIntersection must be an integer from 1 to 1000000 \(got 0\)$/],
    ['linkage clusters 10⁹', { clusterer: 'single', nClusters: 1e9 }, /^nClusters must be an integer from 1 to 10000 \(got 1000000000\)$/],
  ];
  for (const [what, options, message] of cases) {
    it(`refuses ${what} at once, naming the option and its range`, async () => {
      const t0 = performance.now();
      await expect(buildMapper(cloud, options)).rejects.toThrow(message);
      expect(performance.now() - t0).toBeLessThan(1000);
    });
  }

  it('accepts the largest allowed values where they are cheap', async () => {
    const g = await buildMapper(cloud, { nIntervals: MAPPER_LIMITS.nIntervals.max, overlap: 0, eps: 0.5 });
    expect(g.params.nIntervals).toBe(10_000);
  });

  it('the defaults in force are MAPPER_DEFAULTS', async () => {
    const g = await buildMapper(cloud);
    const { nIntervals, overlap, minSamples, metric, minIntersection, clusterer, eps } = g.params;
    expect({ nIntervals, overlap, minSamples, metric, minIntersection, clusterer, eps, lens: g.params.lens[0] }).toEqual({
      nIntervals: MAPPER_DEFAULTS.nIntervals, overlap: MAPPER_DEFAULTS.overlap, minSamples: MAPPER_DEFAULTS.minSamples,
      metric: MAPPER_DEFAULTS.metric, minIntersection: MAPPER_DEFAULTS.minIntersection, clusterer: MAPPER_DEFAULTS.clusterer,
      eps: MAPPER_DEFAULTS.eps, lens: MAPPER_DEFAULTS.lens,
    });
  });

  it('mapperWork: cover sets and memberships; the page limits admit the defaults and refuse the issue\'s freezes', () => {
    expect(mapperWork(1000, 40, 0.4, 1)).toEqual({ coverSets: 40, memberships: 1000 / 0.6 });
    expect(mapperWork(1000, 3, 0.9, 1).memberships).toBe(3000); // never more intervals per point than there are
    expect(mapperWork(1000, 10, 0.5, 2)).toEqual({ coverSets: 100, memberships: 4000 });
    const fits = (nIntervals: number, overlap: number): boolean => {
      const w = mapperWork(1, nIntervals, overlap, 1);
      return nIntervals <= MAPPER_PAGE_LIMITS.nIntervals.max && overlap <= MAPPER_PAGE_LIMITS.overlap.max &&
        w.coverSets <= MAPPER_PAGE_LIMITS.coverSets.max && w.memberships <= MAPPER_PAGE_LIMITS.membershipsPerPoint.max;
    };
    expect(fits(MAPPER_DEFAULTS.nIntervals, MAPPER_DEFAULTS.overlap)).toBe(true);
    expect(fits(500, 0.9)).toBe(false);
    expect(fits(500, 0.99)).toBe(false);
  });
});
