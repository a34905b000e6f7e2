import { describe, expect, it } from 'vitest';
import { datasetSubset, subsetIndices } from '../../src/data/subset';

describe('image subsets', () => {
  it('is deterministic per seed, increasing, without repeats, and differs between seeds', () => {
    const a = subsetIndices(1000, 100, 7);
    expect(Array.from(a)).toEqual(Array.from(subsetIndices(1000, 100, 7)));
    expect(new Set(a).size).toBe(100);
    for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThan(a[i - 1]);
    expect(Array.from(subsetIndices(1000, 100, 8))).not.toEqual(Array.from(a));
  });

  it('takes every image when N is 0 or not smaller than the dataset', () => {
    expect(Array.from(subsetIndices(5, 0, 1))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(subsetIndices(5, 9, 1))).toEqual([0, 1, 2, 3, 4]);
  });

  it('copies the chosen images and labels', () => {
    const ds = { id: 'x', name: 'x', n: 3, height: 1, width: 2, channels: 1 as const, pixels: new Uint8Array([1, 2, 3, 4, 5, 6]), labels: new Int32Array([0, 1, 2]), classNames: ['a', 'b', 'c'], errors: [] };
    const s = datasetSubset(ds, new Int32Array([0, 2]));
    expect(Array.from(s.pixels)).toEqual([1, 2, 5, 6]);
    expect(Array.from(s.labels)).toEqual([0, 2]);
    expect(s.n).toBe(2);
  });
});
