import { describe, expect, it } from 'vitest';
import { kNearest } from '../../src/mapper/knn';
import { kNearestThreaded } from '../../src/mapper/knnThreads';
import { buildMapper } from '../../src/mapper/mapper';
import { metricSpace } from '../../src/mapper/space';
import { blobs, uniformCloud } from './data';

describe('kNearestThreaded (Node worker threads)', () => {
  const space = metricSpace(blobs(3000, 24, 5, 31), 'euclidean');
  const one = kNearest(space, 5);
  for (const [threads, mainThreadSweeps] of [[2, true], [3, false]] as const) {
    it(`returns exactly kNearest's neighbours and distances (${threads} threads, main thread sweeping: ${mainThreadSweeps})`, async () => {
      const many = await kNearestThreaded(space, 5, { threads, mainThreadSweeps });
      expect(many.k).toBe(5);
      expect(Array.from(many.d2)).toEqual(Array.from(one.d2));
      expect(Array.from(many.idx)).toEqual(Array.from(one.idx));
    });
  }

  it('gives buildMapper the same graph as the single-thread sweep', async () => {
    const cloud = uniformCloud(1500, 8, 32);
    const a = await buildMapper(cloud, { nIntervals: 10 });
    const b = await buildMapper(cloud, { nIntervals: 10 }, { kNearest: (s, k) => kNearestThreaded(s, k, { threads: 2 }) });
    expect(b.eps).toBe(a.eps);
    expect(b.nodes.map((n) => Array.from(n.members))).toEqual(a.nodes.map((n) => Array.from(n.members)));
    expect(b.edges).toEqual(a.edges);
  });

  it('rejects a thread count that is not a positive integer', async () => {
    await expect(kNearestThreaded(space, 3, { threads: 0 })).rejects.toThrow(/threads must be an integer ≥ 1 \(got 0\)/);
  });
});
