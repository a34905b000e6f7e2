import { describe, expect, it } from 'vitest';
import { spearman, upperTriangle } from '../../src/similarity/rank';
import { pythonOracle, runPython } from '../helpers/oracle';

describe('Spearman rank correlation', () => {
  it('is 1 for a monotone relation and −1 for a reversed one', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 1000])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('takes the upper triangle of a matrix row by row', () => {
    expect(Array.from(upperTriangle([0, 1, 2, 1, 0, 3, 2, 3, 0], 3))).toEqual([1, 2, 3]);
  });

  const scipy = pythonOracle(['scipy.stats'], 'python3-scipy');
  it.runIf(scipy.available)('equals scipy.stats.spearmanr with ties', () => {
    const a = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
    const b = [2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4];
    const ref = runPython<number>('import json,sys; from scipy.stats import spearmanr; a,b = json.load(sys.stdin); print(json.dumps(float(spearmanr(a,b).correlation)))', [a, b]);
    expect(spearman(a, b)).toBeCloseTo(ref, 12);
  });
});
