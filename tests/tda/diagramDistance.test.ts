import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bottleneck, slicedWasserstein, totalPersistence, wasserstein } from '../../src/tda/index';
import type { Diagram } from '../../src/types';
import { heraOracle, pythonOracle, runPython } from '../helpers/oracle';
import { SEED, randomDiagram, writeHera } from './helpers';


const hera = heraOracle();

describe.runIf(hera.available)(`bottleneck and Wasserstein equal Hera's (seed ${SEED})`, () => {
  const sizes: [number, number, number, boolean][] = [
    [0, 5, 0, false],
    [1, 1, 0, false],
    [7, 3, 0, false],
    [25, 40, 0, false],
    [60, 55, 0, true],
    [120, 90, 0, false],
    [20, 30, 2, false],
  ];
  sizes.forEach(([na, nb, ess, ties], k) => {
    it(`diagrams of ${na} and ${nb} points${ess ? ` plus ${ess} essential` : ''}${ties ? ' with ties' : ''}`, () => {
      const a = randomDiagram(SEED + 100 + k, na, ess, ties), b = randomDiagram(SEED + 200 + k, nb, ess, ties);
      const fa = writeHera(a), fb = writeHera(b);
      const hb = Number(execFileSync('hera-bottleneck', [fa, fb], { encoding: 'utf8' }).trim());
      expect(bottleneck(a, b), `bottleneck (seed ${SEED})`).toBeCloseTo(hb, 9);
      for (const p of [1, 2, 3.5]) {
        const hw = Number(execFileSync('hera-wasserstein', ['-q', String(p), '-p', '-1', '-d', '1e-8', fa, fb], { encoding: 'utf8' }).trim());
        const ours = wasserstein(a, b, p);
        expect(Math.abs(ours - hw), `W${p} ours ${ours} hera ${hw} (seed ${SEED})`).toBeLessThanOrEqual(1e-6 * Math.max(1, hw));
      }
    });
  });
});

const numpy = pythonOracle(['numpy'], 'python3-numpy');

// The formula of method.md §4, written independently in NumPy.
const SW_PY = `
import sys, json, numpy as np
inp = json.load(sys.stdin)
out = []
for a, b, M in inp:
    A = np.array(a, dtype=float).reshape(-1, 2); B = np.array(b, dtype=float).reshape(-1, 2)
    dA = np.abs(A.sum(axis=1)) / 2; dB = np.abs(B.sum(axis=1)) / 2
    sw = 0.0
    for i in range(M):
        th = np.pi * (0.5 + i / M); u = np.array([np.cos(th), np.sin(th)])
        V1 = np.concatenate([A @ u, dB * (u[0] + u[1])]); V2 = np.concatenate([B @ u, dA * (u[0] + u[1])])
        sw += np.abs(np.sort(V1) - np.sort(V2)).sum() / M
    out.append(sw)
print(json.dumps(out))
`;

describe.runIf(numpy.available)(`sliced Wasserstein equals the NumPy formula of method.md §4 (seed ${SEED})`, () => {
  it('random diagrams of several sizes and M = 50, 7, 1', () => {
    const cases: [Diagram, Diagram, number][] = [
      [randomDiagram(SEED + 300, 30), randomDiagram(SEED + 301, 45), 50],
      [randomDiagram(SEED + 302, 200), randomDiagram(SEED + 303, 150), 50],
      [randomDiagram(SEED + 304, 12, 0, true), randomDiagram(SEED + 305, 12, 0, true), 7],
      [randomDiagram(SEED + 306, 0), randomDiagram(SEED + 307, 9), 1],
    ];
    const expected = runPython<number[]>(
      SW_PY,
      cases.map(([a, b, M]) => [a.map((p) => [p.birth, p.death]), b.map((p) => [p.birth, p.death]), M]),
    );
    cases.forEach(([a, b, M], k) => {
      const ours = slicedWasserstein(a, b, M);
      expect(Math.abs(ours - expected[k]), `case ${k}: ours ${ours} numpy ${expected[k]}`).toBeLessThanOrEqual(1e-9 * Math.max(1, expected[k]));
    });
  });

  it('ignores essential classes (finite points only, as persim)', () => {
    const a = randomDiagram(SEED + 310, 10), b = randomDiagram(SEED + 311, 10);
    expect(slicedWasserstein([...a, { birth: 0, death: Infinity }], b)).toBe(slicedWasserstein(a, b));
  });
});

describe('diagram distances, hand-checked', () => {
  const sq: Diagram = [{ birth: 1, death: Math.SQRT2 }];
  it('empty diagrams are at distance 0 for every distance', () => {
    expect(bottleneck([], [])).toBe(0);
    expect(wasserstein([], [], 2)).toBe(0);
    expect(slicedWasserstein([], [])).toBe(0);
  });

  it('identical diagrams are at distance 0', () => {
    const a = randomDiagram(SEED + 400, 40, 1);
    expect(bottleneck(a, a)).toBe(0);
    expect(wasserstein(a, a, 1)).toBeCloseTo(0, 12);
    expect(slicedWasserstein(a, [...a].reverse())).toBeCloseTo(0, 12);
  });

  it("the square's H1 bar against the empty diagram costs half its persistence", () => {
    const half = (Math.SQRT2 - 1) / 2;
    expect(bottleneck(sq, [])).toBeCloseTo(half, 15);
    expect(wasserstein(sq, [], 1)).toBeCloseTo(half, 15);
    expect(wasserstein([], sq, 3)).toBeCloseTo(half, 15);
    expect(totalPersistence(sq)).toBeCloseTo(Math.SQRT2 - 1, 15);
  });

  it('different numbers of essential classes give Infinity; equal numbers compare sorted births', () => {
    const a: Diagram = [{ birth: 0, death: Infinity }];
    const b: Diagram = [{ birth: 0, death: Infinity }, { birth: 1, death: Infinity }];
    expect(bottleneck(a, b)).toBe(Infinity);
    expect(wasserstein(a, b, 1)).toBe(Infinity);
    const c: Diagram = [{ birth: 0.25, death: Infinity }, { birth: 2, death: Infinity }];
    expect(bottleneck(b, c)).toBe(1);
    expect(wasserstein(b, c, 2)).toBeCloseTo(Math.sqrt(0.25 ** 2 + 1), 12);
  });

  it('refuses p < 1 and M < 1 naming the parameter', () => {
    expect(() => wasserstein(sq, sq, 0.5)).toThrow(/p must be/);
    expect(() => slicedWasserstein(sq, sq, 0)).toThrow(/M must be/);
  });
});
