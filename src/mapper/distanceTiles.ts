/**
 * Tiles of squared Euclidean distances, the one hot loop shared by the blocked kNN (knn.ts) and DBSCAN (dbscan.ts).
 *
 * A tile is every pair between two short lists of rows, in the Gram form |x|² + |y|² − 2 x·y (one multiply–add per
 * coordinate pair instead of three). The kernel is WebAssembly SIMD (tools/wasm/distance_tiles.wat: f64x2, 4 × 2
 * rows in registers), about four times the best plain-JS loop here; where WebAssembly SIMD is missing a JS kernel
 * with the same register blocking gives the same values up to rounding.
 *
 * Rounding: a tile value differs from the difference-form distance (space.ts's sqDist) by at most
 * errorScale · (sq[i] + sq[j]). Callers that must decide "≤ r²" exactly re-check the pairs inside that band.
 */
import { distanceTilesWasm } from './distanceTilesWasm';

export interface DistanceTiles {
  kind: 'wasm-simd' | 'js';
  nRows: number;
  d: number;
  /** Row numbers of the A and B sides: fill the first na / nb entries, then call tile(na, nb). */
  ia: Int32Array;
  ib: Int32Array;
  /** After tile(na, nb): out[a · nb + b] = squared distance between rows ia[a] and ib[b] (Gram form). */
  out: Float64Array;
  /** Squared norms of the rows. */
  sq: Float64Array;
  /** |out − exact| ≤ errorScale · (sq[i] + sq[j]), with room for rows that are themselves rounded copies (centred). */
  errorScale: number;
  tile(na: number, nb: number): void;
  /** Per-row thresholds for select (maxA / maxB entries). */
  thrA: Float64Array;
  thrB: Float64Array;
  /**
   * After tile(na, nb): lists in `list` the entries o = a · nb + b with out[o] ≤ max(thrA[a], thrB[b]), in order,
   * and returns how many. Most pairs of a tile are too far for the caller, so only these are visited in JS.
   */
  list: Int32Array;
  select(na: number, nb: number): number;
}

let wasmBytes: Uint8Array<ArrayBuffer> | null | undefined;

/** The kernel's bytes, or null where this runtime cannot compile WebAssembly SIMD. */
export function distanceTilesBytes(): Uint8Array<ArrayBuffer> | null {
  if (wasmBytes === undefined) {
    const bin = atob(distanceTilesWasm);
    const bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
    wasmBytes = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? bytes : null;
  }
  return wasmBytes;
}

/**
 * Distance tiles over nRows rows of d float64 (row-major, copied). Tiles take at most maxA rows on side A and maxB
 * on side B. `kind` 'js' forces the plain-JS kernel (tests compare the two).
 */
export function distanceTiles(rows: Float64Array, nRows: number, d: number, maxA: number, maxB: number, kind: 'auto' | 'js' = 'auto'): DistanceTiles {
  return makeDistanceTiles(kind === 'js' ? null : distanceTilesBytes(), rows, nRows, d, maxA, maxB);
}

/**
 * The factory behind distanceTiles, self-contained on purpose (no outside references): knnThreads.ts ships its
 * source text to Node worker threads together with the kernel's bytes.
 */
export function makeDistanceTiles(bytes: Uint8Array<ArrayBuffer> | null, rows: Float64Array, nRows: number, d: number, maxA: number, maxB: number): DistanceTiles {
  // Row stride: even, so the SIMD loop reads whole f64x2 pairs (the zero padding adds nothing to a dot product).
  const ds = bytes ? d + (d & 1) : d;
  const errorScale = 8 * (ds + 4) * 2 ** -53;
  const rowBytes = nRows * ds * 8, sqBytes = nRows * 8, iaBytes = maxA * 4, ibBytes = maxB * 4, outBytes = maxA * maxB * 8;
  const thrABytes = maxA * 8, thrBBytes = maxB * 8, listBytes = maxA * maxB * 4;
  const squaredNorms = (x: Float64Array, stride: number, sq: Float64Array): void => {
    for (let i = 0; i < nRows; i++) {
      let s = 0;
      for (let c = i * stride; c < i * stride + d; c++) s += x[c] * x[c];
      sq[i] = s;
    }
  };
  if (bytes) {
    // Layout: rows | squared norms | ia | ib | thrA | thrB | list | out, each 16-byte aligned.
    const align = (v: number): number => (v + 15) & ~15;
    const xAt = 0, sqAt = align(xAt + rowBytes), iaAt = align(sqAt + sqBytes), ibAt = align(iaAt + iaBytes);
    const thrAAt = align(ibAt + ibBytes), thrBAt = align(thrAAt + thrABytes), listAt = align(thrBAt + thrBBytes);
    const outAt = align(listAt + listBytes);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const memory = instance.exports.memory as WebAssembly.Memory;
    const need = outAt + outBytes, have = memory.buffer.byteLength;
    if (need > have) memory.grow(Math.ceil((need - have) / 65536));
    const x = new Float64Array(memory.buffer, xAt, nRows * ds);
    for (let i = 0; i < nRows; i++) x.set(rows.subarray(i * d, (i + 1) * d), i * ds);
    const sq = new Float64Array(memory.buffer, sqAt, nRows);
    squaredNorms(x, ds, sq);
    const kernel = instance.exports.tile as (ia: number, na: number, ib: number, nb: number, ds: number, x: number, sq: number, out: number) => void;
    const selectKernel = instance.exports.select as (na: number, nb: number, out: number, thrA: number, thrB: number, list: number) => number;
    return {
      kind: 'wasm-simd', nRows, d, sq, errorScale,
      ia: new Int32Array(memory.buffer, iaAt, maxA),
      ib: new Int32Array(memory.buffer, ibAt, maxB),
      out: new Float64Array(memory.buffer, outAt, maxA * maxB),
      tile: (na, nb) => kernel(iaAt, na, ibAt, nb, ds, xAt, sqAt, outAt),
      thrA: new Float64Array(memory.buffer, thrAAt, maxA),
      thrB: new Float64Array(memory.buffer, thrBAt, maxB),
      list: new Int32Array(memory.buffer, listAt, maxA * maxB),
      select: (na, nb) => selectKernel(na, nb, outAt, thrAAt, thrBAt, listAt),
    };
  }
  const x = Float64Array.from(rows.subarray(0, nRows * d));
  const sq = new Float64Array(nRows);
  squaredNorms(x, d, sq);
  const ia = new Int32Array(maxA), ib = new Int32Array(maxB), out = new Float64Array(maxA * maxB);
  const thrA = new Float64Array(maxA), thrB = new Float64Array(maxB), list = new Int32Array(maxA * maxB);
  return {
    kind: 'js', nRows, d, sq, errorScale, ia, ib, out, thrA, thrB, list,
    select(na, nb) {
      let count = 0;
      for (let a = 0, o = 0; a < na; a++) {
        for (let b = 0; b < nb; b++, o++) if (out[o] <= Math.max(thrA[a], thrB[b])) list[count++] = o;
      }
      return count;
    },
    // Same blocking as the WebAssembly kernel: 4 rows of A × 2 rows of B, short groups repeat a row.
    tile(na, nb) {
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
    },
  };
}
