import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileDistanceTiles } from '../../tools/build_wasm';
import { ballTreeLeaves } from '../../src/mapper/ballTreeLeaves';
import { leafBlocks, nearBlocks } from '../../src/mapper/blocks';
import { dbscan } from '../../src/mapper/dbscan';
import { distanceTiles } from '../../src/mapper/distanceTiles';
import { kNearest } from '../../src/mapper/knn';
import { metricSpace, sqDist } from '../../src/mapper/space';
import { blobs, rng, uniformCloud } from './data';

function randomRows(n: number, d: number, seed: number, offset = 0): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n * d }, () => offset + 4 * r() - 2);
}

/** Tiles over the given rows (n × d, row-major). */
function tilesOver(rows: Float64Array, n: number, d: number, maxA: number, maxB: number, kind: 'auto' | 'js' = 'auto') {
  const t = distanceTiles(n, d, maxA, maxB, kind);
  for (let i = 0; i < n; i++) t.rows.set(rows.subarray(i * d, (i + 1) * d), i * t.stride);
  t.commit(0, n);
  return t;
}

/** Squared distance between two equally long vectors, straightforwardly. */
function dist2(u: ArrayLike<number>, v: ArrayLike<number>): number {
  let s = 0;
  for (let c = 0; c < u.length; c++) s += (u[c] - v[c]) ** 2;
  return s;
}

/** Row i of the blocks' tiles as its own array (d coordinates). */
function tileRow(blocks: ReturnType<typeof leafBlocks>, i: number): Float64Array {
  const { rows, stride, d } = blocks.tiles;
  return rows.slice(i * stride, i * stride + d);
}

