import { describe, expect, it } from 'vitest';
import { runCliCaptured, scratchDir } from '../helpers/cli';
import { bottleneck, slicedWasserstein, wasserstein } from '../../src/tda/index';
import type { Diagram } from '../../src/types';

const { file } = scratchDir('convtopo-cli-dist-');
const cli = runCliCaptured;

const A: Diagram = [{ birth: 0, death: 1 }, { birth: 0.5, death: 2 }];
const B: Diagram = [{ birth: 0.1, death: 1.1 }];
const json = (d: Diagram) => JSON.stringify({ dgms: [[[0, null]], d.map((p) => [p.birth, p.death])] });

describe('convtopo distance', () => {
  const fa = file('a.json', json(A)), fb = file('b.json', json(B));

  it('prints the bottleneck, Wasserstein and sliced distances of the H1 diagrams', async () => {
    expect(Number((await cli(['distance', '--kind', 'bottleneck', '--a', fa, '--b', fb])).stdout)).toBeCloseTo(bottleneck(A, B), 12);
    expect(Number((await cli(['distance', '--kind', 'bottleneck', '--a', fa, '--b', fb])).stdout)).toBeCloseTo(0.75, 12);
    expect(Number((await cli(['distance', '--kind', 'wasserstein', '--p', '2', '--a', fa, '--b', fb])).stdout)).toBeCloseTo(wasserstein(A, B, 2), 12);
    expect(Number((await cli(['distance', '--kind', 'sliced', '--M', '10', '--a', fa, '--b', fb])).stdout)).toBeCloseTo(slicedWasserstein(A, B, 10), 12);
  });

  it('compares H0 with --dim 0 (identical essential classes → 0)', async () => {
    const r = await cli(['distance', '--kind', 'bottleneck', '--dim', '0', '--a', fa, '--b', fb]);
    expect(r.stdout.trim()).toBe('0');
  });

  it('prints Infinity when the numbers of essential classes differ', async () => {
    const fc = file('c.json', JSON.stringify({ dgms: [[[0, null], [0, null]], []] }));
    expect((await cli(['distance', '--kind', 'wasserstein', '--dim', '0', '--a', fa, '--b', fc])).stdout.trim()).toBe('Infinity');
  });

  const bad: [string, () => string[], RegExp][] = [
    ['an unknown --kind', () => ['--kind', 'earth', '--a', fa, '--b', fb], /--kind/],
    ['--p below 1', () => ['--kind', 'wasserstein', '--p', '0.5', '--a', fa, '--b', fb], /--p/],
    ['--M of 0', () => ['--kind', 'sliced', '--M', '0', '--a', fa, '--b', fb], /--M/],
    ['a missing dimension', () => ['--kind', 'bottleneck', '--dim', '3', '--a', fa, '--b', fb], /dimensions 0–1/],
    ['a file that is not JSON', () => ['--kind', 'bottleneck', '--a', file('x.json', '{'), '--b', fb], /not valid JSON/],
    ['a pair with death < birth', () => ['--kind', 'bottleneck', '--a', file('y.json', '[[2, 1]]'), '--b', fb], /pair 1/],
  ];
  for (const [what, args, msg] of bad) {
    it(`exits 2 with one line for ${what}`, async () => {
      const r = await cli(['distance', ...args()]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    });
  }
});
