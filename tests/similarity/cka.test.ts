import { describe, expect, it } from 'vitest';
import { ckaMatrix, linearCka } from '../../src/similarity/cka';
import type { PointCloud } from '../../src/types';
import { pythonOracle, runPython } from '../helpers/oracle';
import { mulberry32 as rng } from '../../src/random';


function randomCloud(n: number, d: number, seed: number): PointCloud {
  const r = rng(seed);
  const data = new Float32Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = r() * 2 - 1;
  return { data, n, d };
}

const seed = Date.now() % 100000;

describe('linear CKA', () => {
  it('is 1 between a representation and a rotated, scaled, shifted copy of it', () => {
    const x = randomCloud(50, 2, seed);
    const c = Math.cos(0.7), s = Math.sin(0.7);
    const y = new Float32Array(100);
    for (let i = 0; i < 50; i++) {
      y[2 * i] = 3 * (c * x.data[2 * i] - s * x.data[2 * i + 1]) + 5;
      y[2 * i + 1] = 3 * (s * x.data[2 * i] + c * x.data[2 * i + 1]) - 1;
    }
    expect(linearCka(x, { data: y, n: 50, d: 2 })).toBeCloseTo(1, 5);
    expect(linearCka(x, { data: y, n: 50, d: 2 }, { debiased: true })).toBeCloseTo(1, 5);
  });

  it('refuses representations of different image counts, naming both', () => {
    expect(() => linearCka(randomCloud(5, 2, 1), randomCloud(6, 2, 1))).toThrow(/got 6 and 5 rows|got 5 and 6 rows/);
  });

  const numpy = pythonOracle(['numpy'], 'python3-numpy');
  it.runIf(numpy.available)(`matches an independent NumPy computation, biased and debiased (seed ${seed})`, () => {
    const clouds = [randomCloud(60, 5, seed), randomCloud(60, 12, seed + 1), randomCloud(60, 3, seed + 2)];
    // Make the second depend on the first so values are not all near zero.
    for (let i = 0; i < 60; i++) clouds[1].data[i * 12] += 2 * clouds[0].data[i * 5];
    const script = `
import json, sys, numpy as np
xs = [np.array(c, dtype=np.float64) for c in json.load(sys.stdin)]
def lin(X, Y):
    X = X - X.mean(0); Y = Y - Y.mean(0)
    return np.linalg.norm(Y.T @ X) ** 2 / (np.linalg.norm(X.T @ X) * np.linalg.norm(Y.T @ Y))
def hsic_u(K, L):
    n = K.shape[0]; K = K.copy(); L = L.copy(); np.fill_diagonal(K, 0); np.fill_diagonal(L, 0)
    one = np.ones(n)
    return (np.trace(K @ L) + (one @ K @ one) * (one @ L @ one) / ((n - 1) * (n - 2)) - 2 / (n - 2) * (one @ K @ L @ one)) / (n * (n - 3))
def deb(X, Y):
    K = X @ X.T; L = Y @ Y.T
    return hsic_u(K, L) / np.sqrt(hsic_u(K, K) * hsic_u(L, L))
print(json.dumps({'lin': [[lin(a, b) for b in xs] for a in xs], 'deb': [[deb(a, b) for b in xs] for a in xs]}))
`;
    const input = clouds.map((c) => Array.from({ length: c.n }, (_, i) => Array.from(c.data.subarray(i * c.d, (i + 1) * c.d))));
    const ref = runPython<{ lin: number[][]; deb: number[][] }>(script, input);
    const lin = ckaMatrix(clouds);
    const deb = ckaMatrix(clouds, { debiased: true });
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        expect(lin[i * 3 + j]).toBeCloseTo(ref.lin[i][j], 9);
        expect(deb[i * 3 + j]).toBeCloseTo(ref.deb[i][j], 9);
      }
    }
    expect(lin[1]).toBeGreaterThan(0.2);
  });
});
