/**
 * The feature form of linear and debiased CKA (d < n) against the Gram form the module computed before
 * (tests/similarity/ckaGramReference.ts, kept verbatim), on fresh random representations every run.
 */
import { describe, expect, it } from 'vitest';
import { ckaMatrix, linearCka } from '../../src/similarity/cka';
import { mulberry32 as rng } from '../../src/random';
import type { PointCloud } from '../../src/types';
import * as reference from './ckaGramReference';

const SEED = process.env.CONVTOPO_SEED ? Number(process.env.CONVTOPO_SEED) : Date.now() % 2 ** 31;

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** ReLU(low-rank Gaussian + noise) + offset: activation-like, large means (what the centering must survive). */
function cloud(seed: number, n: number, d: number, offset = 0): PointCloud {
  const r = rng(seed);
  const rank = 1 + Math.floor(r() * 6);
  const mix = Array.from({ length: rank * d }, () => gaussian(r));
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const code = Array.from({ length: rank }, () => gaussian(r));
    for (let t = 0; t < d; t++) {
      let v = 0.3 * gaussian(r);
      for (let k = 0; k < rank; k++) v += code[k] * mix[k * d + t];
      data[i * d + t] = Math.max(0, v) + offset;
    }
  }
  return { data, n, d };
}

/** b = a's first columns mixed with fresh noise, so CKA values spread over (0, 1). */
function related(a: PointCloud, seed: number, d: number): PointCloud {
  const r = rng(seed);
  const data = new Float32Array(a.n * d);
  for (let i = 0; i < a.n; i++) for (let t = 0; t < d; t++) data[i * d + t] = a.data[i * a.d + (t % a.d)] * r() + gaussian(r);
  return { data, n: a.n, d };
}

describe(`CKA in feature form equals the Gram form to 1e-9 (seed ${SEED}, CONVTOPO_SEED=${SEED} to reproduce)`, () => {
  const shapes: [number, number, number, number][] = [
    // n, d_a, d_b, offset
    [300, 8, 5, 0],
    [500, 64, 16, 0],
    [400, 32, 128, 3], // d_b < n still: feature form
    [200, 3, 150, 0],
    [60, 100, 200, 0], // n ≤ d for both: Gram form
    [80, 100, 20, 1], // mixed: feature form
    [7, 2, 3, 0],
  ];
  shapes.forEach(([n, da, db, offset], k) => {
    it(`n = ${n}, d = ${da} and ${db}${offset ? `, offset ${offset}` : ''}: linear and debiased`, () => {
      const a = cloud(SEED + 10 * k, n, da, offset);
      const b = k % 2 ? related(a, SEED + 10 * k + 1, db) : cloud(SEED + 10 * k + 1, n, db, offset);
      for (const debiased of [false, true]) {
        const ours = linearCka(a, b, { debiased });
        const ref = reference.linearCka(a, b, { debiased });
        expect(Math.abs(ours - ref), `debiased ${debiased}: ${ours} vs ${ref} (seed ${SEED})`).toBeLessThanOrEqual(1e-9);
        expect(Math.abs(linearCka(b, a, { debiased }) - ours)).toBeLessThanOrEqual(1e-12);
      }
    });
  });

  it('the whole matrix over layers of mixed widths (some n ≤ d, some d < n)', () => {
    const n = 120;
    const base = cloud(SEED + 100, n, 16);
    const clouds = [base, related(base, SEED + 101, 8), related(base, SEED + 102, 200), cloud(SEED + 103, n, 130, 2), related(base, SEED + 104, 40)];
    for (const debiased of [false, true]) {
      const ours = ckaMatrix(clouds, { debiased });
      const ref = reference.ckaMatrix(clouds, { debiased });
      for (let i = 0; i < ours.length; i++) expect(Math.abs(ours[i] - ref[i]), `cell ${i}, debiased ${debiased} (seed ${SEED})`).toBeLessThanOrEqual(1e-9);
    }
  });

  it('10 000 images × 3 layers in feature form: no n × n matrix (would be 800 MB each), ones on the diagonal', () => {
    const n = 10000;
    const base = cloud(SEED + 200, n, 32);
    const clouds = [base, related(base, SEED + 201, 16), related(base, SEED + 202, 64)];
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    const m = ckaMatrix(clouds, { debiased: true, onProgress: () => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)) });
    expect(peak - before).toBeLessThan(100 * 2 ** 20);
    for (let i = 0; i < 3; i++) expect(m[i * 3 + i]).toBe(1);
    expect(m[1]).toBeGreaterThan(0.05);
    expect(m[1]).toBeLessThan(1);
  });
});
