/**
 * The cross-seed statement on constructed models whose answer is known: "layers" are points on a line (the
 * within-model distance is |x_i − x_j|) and another seed moves each layer by a small or a large offset. Fresh
 * positions every run (CONVTOPO_SEED=… replays one). The cross blocks are checked cell by cell against the
 * pairwise measures they are made of.
 */
import { describe, expect, it } from 'vitest';
import { ckaCrossBlock, sameLayerCloser, swCrossBlock } from '../../src/analysis/crossSeed';
import { linearCka } from '../../src/similarity/cka';
import { slicedWasserstein } from '../../src/tda/index';
import type { Diagram, PointCloud } from '../../src/types';
import { mulberry32 } from '../../src/random';

const SEED = process.env.CONVTOPO_SEED ? Number(process.env.CONVTOPO_SEED) : Math.floor(Math.random() * 2 ** 31);
const rand = mulberry32(SEED);
const tag = `(seed ${SEED}; CONVTOPO_SEED=${SEED} replays it)`;

function lineModel(x: number[]): Float64Array {
  const k = x.length;
  const m = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) m[i * k + j] = Math.abs(x[i] - x[j]);
  return m;
}

describe('sameLayerCloser', () => {
  it('same layer closer when the seed moves each layer less than half the smallest layer gap, not when more', () => {
    const k = 6;
    // Layers at least 1 apart.
    const x: number[] = [0];
    for (let i = 1; i < k; i++) x.push(x[i - 1] + 1 + rand());
    const a = lineModel(x);
    const small = Array.from({ length: k }, () => 0.4 * rand());
    const near = sameLayerCloser([a, a], [{ a: 0, b: 1, same: small }]);
    expect(near.layersCloserThanEveryOtherLayer, tag).toBe(k);
    expect(near.sameLayerAcrossSeeds).toBeCloseTo(small.reduce((s, v) => s + v, 0) / k, 12);
    let off = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (i !== j) off += Math.abs(x[i] - x[j]);
    expect(near.differentLayersWithinModel).toBeCloseTo(off / (k * (k - 1)), 12);
    near.perLayer.forEach((p, i) => {
      const others = x.filter((_, j) => j !== i).map((v) => Math.abs(v - x[i]));
      expect(p.nearestOther).toBeCloseTo(Math.min(...others), 12);
      expect(p.same).toBe(small[i]);
    });
    // One layer moved farther than its nearest neighbour: that layer no longer counts.
    const moved = [...small];
    const t = Math.floor(rand() * k);
    moved[t] = 1e3;
    expect(sameLayerCloser([a, a], [{ a: 0, b: 1, same: moved }]).layersCloserThanEveryOtherLayer, tag).toBe(k - 1);
  });

  it('the strict count needs every pair and both models of the pair', () => {
    const a = lineModel([0, 1, 2]);
    const b = lineModel([0, 0.1, 2]); // in model B layers 1 and 2 are 0.1 apart
    const r = sameLayerCloser([a, b], [{ a: 0, b: 1, same: [0.5, 0.5, 0.5] }]);
    expect(r.layersCloserThanEveryOtherLayer).toBe(1); // layer 3 only: layers 1, 2 have a nearer neighbour in B
  });
});

describe('cross blocks', () => {
  const dgm = (): Diagram => Array.from({ length: 3 + Math.floor(rand() * 5) }, () => {
    const b = rand();
    return { birth: b, death: b + rand() };
  });
  const cloud = (n: number, d: number): PointCloud => ({ n, d, data: Float32Array.from({ length: n * d }, () => rand() - 0.5) });

  it('SW block cell (i, j) is SW(A_i, B_j); CKA block cell (i, j) is CKA(A_i, B_j)', () => {
    const k = 4;
    const A = Array.from({ length: k }, dgm), B = Array.from({ length: k }, dgm);
    const sw = swCrossBlock(A, B, 20);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) expect(sw[i * k + j], tag).toBe(slicedWasserstein(A[i], B[j], 20));
    const ca = Array.from({ length: k }, (_, i) => cloud(30, 3 + i)), cb = Array.from({ length: k }, (_, i) => cloud(30, 5 + i));
    const cka = ckaCrossBlock(ca, cb);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) expect(cka[i * k + j], tag).toBe(linearCka(ca[i], cb[j]));
    expect(() => swCrossBlock(A, B.slice(1))).toThrow(/same layer count/);
  });
});