describe('distance tiles', () => {
  it('estimates a tile from centred float32 copies within errorScale32, and select + refine match the float64 tile', () => {
    const n = 40, d = 9;
    const rows = randomRows(n, d, 21, 50); // far from the origin: the centring matters
    const t = distanceTiles(n, d, 16, 16);
    for (let i = 0; i < n; i++) t.rows.set(rows.subarray(i * d, (i + 1) * d), i * t.stride);
    for (let c = 0; c < d; c++) t.centre[c] = 50;
    t.commit(0, n);
    const na = 13, nb = 11, r = rng(22);
    for (let a = 0; a < na; a++) t.ia[a] = a;
    for (let b = 0; b < nb; b++) t.ib[b] = 20 + b;
    t.tile(na, nb);
    const exact = Float64Array.from(t.out.subarray(0, na * nb));
    t.tile32(na, nb);
    for (let a = 0; a < na; a++) {
      for (let b = 0; b < nb; b++) {
        const truth = sqDist(rows, t.ia[a] * d, t.ib[b] * d, d);
        expect(Math.abs(t.out[a * nb + b] - truth)).toBeLessThanOrEqual(t.errorScale32 * (t.sq32[t.ia[a]] + t.sq32[t.ib[b]]));
        expect(t.out[a * nb + b]).not.toBe(exact[a * nb + b]); // really an estimate
      }
    }
    // Thresholds around the typical distance: some entries pass, some do not.
    for (let a = 0; a < na; a++) t.thrA[a] = 10 + 20 * r();
    for (let b = 0; b < nb; b++) t.thrB[b] = 10 + 20 * r();
    const want: number[] = [];
    for (let o = 0; o < na * nb; o++) if (exact[o] <= Math.max(t.thrA[(o / nb) | 0], t.thrB[o % nb])) want.push(o);
    expect(want.length).toBeGreaterThan(5);
    expect(want.length).toBeLessThan(na * nb - 5);
    // Widen by the estimate's bound, select, refine: a superset of the float64 selection, with float64 values.
    const sq32Max = Math.max(...t.sq32.subarray(0, n));
    for (let a = 0; a < na; a++) t.thrA[a] += t.errorScale32 * (t.sq32[t.ia[a]] + sq32Max);
    for (let b = 0; b < nb; b++) t.thrB[b] += t.errorScale32 * (t.sq32[t.ib[b]] + sq32Max);
    const count = t.tile32select(na, nb);
    t.refine(count, nb);
    const listed = new Set(t.list.subarray(0, count));
    for (const o of want) expect(listed.has(o)).toBe(true);
    for (const o of listed) expect(t.out[o]).toBe(exact[o]);
  });

  it('ships the bytes that tools/wasm/distance_tiles.wat compiles to', async () => {
    const committed = readFileSync(new URL('../../src/mapper/distanceTilesWasm.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await compileDistanceTiles());
  });

  it('runs on WebAssembly SIMD in Node', () => {
    expect(distanceTiles(4, 3, 4, 4).kind).toBe('wasm-simd');
  });

  for (const kind of ['auto', 'js'] as const) {
    for (const d of [1, 7, 64]) {
      it(`gives every squared distance of a tile within its stated rounding band (${kind} kernel, d = ${d})`, () => {
        const n = 23;
        const rows = randomRows(n, d, 10 + d, 5);
        const t = tilesOver(rows, n, d, 16, 16, kind);
        const r = rng(d);
        for (const [na, nb] of [[1, 1], [3, 5], [4, 2], [9, 7], [16, 16], [13, 1]]) {
          for (let a = 0; a < na; a++) t.ia[a] = Math.floor(r() * n);
          for (let b = 0; b < nb; b++) t.ib[b] = Math.floor(r() * n);
          t.tile(na, nb);
          for (let a = 0; a < na; a++) {
            for (let b = 0; b < nb; b++) {
              const i = t.ia[a], j = t.ib[b];
              const exact = sqDist(rows, i * d, j * d, d);
              expect(Math.abs(t.out[a * nb + b] - exact)).toBeLessThanOrEqual(t.errorScale * (t.sq[i] + t.sq[j]));
            }
          }
        }
      });
    }

    it(`lists exactly the entries at most max(thrA, thrB), in row-major order (${kind} kernel)`, () => {
      const n = 30, d = 5;
      const t = tilesOver(randomRows(n, d, 3), n, d, 12, 8, kind);
      const r = rng(4);
      const na = 11, nb = 7;
      for (let a = 0; a < na; a++) { t.ia[a] = a; t.thrA[a] = r() * 6; }
      for (let b = 0; b < nb; b++) { t.ib[b] = 12 + b; t.thrB[b] = b === 3 ? Infinity : r() * 6; }
      t.tile(na, nb);
      const expected: number[] = [];
      for (let a = 0; a < na; a++) for (let b = 0; b < nb; b++) if (t.out[a * nb + b] <= Math.max(t.thrA[a], t.thrB[b])) expected.push(a * nb + b);
      expect(expected.length).toBeGreaterThan(nb); // column 3 alone gives na entries
      expect(expected.length).toBeLessThan(na * nb);
      const count = t.select(na, nb);
      expect(Array.from(t.list.subarray(0, count))).toEqual(expected);
    });
  }
});

describe('ball-tree leaves and blocks', () => {
  it('partitions the rows into leaves of at most leafSize, in ascending order', () => {
    const n = 1000, d = 6;
    const leaves = ballTreeLeaves(tilesOver(randomRows(n, d, 7), n, d, 4096, 1), n, 32);
    expect(Array.from(leaves.idx).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(leaves.start[0]).toBe(0);
    expect(leaves.end[leaves.end.length - 1]).toBe(n);
    for (let t = 0; t < leaves.start.length; t++) {
      expect(leaves.end[t] - leaves.start[t]).toBeGreaterThan(0);
      expect(leaves.end[t] - leaves.start[t]).toBeLessThanOrEqual(32);
      if (t > 0) expect(leaves.start[t]).toBe(leaves.end[t - 1]);
    }
  });

  it('still cuts identical rows into leaves of at most leafSize', () => {
    const n = 200, d = 3;
    const leaves = ballTreeLeaves(tilesOver(new Float64Array(n * d).fill(1.5), n, d, 4096, 1), n, 16);
    for (let t = 0; t < leaves.start.length; t++) expect(leaves.end[t] - leaves.start[t]).toBeLessThanOrEqual(16);
  });

  it('keeps every point inside its block ball and maps points ↔ positions both ways (subset too)', () => {
    const space = metricSpace(blobs(900, 12, 4, 5), 'euclidean');
    const subset = Int32Array.from({ length: 900 }, (_, i) => i).filter((i) => i % 3 !== 0);
    for (const S of [undefined, subset]) {
      const blocks = leafBlocks(space, S);
      expect(blocks.n).toBe(S ? S.length : 900);
      for (let p = 0; p < blocks.n; p++) expect(blocks.pos[blocks.perm[p]]).toBe(p);
      if (S) expect(blocks.pos[0]).toBe(-1);
      const d = space.d;
      for (let b = 0; b < blocks.nb; b++) {
        for (let p = blocks.bStart[b]; p < blocks.bEnd[b]; p++) {
          expect(blocks.blockOf[p]).toBe(b);
          const point = space.x.subarray(blocks.perm[p] * d, (blocks.perm[p] + 1) * d);
          expect(Array.from(tileRow(blocks, p))).toEqual(Array.from(point));
          const toCentre = Math.sqrt(dist2(point, tileRow(blocks, blocks.n + b)));
          expect(toCentre).toBeLessThanOrEqual(blocks.bRadius[b]);
        }
      }
    }
  });

  it('lists every block pair whose balls come within r (checked exactly), and no pair far beyond r', () => {
    const space = metricSpace(uniformCloud(1500, 4, 9), 'euclidean');
    const blocks = leafBlocks(space);
    const r = 0.15;
    const near = nearBlocks(blocks, r);
    for (let b = 0; b < blocks.nb; b++) {
      const listed = new Set(near.list.subarray(near.start[b], near.start[b + 1]));
      for (let l = b; l < blocks.nb; l++) {
        const gap = Math.sqrt(dist2(tileRow(blocks, blocks.n + b), tileRow(blocks, blocks.n + l))) - blocks.bRadius[b] - blocks.bRadius[l];
        if (gap <= r) expect(listed.has(l)).toBe(true);
        if (gap > r * 1.001) expect(listed.has(l)).toBe(false);
      }
    }
    expect(nearBlocks(blocks, r)).toBe(near); // computed once per radius
  });

  it('gives the same kNN and DBSCAN labels on the plain-JS kernel as on WebAssembly', () => {
    const space = metricSpace(blobs(1200, 20, 5, 11, 0.6), 'euclidean');
    const wasm = leafBlocks(space), js = leafBlocks(space, undefined, 32, 'js');
    expect(js.tiles.kind).toBe('js');
    const k1 = kNearest(wasm, 5), k2 = kNearest(js, 5);
    expect(Array.from(k2.d2)).toEqual(Array.from(k1.d2));
    const subset = Int32Array.from({ length: 1200 }, (_, i) => i).filter((i) => space.x[i * 20] > 0);
    const l1 = dbscan(space, { eps: 2.2, minSamples: 5, subset, knn: k1, blocks: wasm });
    const l2 = dbscan(space, { eps: 2.2, minSamples: 5, subset, knn: k2, blocks: js });
    expect(new Set(l1).size).toBeGreaterThan(2);
    expect(Array.from(l2)).toEqual(Array.from(l1));
  });
});
