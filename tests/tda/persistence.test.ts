import { describe, expect, it } from 'vitest';
import { computePersistence, computePersistenceAsync, persistenceSteps, type Metric } from '../../src/tda/index';
import { ripserOracle } from '../helpers/oracle';
import type { PointCloud } from '../../src/types';
import {
  SEED,
  blobsCloud,
  circleCloud,
  cloudFrom,
  diagramDifference,
  gaussianCloud,
  ripser,
  rng,
  torusCloud,
  writeCloud,
  writeLowerDistance,
} from './helpers';

const oracle = ripserOracle();

function expectSameAsRipser(cloud: PointCloud, maxdim: number, threshold?: number): void {
  const ours = computePersistence(cloud, { maxdim, threshold });
  const theirs = ripser(writeCloud(cloud), 'point-cloud', maxdim, threshold);
  for (let k = 0; k <= maxdim; k++) {
    const diff = diagramDifference(ours.dgms[k], theirs[k]);
    expect(diff, `H${k} (seed ${SEED})`).toBeNull();
  }
}

describe.runIf(oracle.available)(`persistence equals Debian ripser's (seed ${SEED}, TDA_SEED=${SEED} to reproduce)`, () => {
  const cases: [string, () => PointCloud, number][] = [
    // (Debian ripser crashes on a single point; that case is hand-checked below.)
    ['three points', () => gaussianCloud(SEED, 3, 3), 1],
    ['two points on a line', () => gaussianCloud(SEED + 1, 2, 1), 1],
    ['40 random points in R^1', () => gaussianCloud(SEED + 2, 40, 1), 1],
    ['60 random points in R^3, H2', () => gaussianCloud(SEED + 3, 60, 3), 2],
    ['120 random points in R^8', () => gaussianCloud(SEED + 4, 120, 8), 1],
    ['150 random points in R^512', () => gaussianCloud(SEED + 5, 150, 512), 1],
    ['noisy circle of 100 points', () => circleCloud(SEED + 6, 100), 1],
    ['torus of 150 points, H2', () => torusCloud(SEED + 7, 150), 2],
    ['three Gaussian blobs of 180 points in R^5', () => blobsCloud(SEED + 8, 180, 5), 1],
    ['1200 random points in R^2', () => gaussianCloud(SEED + 9, 1200, 2), 1],
    ['2000 random points in R^2', () => gaussianCloud(SEED + 10, 2000, 2), 1],
  ];
  for (const [name, make, maxdim] of cases) {
    it(`${name}, maxdim ${maxdim}`, () => expectSameAsRipser(make(), maxdim));
  }

  it('duplicate points (every point three times) give the same diagrams as ripser', () => {
    const base = gaussianCloud(SEED + 11, 30, 2);
    const rows: number[][] = [];
    for (let c = 0; c < 3; c++) for (let i = 0; i < base.n; i++) rows.push([base.data[2 * i], base.data[2 * i + 1]]);
    expectSameAsRipser(cloudFrom(rows), 2);
  });

  it('an integer grid (many tied distances) gives the same diagrams as ripser', () => {
    const rows: number[][] = [];
    for (let i = 0; i < 7; i++) for (let j = 0; j < 6; j++) rows.push([i, j]);
    expectSameAsRipser(cloudFrom(rows), 2);
  });

  it('an explicit threshold below the enclosing radius keeps essential classes like ripser', () => {
    expectSameAsRipser(circleCloud(SEED + 12, 80), 1, 0.5);
  });

  const metricCases: Metric[] = ['cosine', 'manhattan'];
  for (const metric of metricCases) {
    it(`${metric} metric equals ripser fed the ${metric} distance matrix`, () => {
      const cloud = gaussianCloud(SEED + 13, 90, 6);
      const { n, d, data } = cloud;
      const dist = (i: number, j: number) => {
        let s = 0, na = 0, nb = 0;
        for (let t = 0; t < d; t++) {
          const x = data[i * d + t], y = data[j * d + t];
          if (metric === 'manhattan') s += Math.abs(x - y);
          else {
            s += x * y;
            na += x * x;
            nb += y * y;
          }
        }
        return metric === 'manhattan' ? s : Math.max(0, 1 - s / Math.sqrt(na * nb));
      };
      const ours = computePersistence(cloud, { maxdim: 1, metric });
      const theirs = ripser(writeLowerDistance(n, dist), 'lower-distance', 1);
      for (let k = 0; k <= 1; k++) expect(diagramDifference(ours.dgms[k], theirs[k]), `H${k} (seed ${SEED})`).toBeNull();
    });
  }

  it('a lower-triangular distance matrix input equals ripser on the same matrix', () => {
    const r = rng(SEED + 14);
    const n = 70;
    const m = new Float64Array((n * (n - 1)) / 2);
    for (let i = 0; i < m.length; i++) m[i] = Math.fround(0.1 + r());
    const ours = computePersistence({ n, distances: m, layout: 'lower' }, { maxdim: 2 });
    const theirs = ripser(writeLowerDistance(n, (i, j) => m[(i * (i - 1)) / 2 + j]), 'lower-distance', 2);
    for (let k = 0; k <= 2; k++) expect(diagramDifference(ours.dgms[k], theirs[k]), `H${k} (seed ${SEED})`).toBeNull();
  });
});

