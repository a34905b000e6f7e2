import { describe, expect, it } from 'vitest';
import { kneeEps, kneeOfCurve, kNearest, kDistances } from '../../src/mapper/knee';
import { metricSpace } from '../../src/mapper/space';
import { pythonOracle, runPython } from '../helpers/oracle';
import { blobs, toRows, uniformCloud } from './data';

describe('knee of the sorted k-distance curve', () => {
  it('is the point furthest below the chord of the normalised curve (hand-checked)', () => {
    // y = 1, 1.1, 1.2, 1.3, 1.4, 2, 5, 10: x̂ − ŷ = i/7 − (y − 1)/9 =
    // 0, .132, .263, .395, .527, .603, .413, 0 → the knee is i = 5 (y = 2).
    expect(kneeOfCurve([1, 1.1, 1.2, 1.3, 1.4, 2, 5, 10])).toEqual({ index: 5, value: 2 });
  });

  it('gives the flat part of a curve its first point', () => {
    expect(kneeOfCurve([3, 3, 3])).toEqual({ index: 0, value: 3 });
  });

  it('kneeEps on a constructed cloud: unit grid plus two outliers gives eps = 1', () => {
    // Points 0, 1, …, 19, 50, 80 on a line; k = 2 (self + nearest other): twenty 1s, then 30 (for 80) and 31
    // (for 50). Normalised, the last 1 (i = 19) lies furthest below the chord.
    const xs = [...Array.from({ length: 20 }, (_, i) => i), 50, 80];
    expect(kneeEps({ data: Float32Array.from(xs), n: xs.length, d: 1 }, 2)).toBe(1);
  });
});

const oracle = pythonOracle(['sklearn', 'numpy'], 'python3-sklearn python3-numpy');
describe.skipIf(!oracle.available)('k nearest neighbours against sklearn NearestNeighbors', () => {
  const script = `
import sys, json, numpy as np
from sklearn.neighbors import NearestNeighbors
c = json.load(sys.stdin)
X = np.array(c['X'], dtype=np.float64)
d, _ = NearestNeighbors(n_neighbors=c['k'], metric=c['metric'], algorithm='brute').fit(X).kneighbors(X)
print(json.dumps(d[:, -1].tolist()))
`;
  for (const [name, cloud, metric] of [
    ['uniform 20-D', uniformCloud(900, 20, 11), 'euclidean'],
    ['blobs 32-D', blobs(1000, 32, 6, 12), 'euclidean'],
    ['blobs 16-D cosine', blobs(700, 16, 4, 13), 'cosine'],
  ] as const) {
    it(`gives sklearn's k-distances (self included, k = 5): ${name}`, () => {
      const expected = runPython<number[]>(script, { X: toRows(cloud), k: 5, metric });
      const space = metricSpace(cloud, metric);
      const got = kDistances(space, kNearest(space, 5));
      for (let i = 0; i < cloud.n; i++) expect(got[i]).toBeCloseTo(expected[i], 9);
    });
  }
});
