import { describe, expect, it } from 'vitest';
import { computeLens, parseLens, scottBandwidth } from '../../src/mapper/lens';
import { pythonOracle, runPython } from '../helpers/oracle';
import { blobs, toRows } from './data';

describe('lenses by hand', () => {
  const cloud = { data: Float32Array.of(3, 4, 0, -1, 2, 2), n: 2, d: 3 };
  it('l2norm, sum, mean and coordinate', () => {
    expect(Array.from(computeLens(cloud, 'l2norm'))).toEqual([5, 3]);
    expect(Array.from(computeLens(cloud, 'sum'))).toEqual([7, 3]);
    expect(Array.from(computeLens(cloud, 'mean'))).toEqual([7 / 3, 1]);
    expect(Array.from(computeLens(cloud, { kind: 'coordinate', index: 2 }))).toEqual([0, 2]);
  });
  it('takes a precomputed lens as given and checks its length', () => {
    expect(Array.from(computeLens(cloud, { kind: 'precomputed', values: [0.5, -2] }))).toEqual([0.5, -2]);
    expect(() => computeLens(cloud, { kind: 'precomputed', values: [1] })).toThrow(/1 values for 2 points/);
  });
  it('parses lens names from text and refuses unknown ones with the allowed list', () => {
    expect(parseLens('coordinate:3')).toEqual({ kind: 'coordinate', index: 3 });
    expect(parseLens('density:0.5')).toEqual({ kind: 'density', bandwidth: 0.5 });
    expect(() => parseLens('coordinate:-1')).toThrow(/lens must be one of l2norm, sum/);
    expect(() => computeLens(cloud, { kind: 'coordinate', index: 3 })).toThrow(/coordinate must be an integer in \[0, 2\]/);
  });
});

const oracle = pythonOracle(['sklearn', 'scipy', 'numpy'], 'python3-sklearn python3-scipy python3-numpy');
describe.skipIf(!oracle.available)('lenses against numpy / scipy / sklearn', () => {
  const cloud = blobs(400, 6, 3, 51, 0.8, 2);
  const script = `
import sys, json, numpy as np
from scipy.spatial.distance import cdist
from sklearn.decomposition import PCA
c = json.load(sys.stdin)
X = np.array(c['X'], dtype=np.float64)
n, d = X.shape
P = PCA(n_components=2).fit_transform(X)
sigma = np.sqrt(X.var(axis=0, ddof=1).mean())
h = sigma * n ** (-1.0 / (d + 4))
D = cdist(X, X)
print(json.dumps({'pca1': P[:, 0].tolist(), 'pca2': P[:, 1].tolist(), 'h': h,
                  'density': np.exp(-D ** 2 / (2 * h * h)).mean(axis=1).tolist(),
                  'eccentricity': D.mean(axis=1).tolist()}))
`;
  const ref = runPython<{ pca1: number[]; pca2: number[]; h: number; density: number[]; eccentricity: number[] }>(script, { X: toRows(cloud) });

  for (const name of ['pca1', 'pca2'] as const) {
    it(`${name} equals sklearn's PCA projection up to sign`, () => {
      const got = computeLens(cloud, name);
      const sign = Math.sign(got[0]) === Math.sign(ref[name][0]) ? 1 : -1;
      for (let i = 0; i < cloud.n; i++) expect(sign * got[i]).toBeCloseTo(ref[name][i], 6);
    });
  }
  it("density is the Gaussian KDE with Scott's bandwidth", () => {
    expect(scottBandwidth(cloud)).toBeCloseTo(ref.h, 6);
    const got = computeLens(cloud, 'density');
    for (let i = 0; i < cloud.n; i++) expect(got[i]).toBeCloseTo(ref.density[i], 6);
  });
  it('eccentricity is the mean distance to all points', () => {
    const got = computeLens(cloud, 'eccentricity');
    for (let i = 0; i < cloud.n; i++) expect(got[i]).toBeCloseTo(ref.eccentricity[i], 5);
  });
});
