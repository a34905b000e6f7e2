import { describe, expect, it } from 'vitest';
import { SLICED_KINDS, slicedDistance, slicedWasserstein, slicedWassersteinExact } from '../../src/tda/index';
import { decodeViewState, encodeViewState, DEFAULT_VIEW } from '../../src/state/viewState';
import type { Diagram } from '../../src/types';
import { pythonOracle, runPython } from '../helpers/oracle';
import { SEED, randomDiagram as randomFiniteDiagram } from './helpers';

/** Finite diagrams only; `ties`: repeated points and many projections swapping at the same angle. */
const randomDiagram = (seed: number, size: number, ties = false): Diagram => randomFiniteDiagram(seed, size, 0, ties);

/**
 * W₁(θ) is Lipschitz in θ with constant Λ ≤ Σ‖p‖ over every element of V1 and V2 (each matching's cost is), so
 * the M-point rectangle rule of (1/π)∫W₁ is within Λπ/(2M) of the integral: a bound persim's value must respect.
 */
function lipschitz(a: Diagram, b: Diagram): number {
  let s = 0;
  for (const p of [...a, ...b]) s += Math.hypot(p.birth, p.death) + (Math.SQRT2 * Math.abs(p.birth + p.death)) / 2;
  return s;
}

const numpy = pythonOracle(['numpy'], 'python3-numpy');

// persim's formula with 100 000 directions, vectorised in NumPy (an independent fine numeric integration: the
// rectangle rule on a periodic Lipschitz integrand, here accurate to ~1e-10 relative).
const FINE_PY = `
import sys, json, numpy as np
out = []
for a, b, M in json.load(sys.stdin):
    A = np.array(a, dtype=float).reshape(-1, 2); B = np.array(b, dtype=float).reshape(-1, 2)
    dA = np.abs(A.sum(axis=1)) / 2; dB = np.abs(B.sum(axis=1)) / 2
    total = 0.0
    for start in range(0, M, 10000):
        th = np.pi * (0.5 + np.arange(start, min(M, start + 10000)) / M)
        c, s = np.cos(th), np.sin(th)
        V1 = np.concatenate([np.outer(A[:, 0], c) + np.outer(A[:, 1], s), np.outer(dB, c + s)])
        V2 = np.concatenate([np.outer(B[:, 0], c) + np.outer(B[:, 1], s), np.outer(dA, c + s)])
        total += np.abs(np.sort(V1, axis=0) - np.sort(V2, axis=0)).sum()
    out.append(total / M)
print(json.dumps(out))
`;

describe.runIf(numpy.available)(`exact sliced Wasserstein equals a fine numeric integration (seed ${SEED}, TDA_SEED=${SEED} to reproduce)`, () => {
  it('random diagrams, with and without ties, against 100 000 directions in NumPy', () => {
    const cases: [Diagram, Diagram][] = [
      [randomDiagram(SEED + 500, 1), randomDiagram(SEED + 501, 0)],
      [randomDiagram(SEED + 502, 5), randomDiagram(SEED + 503, 7)],
      [randomDiagram(SEED + 504, 40), randomDiagram(SEED + 505, 25)],
      [randomDiagram(SEED + 506, 60), randomDiagram(SEED + 507, 60)],
      [randomDiagram(SEED + 508, 30, true), randomDiagram(SEED + 509, 35, true)],
      [randomDiagram(SEED + 510, 12, true), randomDiagram(SEED + 510, 12, true).slice(0, 6)],
    ];
    const fine = runPython<number[]>(FINE_PY, cases.map(([a, b]) => [a.map((p) => [p.birth, p.death]), b.map((p) => [p.birth, p.death]), 100000]));
    cases.forEach(([a, b], k) => {
      const exact = slicedWassersteinExact(a, b);
      expect(Math.abs(exact - fine[k]), `case ${k}: exact ${exact}, NumPy ${fine[k]} (seed ${SEED})`).toBeLessThanOrEqual(1e-8 * Math.max(1, fine[k]));
    });
  });
});

