import { describe, expect, it } from 'vitest';
import { cloudsKey, mapperKey, matricesKey, allPersistenceKey, persistenceKey, type CloudInputs } from '../../src/state/keys';
import { DEFAULT_MAPPER } from '../../src/state/viewState';

const base: CloudInputs = { datasetFingerprint: 'aaaa', modelId: 'resnet18q-final', cloud: 'top-l2', pcaDim: 32, n: 200, seed: 0, datasetSize: 1000 };

describe('job keys name every input', () => {
  it('a change of any input the clouds depend on changes their key', () => {
    const changes: Partial<CloudInputs>[] = [
      { datasetFingerprint: 'bbbb' },
      { modelId: 'resnet18q-init' },
      { cloud: 'gap' },
      { n: 300 },
      { seed: 1 },
    ];
    const k0 = cloudsKey(base);
    for (const c of changes) expect(cloudsKey({ ...base, ...c }), JSON.stringify(c)).not.toBe(k0);
    // PCA's dimension matters only for the PCA cloud.
    expect(cloudsKey({ ...base, cloud: 'pca', pcaDim: 8 })).not.toBe(cloudsKey({ ...base, cloud: 'pca', pcaDim: 16 }));
  });

  it('equal inputs give equal keys: the seed of a whole-dataset top-L2 cloud does not matter, N ≥ the dataset means all', () => {
    const all = { ...base, n: 0 };
    expect(cloudsKey({ ...all, seed: 5 })).toBe(cloudsKey(all));
    expect(cloudsKey({ ...all, n: 1000 })).toBe(cloudsKey(all));
    expect(cloudsKey({ ...all, n: 5000 })).toBe(cloudsKey(all));
    expect(cloudsKey({ ...all, cloud: 'random', seed: 5 })).not.toBe(cloudsKey({ ...all, cloud: 'random' }));
  });

  it('derived keys contain the key of what they read, and every parameter', () => {
    const c = cloudsKey(base);
    expect(persistenceKey(c, 3, 1)).toContain(c);
    expect(persistenceKey(c, 3, 1)).not.toBe(persistenceKey(c, 3, 2));
    expect(persistenceKey(c, 3, 1)).not.toBe(persistenceKey(c, 4, 1));
    const all = allPersistenceKey(c, 1);
    expect(matricesKey(all, true)).toContain(c);
    expect(matricesKey(all, true)).not.toBe(matricesKey(all, false));
    for (const [k, v] of Object.entries({ lens: 'sum', intervals: 41, overlap: 0.5, clusterer: 'single', eps: 2, minSamples: 6, metric: 'cosine' })) {
      expect(mapperKey(c, 1, { ...DEFAULT_MAPPER, [k]: v }), k).not.toBe(mapperKey(c, 1, DEFAULT_MAPPER));
    }
  });
});
