/**
 * Tiles of squared Euclidean distances, the one hot loop shared by the blocked kNN (knn.ts), DBSCAN (dbscan.ts) and
 * the leaf tree (ballTreeLeaves.ts).
 *
 * A tile is every pair between two short lists of rows, in the Gram form |x|² + |y|² − 2 x·y (one multiply–add per
 * coordinate pair instead of three). The kernel is WebAssembly SIMD (tools/wasm/distance_tiles.wat: f64x2, 4 × 2
 * rows in registers), about four times the best plain-JS loop here; where WebAssembly SIMD is missing a JS kernel
 * with the same register blocking gives the same values up to rounding. Rows live in the kernel's memory: write
 * them into `rows`, then commit them.
 *
 * Most pairs of a tile are only looked at to be ruled out, so a second kernel (tile32) estimates a tile from float32
 * copies of the rows, centred on a common point (f32x4: twice the lanes); select lists the entries that may pass
 * (thresholds widened by the estimate's error bound), and refine replaces just those with the float64 values tile
 * would give. A caller that selects with widened thresholds and refines sees exactly what tile + select would show.
 *
 * Rounding: a tile value differs from the difference-form distance (space.ts's sqDist) of the same rows by at most
 * errorScale · (sq[i] + sq[j]); a tile32 estimate by at most errorScale32 · (sq32[i] + sq32[j]). Callers that must
 * decide "≤ r²" exactly re-check the pairs inside the band.
 */
import { distanceTilesWasm } from './distanceTilesWasm';

export interface DistanceTiles {
  kind: 'wasm-simd' | 'js';
  nRows: number;
  d: number;
  /** Row i is rows[i · stride, i · stride + d) (stride ≥ d; the padding stays zero). */
  rows: Float64Array;
  stride: number;
  /** The point the float32 copies are centred on (set before committing rows; default the origin). */
  centre: Float64Array;
  /** After writing rows from ≤ i < to: their squared norms and their centred float32 copies. */
  commit(from: number, to: number): void;
  /** Squared norms of the rows, and of their centred float32 copies. */
  sq: Float64Array;
  sq32: Float64Array;
  /** Row numbers of the A and B sides: fill the first na / nb entries, then call tile(na, nb). */
  ia: Int32Array;
  ib: Int32Array;
  /** After tile(na, nb): out[a · nb + b] = squared distance between rows ia[a] and ib[b] (Gram form). */
  out: Float64Array;
  /** |tile value − exact| ≤ errorScale · (sq[i] + sq[j]). */
  errorScale: number;
  tile(na: number, nb: number): void;
  /** The estimate: out as tile would give it, from the float32 copies; |estimate − exact| ≤ errorScale32 · (sq32[i] + sq32[j]). */
  tile32(na: number, nb: number): void;
  errorScale32: number;
  /** Per-row thresholds for select (maxA / maxB entries). */
  thrA: Float64Array;
  thrB: Float64Array;
  /**
   * After a tile: lists in `list` the entries o = a · nb + b with out[o] ≤ max(thrA[a], thrB[b]), in order,
   * and returns how many. Most pairs of a tile are too far for the caller, so only these are visited in JS.
   */
  list: Int32Array;
  select(na: number, nb: number): number;
  /** tile32 and select in one pass (list in block order rather than row-major; only listed entries written). */
  tile32select(na: number, nb: number): number;
  /** After tile32 and select: replaces the first `count` listed entries of out with tile's float64 values. */
  refine(count: number, nb: number): void;
  /** One float64 per row, the caller's (the kNN keeps its k-th distances here, where nearRows reads them). */
  perRow: Float64Array;
  /**
   * The kNN's row filter (see knn.ts and the .wat): after tile(la + lb, 2) of block A's rows (from startA) and B's
   * (from startB) against B's and A's centres (rows cB, cA), the rows of each block whose lower bound to the other
   * may beat max(perRow[row], the other block's largest tau) go to ia (A's) and ib (B's). Returns [A's, B's] counts
   * as ma · 65536 + mb.
   */
  nearRows(la: number, lb: number, startA: number, startB: number, D: number, w: number, slack: number,
    rA: number, rB: number, tauBlockA: number, tauBlockB: number, cA: number, cB: number): number;
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * The kernel, compiled once per thread; null where it cannot be compiled here (no WebAssembly SIMD, or a browser's
 * main thread refusing to compile a module this size synchronously): the JS kernel serves there.
 */
export function distanceTilesModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Uint8Array.from(atob(distanceTilesWasm), (ch) => ch.charCodeAt(0)));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * Distance tiles for nRows rows of d coordinates (all zero until written). Tiles take at most maxA rows on side A
 * and maxB on side B. `kind` 'js' forces the plain-JS kernel (tests compare the two).
 */
export function distanceTiles(nRows: number, d: number, maxA: number, maxB: number, kind: 'auto' | 'js' = 'auto'): DistanceTiles {
  return makeDistanceTiles(kind === 'js' ? null : distanceTilesModule(), nRows, d, maxA, maxB);
}

