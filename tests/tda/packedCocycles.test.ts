/**
 * `cocycles: 'packed'` (what the page's TDA workers ask for): the engine writes the cocycles straight into typed
 * arrays, and they must be exactly the object cocycles packed afterwards, on the same diagrams.
 */
import { describe, expect, it } from 'vitest';
import { computePersistence, packCocycles, type Metric } from '../../src/tda/index';
import { SEED, activationLikeCloud, circleCloud, gaussianCloud } from './helpers';

describe('packed cocycles from the engine', () => {
  const clouds = [
    ['a noisy circle', circleCloud(SEED, 120, 0.1)],
    ['a Gaussian cloud', gaussianCloud(SEED + 1, 150, 4)],
    ['an activation-like cloud', activationLikeCloud(SEED + 2, 200, 16, 3, 0.05)],
  ] as const;
  for (const [what, cloud] of clouds) {
    for (const metric of ['euclidean', 'cosine'] as Metric[]) {
      it(`equal packCocycles of the object cocycles: ${what}, ${metric}`, () => {
        const msg = `seed ${SEED}, ${what}, ${metric}`;
        const ref = computePersistence(cloud, { maxdim: 1, metric, cocycles: true, loops: false });
        const packed = computePersistence(cloud, { maxdim: 1, metric, cocycles: 'packed' });
        expect(packed.dgms, msg).toEqual(ref.dgms);
        expect(packed.cocycles, msg).toBeUndefined();
        expect(ref.cocycles!.length, msg).toBe(ref.dgms[1].length);
        expect(packed.packedCocycles, msg).toEqual(packCocycles(ref.cocycles!));
        // Typed arrays of exactly the classes' sizes: nothing of the growable buffers is carried across a thread.
        expect(packed.packedCocycles!.offsets.buffer.byteLength, msg).toBe(4 * (ref.cocycles!.length + 1));
      });
    }
  }
});