describe(`the distance matrix's memory is reused between runs (seed ${SEED})`, () => {
  it('runs after larger, smaller and interleaved runs give the diagrams of a fresh run', () => {
    const big = gaussianCloud(SEED + 20, 90, 5), mid = gaussianCloud(SEED + 21, 70, 5), small = gaussianCloud(SEED + 22, 20, 3);
    const fresh = [big, mid, small].map((c) => computePersistence(c, { maxdim: 1 }).dgms);
    // mid reuses big's buffer (stale entries beyond mid's n², and inside it, must never show); small gets its own.
    expect(computePersistence(big, { maxdim: 1 }).dgms).toEqual(fresh[0]);
    expect(computePersistence(mid, { maxdim: 1 }).dgms, `seed ${SEED}`).toEqual(fresh[1]);
    expect(computePersistence(small, { maxdim: 1 }).dgms, `seed ${SEED}`).toEqual(fresh[2]);
    // Two runs stepped in turn (a worker interleaving two jobs): the second must not take the first one's buffer.
    const a = persistenceSteps(mid, { maxdim: 1 }), b = persistenceSteps(big, { maxdim: 1 });
    let ra = a.next(), rb = b.next();
    while (!ra.done || !rb.done) {
      if (!ra.done) ra = a.next();
      if (!rb.done) rb = b.next();
    }
    expect(ra.value.dgms, `seed ${SEED}`).toEqual(fresh[1]);
    expect(rb.value.dgms, `seed ${SEED}`).toEqual(fresh[0]);
    // A cancelled run (the generator returned early) gives its buffer back too.
    const c = persistenceSteps(big, { maxdim: 1 });
    c.next();
    c.return(undefined as never);
    expect(computePersistence(mid, { maxdim: 1 }).dgms, `seed ${SEED}`).toEqual(fresh[1]);
  });
});

