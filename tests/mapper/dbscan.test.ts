import { describe, expect, it } from 'vitest';
import { dbscan } from '../../src/mapper/dbscan';
import { kNearest } from '../../src/mapper/knee';
import { metricSpace } from '../../src/mapper/space';
import { pythonOracle, runPython } from '../helpers/oracle';
import { blobs, clusterSets, toRows, uniformCloud } from './data';

const oracle = pythonOracle(['sklearn', 'numpy'], 'python3-sklearn python3-numpy');

const SKLEARN = `
import sys, json, numpy as np
from sklearn.cluster import DBSCAN
cases = json.load(sys.stdin)
out = []
for c in cases:
    X = np.array(c['X'], dtype=np.float64)
    out.append(DBSCAN(eps=c['eps'], min_samples=c['minSamples'], metric=c['metric']).fit(X).labels_.tolist())
print(json.dumps(out))
`;

describe.skipIf(!oracle.available)('dbscan against sklearn.cluster.DBSCAN', () => {
  const cases = [
    { name: 'uniform cube, 3-D, euclidean', cloud: uniformCloud(600, 3, 1), eps: 0.08, minSamples: 5, metric: 'euclidean' as const },
    { name: 'uniform, 10-D, euclidean, many border and noise points', cloud: uniformCloud(500, 10, 2), eps: 0.55, minSamples: 4, metric: 'euclidean' as const },
    { name: 'five blobs in 16-D, euclidean', cloud: blobs(700, 16, 5, 3), eps: 1.3, minSamples: 5, metric: 'euclidean' as const },
    { name: 'five blobs in 16-D, cosine', cloud: blobs(700, 16, 5, 4), eps: 0.02, minSamples: 5, metric: 'cosine' as const },
    { name: 'uniform 8-D, cosine', cloud: uniformCloud(500, 8, 5), eps: 0.01, minSamples: 3, metric: 'cosine' as const },
    { name: 'blobs, minSamples 1 (every point core)', cloud: blobs(300, 4, 3, 6), eps: 0.3, minSamples: 1, metric: 'euclidean' as const },
  ];
  const expected = runPython<number[][]>(
    SKLEARN,
    cases.map((c) => ({ X: toRows(c.cloud), eps: c.eps, minSamples: c.minSamples, metric: c.metric })),
  );
  cases.forEach((c, t) => {
    it(`gives sklearn's clusters as member sets (noise excluded): ${c.name}`, () => {
      const labels = dbscan(c.cloud, { eps: c.eps, minSamples: c.minSamples, metric: c.metric });
      const sk = expected[t];
      // The case must be non-trivial: several clusters or noise.
      expect(new Set(sk).size).toBeGreaterThan(1);
      expect(clusterSets(labels)).toEqual(clusterSets(sk));
      // Same numbering too (sklearn numbers clusters by their first core point).
      expect(Array.from(labels)).toEqual(sk);
    });
    it(`gives the same clusters when the global kNN is reused as core evidence: ${c.name}`, () => {
      const space = metricSpace(c.cloud, c.metric);
      const knn = kNearest(space, c.minSamples);
      expect(Array.from(dbscan(space, { eps: c.eps, minSamples: c.minSamples, knn }))).toEqual(expected[t]);
    });
  });

  it('clusters a subset (an interval) exactly as sklearn clusters those rows alone', () => {
    const cloud = blobs(800, 12, 4, 7, 0.5);
    const subset = Int32Array.from({ length: 800 }, (_, i) => i).filter((i) => cloud.data[i * 12] > -1);
    const rows = toRows(cloud);
    const [sk] = runPython<number[][]>(SKLEARN, [{ X: Array.from(subset, (i) => rows[i]), eps: 1.6, minSamples: 5, metric: 'euclidean' }]);
    const space = metricSpace(cloud, 'euclidean');
    const labels = dbscan(space, { eps: 1.6, minSamples: 5, subset, knn: kNearest(space, 5) });
    expect(new Set(sk).size).toBeGreaterThan(1);
    expect(Array.from(labels)).toEqual(sk);
  });
});

describe('dbscan parameters', () => {
  it('refuses eps ≤ 0 and minSamples out of range, naming the parameter', () => {
    const cloud = uniformCloud(10, 2, 1);
    expect(() => dbscan(cloud, { eps: 0 })).toThrow(/eps must be/);
    expect(() => dbscan(cloud, { eps: 1, minSamples: 0 })).toThrow(/minSamples must be an integer from 1 to 1000/);
  });
});