describe(`persim's sliced Wasserstein converges to the exact value as M grows (seed ${SEED})`, () => {
  const cases: [string, Diagram, Diagram][] = [
    ['20 vs 30 points', randomDiagram(SEED + 520, 20), randomDiagram(SEED + 521, 30)],
    ['80 vs 70 points', randomDiagram(SEED + 522, 80), randomDiagram(SEED + 523, 70)],
    ['25 vs 25 points on a grid', randomDiagram(SEED + 524, 25, true), randomDiagram(SEED + 525, 25, true)],
  ];
  for (const [name, a, b] of cases) {
    it(`${name}: within the rectangle-rule bound Λπ/(2M) for every M, and within 1e-6 at M = 20 000`, () => {
      const exact = slicedWassersteinExact(a, b);
      const bound = lipschitz(a, b) * Math.PI / 2;
      for (const M of [10, 50, 200, 1000, 5000]) {
        const err = Math.abs(slicedWasserstein(a, b, M) - exact);
        expect(err, `M = ${M} (seed ${SEED})`).toBeLessThanOrEqual(bound / M);
      }
      const far = Math.abs(slicedWasserstein(a, b, 20000) - exact);
      expect(far, `M = 20000 (seed ${SEED})`).toBeLessThanOrEqual(1e-6 * exact);
      expect(far).toBeLessThan(Math.abs(slicedWasserstein(a, b, 50) - exact));
    });
  }
});

describe('exact sliced Wasserstein, invariances and hand-checked values', () => {
  it('is symmetric and zero on equal diagrams (in any order)', () => {
    const a = randomDiagram(SEED + 530, 50), b = randomDiagram(SEED + 531, 40);
    const ab = slicedWassersteinExact(a, b), ba = slicedWassersteinExact(b, a);
    expect(Math.abs(ab - ba), `seed ${SEED}`).toBeLessThanOrEqual(1e-12 * ab);
    expect(slicedWassersteinExact(a, [...a].reverse())).toBeCloseTo(0, 12);
    const t = randomDiagram(SEED + 532, 30, true);
    expect(slicedWassersteinExact(t, [...t].reverse())).toBeCloseTo(0, 12);
    expect(slicedWassersteinExact([], [])).toBe(0);
  });

  it('one bar (0, 2) against the empty diagram is (1/π)∫√2|sin(θ − π/4)| dθ = 2√2/π', () => {
    expect(slicedWassersteinExact([{ birth: 0, death: 2 }], [])).toBeCloseTo((2 * Math.SQRT2) / Math.PI, 14);
  });

  it('ignores essential classes (finite points only, as persim) and refuses invalid bars', () => {
    const a = randomDiagram(SEED + 533, 10), b = randomDiagram(SEED + 534, 10);
    expect(slicedWassersteinExact([...a, { birth: 0, death: Infinity }], b)).toBe(slicedWassersteinExact(a, b));
    expect(() => slicedWassersteinExact([{ birth: 1, death: 0 }], b)).toThrow(/not a valid bar/);
  });
});

describe("the page's sliced Wasserstein choice", () => {
  it('persim or exact, by name, and the URL keeps it (sw=exact)', () => {
    const a = randomDiagram(SEED + 540, 15), b = randomDiagram(SEED + 541, 12);
    expect(SLICED_KINDS).toEqual(['persim', 'exact']);
    expect(slicedDistance('persim', a, b, 50)).toBe(slicedWasserstein(a, b, 50));
    expect(slicedDistance('exact', a, b, 50)).toBe(slicedWassersteinExact(a, b));
    const q = encodeViewState({ ...DEFAULT_VIEW, slicedKind: 'exact' });
    expect(q).toContain('sw=exact');
    expect(decodeViewState(q).state.slicedKind).toBe('exact');
    expect(encodeViewState(DEFAULT_VIEW)).not.toContain('sw=');
  });
});
