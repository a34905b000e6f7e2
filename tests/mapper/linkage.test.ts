import { describe, expect, it } from 'vitest';
import { linkage } from '../../src/mapper/linkage';
import { pythonOracle, runPython } from '../helpers/oracle';
import { clusterSets, toRows, uniformCloud } from './data';

const oracle = pythonOracle(['scipy', 'numpy'], 'python3-scipy python3-numpy');

const SCIPY = `
import sys, json, numpy as np
from scipy.cluster.hierarchy import linkage, fcluster
cases = json.load(sys.stdin)
out = []
for c in cases:
    Z = linkage(np.array(c['X'], dtype=np.float64), method=c['method'], metric=c['metric'])
    if c['t'] is not None:
        out.append(fcluster(Z, t=c['t'], criterion='distance').tolist())
    else:
        out.append(fcluster(Z, t=c['k'], criterion='maxclust').tolist())
print(json.dumps(out))
`;

describe.skipIf(!oracle.available)('linkage against scipy fcluster', () => {
  // Random continuous data, so merge heights have no ties.
  const cloud = uniformCloud(150, 5, 21);
  const cases: { method: 'single' | 'complete' | 'average'; t: number | null; k: number | null; metric: 'euclidean' | 'cosine' }[] = [];
  for (const method of ['single', 'complete', 'average'] as const) {
    cases.push({ method, t: method === 'single' ? 0.3 : method === 'average' ? 0.6 : 0.9, k: null, metric: 'euclidean' });
    cases.push({ method, t: null, k: 7, metric: 'euclidean' });
    cases.push({ method, t: null, k: 4, metric: 'cosine' });
  }
  const expected = runPython<number[][]>(SCIPY, cases.map((c) => ({ X: toRows(cloud), ...c })));
  cases.forEach((c, t) => {
    const cut = c.t !== null ? `height ${c.t}` : `${c.k} clusters`;
    it(`${c.method} linkage cut at ${cut} (${c.metric}) gives SciPy's flat clusters`, () => {
      const labels = linkage(cloud, {
        method: c.method,
        metric: c.metric,
        ...(c.t !== null ? { distanceThreshold: c.t } : { nClusters: c.k! }),
      });
      const nClusters = new Set(expected[t]).size;
      expect(nClusters).toBeGreaterThan(1);
      expect(nClusters).toBeLessThan(cloud.n);
      expect(clusterSets(labels)).toEqual(clusterSets(expected[t]));
    });
  });
});

describe('linkage parameters', () => {
  it('needs exactly one of distanceThreshold and nClusters', () => {
    const cloud = uniformCloud(10, 2, 1);
    expect(() => linkage(cloud, { method: 'single' })).toThrow(/exactly one of distanceThreshold/);
    expect(() => linkage(cloud, { method: 'average', nClusters: 0 })).toThrow(/nClusters must be an integer from 1 to 10000/);
  });
});
