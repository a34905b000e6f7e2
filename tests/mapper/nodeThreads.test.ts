import { describe, expect, it } from 'vitest';
import { leafBlocks } from '../../src/mapper/blocks';
import { dbscan } from '../../src/mapper/dbscan';
import { kNearest } from '../../src/mapper/knn';
import { buildMapper } from '../../src/mapper/mapper';
import { buildMapperInThreads, kNearestThreaded, nodeThreads } from '../../src/mapper/nodeThreads';
import { metricSpace } from '../../src/mapper/space';
import { blobs, uniformCloud } from './data';

describe('Mapper on Node worker threads', () => {
  const space = metricSpace(blobs(3000, 24, 5, 31), 'euclidean');
  const one = kNearest(space, 5);
  for (const [threads, mainThreadWorks] of [[2, true], [3, false]] as const) {
    it(`finds exactly kNearest's neighbours and distances (${threads} threads, main thread working: ${mainThreadWorks})`, async () => {
      const many = await kNearestThreaded(space, 5, { threads, mainThreadWorks });
      expect(many.k).toBe(5);
      expect(Array.from(many.d2)).toEqual(Array.from(one.d2));
      expect(Array.from(many.idx)).toEqual(Array.from(one.idx));
    });

    it(`clusters every set exactly as dbscan does (${threads} threads, main thread working: ${mainThreadWorks})`, async () => {
      const blocks = leafBlocks(space);
      const sets = [0, 1, 2, 3].map((q) => Int32Array.from({ length: 3000 }, (_, i) => i).filter((i) => i % 4 === q || i < 300 * q));
      sets.push(new Int32Array(0));
      const t = nodeThreads({ threads, mainThreadWorks });
      try {
        const got = await t.clusterSets({ blocks, sets, eps: 2.5, minSamples: 5, knn: one });
        const want = sets.map((subset) => dbscan(space, { eps: 2.5, minSamples: 5, subset, knn: one, blocks }));
        expect(new Set(want[0]).size).toBeGreaterThan(2);
        expect(got.map((l) => Array.from(l))).toEqual(want.map((l) => Array.from(l)));
      } finally {
        await t.close();
      }
    });
  }

  for (const eps of ['knee', 0.4] as const) {
    it(`gives buildMapper's graph (eps ${eps})`, async () => {
      const cloud = uniformCloud(1500, 8, 32);
      const a = await buildMapper(cloud, { nIntervals: 10, eps });
      const b = await buildMapperInThreads(cloud, { nIntervals: 10, eps }, {}, { threads: 2 });
      expect(a.nodes.length).toBeGreaterThan(10);
      expect(b.eps).toBe(a.eps);
      expect(b.nodes.map((n) => Array.from(n.members))).toEqual(a.nodes.map((n) => Array.from(n.members)));
      expect(b.edges).toEqual(a.edges);
    });
  }

  it('rejects a thread count that is not a positive integer', () => {
    expect(() => nodeThreads({ threads: 0 })).toThrow(/threads must be an integer ≥ 1 \(got 0\)/);
  });
});
