import { describe, expect, it } from 'vitest';
import { pcRemovalProtocol, removalSteps } from '../../src/analysis/pcRemovalProtocol';
import { rtd } from '../../src/analysis/rtd';
import { removeTopComponents } from '../../src/similarity/pcRemoval';
import { computePersistence, slicedWasserstein } from '../../src/tda/index';
import { pythonOracle, runPython } from '../helpers/oracle';
import { SEED, activationLikeCloud } from '../tda/helpers';

const numpy = pythonOracle(['numpy'], 'python3-numpy');

describe(`the paper's PC-removal protocol (seed ${SEED}, CONVTOPO_SEED=${SEED} to reproduce)`, () => {
  const cloud = activationLikeCloud(SEED + 60, 80, 16, 6, 0.2);

  it('k = 4, 8, … up to the channel count, x = k / C; SW and RTD are those of the reduced clouds; RTD is NaN once nothing is left', () => {
    const c = pcRemovalProtocol(cloud, { rtd: { sample: 'all' } });
    expect(c.channels).toBe(16);
    expect(c.removed).toEqual([4, 8, 12, 16]);
    expect(c.fraction).toEqual([0.25, 0.5, 0.75, 1]);
    const base = computePersistence(cloud, { maxdim: 1 }).dgms[1];
    c.removed.forEach((k, s) => {
      const reduced = removeTopComponents(cloud, k, undefined);
      expect(c.sw![s]).toBeCloseTo(slicedWasserstein(base, computePersistence(reduced, { maxdim: 1 }).dgms[1], 50), 9);
      if (k < 16) expect(c.rtd![s]).toBeCloseTo(rtd(cloud, reduced, { sample: 'all' }).rtd, 9);
    });
    expect(Number.isNaN(c.rtd![3])).toBe(true);
    expect(c.oneMinusCka![3]).toBeCloseTo(1, 3);
    expect(c.rtd![0]).toBeGreaterThan(0);
  }, 60_000);

  it.runIf(numpy.available)('1 − CKA follows the closed form 1 − sqrt(Σ_{i>k} λ_i² / Σ λ_i²) over the covariance eigenvalues (NumPy)', () => {
    const c = pcRemovalProtocol(cloud, { measures: ['cka'], step: 3 });
    expect(c.removed).toEqual([3, 6, 9, 12, 15]);
    expect(c.sw).toBeNull();
    expect(c.rtd).toBeNull();
    const rows = Array.from({ length: cloud.n }, (_, i) => Array.from(cloud.data.subarray(i * cloud.d, (i + 1) * cloud.d)));
    const expected = runPython<number[]>(
      `import sys, json, numpy as np
X, ks = json.load(sys.stdin); X = np.array(X, dtype=np.float64); X -= X.mean(0)
lam = np.sort(np.linalg.eigvalsh(X.T @ X))[::-1]
print(json.dumps([float(1 - np.sqrt((lam[k:] ** 2).sum() / (lam ** 2).sum())) for k in ks]))`,
      [rows, c.removed],
    );
    c.oneMinusCka!.forEach((v, s) => expect(Math.abs(v - expected[s]), `k = ${c.removed[s]} (seed ${SEED})`).toBeLessThanOrEqual(1e-5));
    for (let s = 1; s < expected.length; s++) expect(c.oneMinusCka![s]).toBeGreaterThanOrEqual(c.oneMinusCka![s - 1] - 1e-9);
  });

  it('reports progress per k, reuses a given base diagram, and refuses bad options', () => {
    const calls: number[] = [];
    const base = computePersistence(cloud, { maxdim: 1 }).dgms[1];
    const a = pcRemovalProtocol(cloud, { measures: ['sw'], maxRemoved: 8, baseH1: base, onProgress: (d) => calls.push(d) });
    expect(calls).toEqual([1, 2]);
    expect(a.sw).toEqual(pcRemovalProtocol(cloud, { measures: ['sw'], maxRemoved: 8 }).sw);
    expect(() => pcRemovalProtocol(cloud, { maxRemoved: 17 })).toThrow(/maxRemoved/);
    expect(() => pcRemovalProtocol(cloud, { step: 0 })).toThrow(/step/);
    expect(() => pcRemovalProtocol(cloud, { measures: ['mmd' as never] })).toThrow(/measures/);
    expect(removalSteps(10)).toEqual([4, 8]);
  });
});