/**
 * The factory behind distanceTiles, given the compiled kernel (or null for the JS one): Node worker threads
 * (mapperThread.worker.ts) get the main thread's module and make their own tiles with it.
 */
export function makeDistanceTiles(module: WebAssembly.Module | null, nRows: number, d: number, maxA: number, maxB: number): DistanceTiles {
  // Row strides: whole f64x2 pairs and f32x4 quadruples for the SIMD loops (the zero padding adds nothing).
  const stride = module ? d + (d & 1) : d, stride32 = (d + 3) & ~3;
  // Any summation order of a length-s dot product errs by ≤ s·u·Σ|terms| (u = 2⁻⁵³ in float64); with the norms and
  // the final additions the Gram value is within 2(s + 2)·u·(sq_i + sq_j) of the exact one, and the difference form
  // within (s + 2)·u·2(sq_i + sq_j) of it too: 8(s + 4)·u covers both with room. The float32 estimate has u = 2⁻²⁴
  // and rounds its inputs once more (the centred copy): 8(s + 8)·u.
  const errorScale = 8 * (stride + 4) * 2 ** -53;
  const errorScale32 = 8 * (stride32 + 8) * 2 ** -24;
  if (module) {
    // Layout: rows | rows32 | sq | sq32 | perRow | centre | ia | ib | thrA | thrB | list | out, 16-byte aligned.
    const align = (v: number): number => (v + 15) & ~15;
    const xAt = 0, x32At = align(nRows * stride * 8), sqAt = align(x32At + nRows * stride32 * 4);
    const sq32At = align(sqAt + nRows * 8), perRowAt = align(sq32At + nRows * 8), centreAt = align(perRowAt + nRows * 8);
    const iaAt = align(centreAt + stride * 8);
    const ibAt = align(iaAt + maxA * 4), thrAAt = align(ibAt + maxB * 4), thrBAt = align(thrAAt + maxA * 8);
    const listAt = align(thrBAt + maxB * 8), outAt = align(listAt + maxA * maxB * 4);
    // Sized once: growing a memory would detach its buffer, and the first detached buffer in a process makes V8
    // throw away all optimised code that reads typed arrays.
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((outAt + maxA * maxB * 8) / 65536)) });
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    type Kernel = (ia: number, na: number, ib: number, nb: number, ds: number, x: number, sq: number, out: number) => void;
    const e = instance.exports;
    const tileKernel = e.tile as Kernel, tile32Kernel = e.tile32 as Kernel;
    const tile32SelectKernel = e.tile32select as (...args: [...Parameters<Kernel>, number, number, number]) => number;
    const selectKernel = e.select as (na: number, nb: number, out: number, thrA: number, thrB: number, list: number) => number;
    const commitKernel = e.commit as (x: number, ds: number, x32: number, ds32: number, c: number, from: number, to: number, sq: number, sq32: number) => void;
    const nearRowsKernel = e.nearRows as (la: number, lb: number, startA: number, startB: number, D: number, w: number, slack: number,
      rA: number, rB: number, tauBA: number, tauBB: number, cA: number, cB: number, err: number, out: number, sq: number, tau: number,
      ia: number, ib: number) => number;
    const refineKernel = e.refine as (list: number, count: number, nb: number, ia: number, ib: number, ds: number, x: number, sq: number, out: number) => void;
    return {
      kind: 'wasm-simd', nRows, d, stride,
      rows: new Float64Array(memory.buffer, xAt, nRows * stride),
      centre: new Float64Array(memory.buffer, centreAt, stride),
      commit: (from, to) => commitKernel(xAt, stride, x32At, stride32, centreAt, from, to, sqAt, sq32At),
      sq: new Float64Array(memory.buffer, sqAt, nRows),
      sq32: new Float64Array(memory.buffer, sq32At, nRows),
      ia: new Int32Array(memory.buffer, iaAt, maxA),
      ib: new Int32Array(memory.buffer, ibAt, maxB),
      out: new Float64Array(memory.buffer, outAt, maxA * maxB),
      errorScale, errorScale32,
      tile: (na, nb) => tileKernel(iaAt, na, ibAt, nb, stride, xAt, sqAt, outAt),
      tile32: (na, nb) => tile32Kernel(iaAt, na, ibAt, nb, stride32, x32At, sq32At, outAt),
      thrA: new Float64Array(memory.buffer, thrAAt, maxA),
      thrB: new Float64Array(memory.buffer, thrBAt, maxB),
      list: new Int32Array(memory.buffer, listAt, maxA * maxB),
      select: (na, nb) => selectKernel(na, nb, outAt, thrAAt, thrBAt, listAt),
      tile32select: (na, nb) => tile32SelectKernel(iaAt, na, ibAt, nb, stride32, x32At, sq32At, outAt, thrAAt, thrBAt, listAt),
      refine: (count, nb) => refineKernel(listAt, count, nb, iaAt, ibAt, stride, xAt, sqAt, outAt),
      perRow: new Float64Array(memory.buffer, perRowAt, nRows),
      nearRows: (la, lb, startA, startB, D, w, slack, rA, rB, tauBA, tauBB, cA, cB) =>
        nearRowsKernel(la, lb, startA, startB, D, w, slack, rA, rB, tauBA, tauBB, cA, cB, errorScale, outAt, sqAt, perRowAt, iaAt, ibAt),
    };
  }
  // Plain JS: the "estimate" is the float64 tile itself (nothing to refine).
  const x = new Float64Array(nRows * d), sq = new Float64Array(nRows), perRow = new Float64Array(nRows);
  const ia = new Int32Array(maxA), ib = new Int32Array(maxB), out = new Float64Array(maxA * maxB);
  const thrA = new Float64Array(maxA), thrB = new Float64Array(maxB), list = new Int32Array(maxA * maxB);
  const select = (na: number, nb: number): number => {
    let count = 0;
    for (let a = 0, o = 0; a < na; a++) {
      for (let b = 0; b < nb; b++, o++) if (out[o] <= Math.max(thrA[a], thrB[b])) list[count++] = o;
    }
    return count;
  };
  const tile = (na: number, nb: number): void => {
    // Same blocking as the WebAssembly kernel: 4 rows of A × 2 rows of B, short groups repeat a row.
    for (let a = 0; a < na; a += 4) {
      const n4 = Math.min(4, na - a);
      const i0 = ia[a], i1 = ia[a + (n4 > 1 ? 1 : 0)], i2 = ia[a + (n4 > 2 ? 2 : 0)], i3 = ia[a + (n4 > 3 ? 3 : 0)];
      const o0 = i0 * d, o1 = i1 * d, o2 = i2 * d, o3 = i3 * d;
      for (let b = 0; b < nb; b += 2) {
        const two = b + 1 < nb;
        const j0 = ib[b], j1 = two ? ib[b + 1] : j0;
        const p0 = j0 * d, p1 = j1 * d;
        let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
        for (let c = 0; c < d; c++) {
          const y0 = x[p0 + c], y1 = x[p1 + c];
          let u = x[o0 + c];
          s00 += u * y0; s01 += u * y1;
          u = x[o1 + c];
          s10 += u * y0; s11 += u * y1;
          u = x[o2 + c];
          s20 += u * y0; s21 += u * y1;
          u = x[o3 + c];
          s30 += u * y0; s31 += u * y1;
        }
        const sums = [s00, s01, s10, s11, s20, s21, s30, s31], rowsA = [i0, i1, i2, i3];
        for (let r = 0; r < n4; r++) {
          const o = (a + r) * nb + b;
          out[o] = sq[rowsA[r]] + sq[j0] - 2 * sums[2 * r];
          if (two) out[o + 1] = sq[rowsA[r]] + sq[j1] - 2 * sums[2 * r + 1];
        }
      }
    }
  };
  return {
    kind: 'js', nRows, d, stride, rows: x, centre: new Float64Array(d), sq, sq32: sq, ia, ib, out, thrA, thrB, list,
    errorScale, errorScale32: errorScale, tile, tile32: tile,
    commit(from, to) {
      for (let i = from; i < to; i++) {
        let s = 0;
        for (let c = i * d; c < (i + 1) * d; c++) s += x[c] * x[c];
        sq[i] = s;
      }
    },
    select,
    tile32select(na, nb) {
      tile(na, nb);
      return select(na, nb);
    },
    refine() {},
    perRow,
    nearRows(la, lb, startA, startB, D, w, slack, rA, rB, tauBA, tauBB, cA, cB) {
      // The same filter as the WebAssembly nearRows, step for step.
      const t = (e: number): number => (out[e + 1] - out[e] + D) * w;
      let maxA = -Infinity, minB = Infinity;
      for (let a = 0; a < la; a++) maxA = Math.max(maxA, t(2 * a));
      for (let b = 0; b < lb; b++) minB = Math.min(minB, t(2 * (la + b)));
      maxA = D > 0 ? maxA + slack : Infinity;
      minB = D > 0 ? minB - slack : -Infinity;
      const keep = (gap: number, bound: number): boolean => gap <= 0 || gap * gap * 0.999999999 < bound;
      let ma = 0, mb = 0;
      for (let a = 0; a < la; a++) {
        const p = startA + a, e = 2 * a;
        const ball = Math.sqrt(Math.max(out[e] - errorScale * (sq[p] + sq[cB]), 0)) - rB;
        if (keep(Math.max(minB - slack - t(e), ball), Math.max(perRow[p], tauBB))) ia[ma++] = p;
      }
      if (ma === 0) return 0;
      for (let b = 0; b < lb; b++) {
        const q = startB + b, e = 2 * (la + b);
        const ball = Math.sqrt(Math.max(out[e + 1] - errorScale * (sq[q] + sq[cA]), 0)) - rA;
        if (keep(Math.max(t(e) - slack - maxA, ball), Math.max(perRow[q], tauBA))) ib[mb++] = q;
      }
      return ma * 65536 + mb;
    },
  };
}
