import { describe, expect, it } from 'vitest';
import { computePersistence, packDiagram, unpackDiagram } from '../../src/tda/index';
import { SEED, gaussianCloud } from './helpers';

describe('packed diagrams', () => {
  it('round-trip a real diagram exactly, essential classes (Infinity) included, in one transferable buffer', () => {
    const r = computePersistence(gaussianCloud(SEED, 120, 3), { maxdim: 1 });
    for (const dgm of r.dgms) {
      const packed = packDiagram(dgm);
      expect(packed.length, `seed ${SEED}`).toBe(2 * dgm.length);
      expect(packed.buffer.byteLength).toBe(16 * dgm.length);
      expect(unpackDiagram(packed), `seed ${SEED}`).toEqual(dgm);
    }
    expect(r.dgms[0].some((p) => p.death === Infinity)).toBe(true);
    expect(unpackDiagram(packDiagram([]))).toEqual([]);
  });

  it('refuse an odd number of values, naming it', () => {
    expect(() => unpackDiagram(new Float64Array(3))).toThrow(/even number of values \(got 3\)/);
  });
});
