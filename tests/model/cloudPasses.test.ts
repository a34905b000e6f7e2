import { describe, expect, it } from 'vitest';
import { memoryGroups, runCloudPasses } from '../../src/model/cloudPasses';
import { freshSeed } from '../helpers/seed';

describe('cloud passes', () => {
  it('memory groups keep layer order, cover every layer once, and stay under the budget unless one layer is larger', () => {
    const { seed, rand } = freshSeed();
    for (let t = 0; t < 50; t++) {
      const layers = Array.from({ length: 1 + Math.floor(rand() * 8) }, (_, i) => ({ i, shape: [1 + Math.floor(rand() * 8), 1 + Math.floor(rand() * 8), 1 + Math.floor(rand() * 16)] }));
      const n = 1 + Math.floor(rand() * 50);
      const budget = Math.floor(rand() * 40_000);
      const groups = memoryGroups(layers, n, budget);
      expect(groups.flat().map((l) => l.i), `seed ${seed}`).toEqual(layers.map((l) => l.i));
      for (const g of groups) {
        const bytes = g.reduce((s, l) => s + 4 * n * l.shape[0] * l.shape[1] * l.shape[2], 0);
        expect(g.length === 1 || bytes <= budget, `seed ${seed}`).toBe(true);
      }
      // Greedy: the next group's first layer would not have fitted in the previous group.
      for (let k = 1; k < groups.length; k++) {
        const prev = groups[k - 1].reduce((s, l) => s + 4 * n * l.shape[0] * l.shape[1] * l.shape[2], 0);
        const first = groups[k][0];
        expect(prev + 4 * n * first.shape[0] * first.shape[1] * first.shape[2] > budget, `seed ${seed}`).toBe(true);
      }
    }
  });

  it('PCA runs one pass per group and reports progress over all of them', async () => {
    const layers = [{ shape: [2, 2, 1] }, { shape: [2, 2, 1] }, { shape: [2, 2, 1] }];
    const calls: number[] = [];
    const progress: [number, number][] = [];
    await runCloudPasses({ n: 10 }, layers, { cloud: { kind: 'pca', dims: 2 }, pcaMemoryBytes: 2 * 4 * 10 * 4, onProgress: (d, t) => progress.push([d, t]) }, async (group, _m, _b, report) => {
      calls.push(group.length);
      report(10);
      return [];
    });
    expect(calls).toEqual([2, 1]);
    expect(progress).toEqual([[10, 20], [20, 20]]);
  });
});