describe('persistence, hand-checked cases', () => {
  it('one point has one essential H0 class and nothing else', () => {
    const r = computePersistence(cloudFrom([[1, 2]]), { maxdim: 2 });
    expect(r.dgms).toEqual([[{ birth: 0, death: Infinity }], [], []]);
  });

  it("a unit square has one H1 bar [1, √2) and H0 deaths at 1", () => {
    const r = computePersistence(cloudFrom([[0, 0], [1, 0], [1, 1], [0, 1]]), { maxdim: 1 });
    expect(r.dgms[1]).toHaveLength(1);
    expect(r.dgms[1][0].birth).toBe(1);
    expect(r.dgms[1][0].death).toBeCloseTo(Math.SQRT2, 6);
    expect(r.dgms[0].map((p) => p.death).sort()).toEqual([1, 1, 1, Infinity]);
  });

  it("the square's H1 cocycle names its vertices and its loop is the square in cycle order", () => {
    const r = computePersistence(cloudFrom([[0, 0], [1, 0], [1, 1], [0, 1]]), { maxdim: 1, cocycles: true });
    expect(r.cocycles).toHaveLength(1);
    const cc = r.cocycles![0];
    expect(cc.birth).toBe(1);
    expect(cc.edges.length % 2).toBe(1); // a Z/2 cocycle dual to the loop meets it an odd number of times
    expect(new Set(cc.cycle)).toEqual(new Set([0, 1, 2, 3]));
    expect(cc.cycle).toHaveLength(4);
    for (let s = 0; s < 4; s++) {
      const [a, b] = [cc.cycle[s], cc.cycle[(s + 1) % 4]];
      const dx = Math.abs((a === 1 || a === 2 ? 1 : 0) - (b === 1 || b === 2 ? 1 : 0));
      const dy = Math.abs((a >= 2 ? 1 : 0) - (b >= 2 ? 1 : 0));
      expect(dx + dy).toBe(1); // consecutive vertices are adjacent corners
    }
    expect(cc.cycleDual).toBe(true);
  });

  it('cocycles of a noisy circle: the long bar has a loop through many points', () => {
    // 60 evenly spaced angles, jittered: the loop is born near 2π/60 and dies near √3 (the inscribed triangle).
    const r0 = rng(SEED + 20);
    const rows = Array.from({ length: 60 }, (_, i) => {
      const t = (2 * Math.PI * (i + 0.3 * r0())) / 60;
      return [Math.cos(t), Math.sin(t)];
    });
    const r = computePersistence(cloudFrom(rows), { maxdim: 1, cocycles: true });
    const best = r.cocycles!.reduce((a, b) => (b.death - b.birth > a.death - a.birth ? b : a));
    expect(best.death - best.birth).toBeGreaterThan(1.4);
    expect(best.cycle.length).toBeGreaterThan(10);
    expect(best.cycleDual).toBe(true);
  });

  it('threshold defaults to the enclosing radius', () => {
    // Points 0, 1, 3 on a line: max distances 3, 2, 3 → enclosing radius 2.
    expect(computePersistence(cloudFrom([[0], [1], [3]])).threshold).toBe(2);
  });

  it('refuses bad options with a message naming the option', () => {
    const c = cloudFrom([[0], [1]]);
    expect(() => computePersistence(c, { maxdim: -1 })).toThrow(/maxdim/);
    expect(() => computePersistence(c, { coeff: 3 })).toThrow(/coeff/);
    expect(() => computePersistence(c, { threshold: -1 })).toThrow(/threshold/);
    expect(() => computePersistence(c, { metric: 'chebyshev' as Metric })).toThrow(/metric/);
    expect(() => computePersistence(cloudFrom([[0, 0], [1, 1]]), { metric: 'cosine' })).toThrow(/zero vector/);
  });

  it('simplex indices beyond 2^53 are refused up front with a message (n = 46340, maxdim 3)', () => {
    const big = { n: 46340, d: 1, data: new Float32Array(46340) };
    expect(() => computePersistence(big, { maxdim: 3 })).toThrow(/2\^53/);
  });

  it('progress reaches 1 and a cancel rejects with an AbortError', async () => {
    const cloud = gaussianCloud(SEED + 21, 400, 4);
    let last = 0;
    computePersistence(cloud, { onProgress: (p) => (p.stage === 'reduce' ? (last = p.fraction) : 0) });
    expect(last).toBe(1);
    let calls = 0;
    await expect(computePersistenceAsync(cloud, { shouldCancel: () => ++calls > 3 })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
