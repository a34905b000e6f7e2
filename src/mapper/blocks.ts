/**
 * The cloud cut into spatially coherent blocks (the leaves of a ball tree), the unit of work of the blocked kNN and
 * DBSCAN: two blocks whose balls are provably too far apart are never compared, and the pairs of two blocks that
 * may matter go through one distance tile (distanceTiles.ts).
 *
 * Built once per Mapper run and shared: the knee's kNN sweeps all blocks, then every cover set's DBSCAN works on
 * its members' share of the same blocks (a ball around a whole leaf also bounds any subset of it).
 */
import { ballTreeLeaves } from './ballTreeLeaves';
import { distanceTiles, type DistanceTiles } from './distanceTiles';
import { sqDistTo, type MetricSpace } from './space';

export interface LeafBlocks {
  space: MetricSpace;
  /** Points covered (all of the space, or the subset given). */
  n: number;
  /** Position (leaf order) → point index, and point index → position (−1 when not covered). */
  perm: Int32Array;
  pos: Int32Array;
  /** Blocks: block b = positions [bStart[b], bEnd[b]), inside a ball of radius bRadius[b]. */
  nb: number;
  bStart: Int32Array;
  bEnd: Int32Array;
  bRadius: Float64Array;
  /** Position → block. */
  blockOf: Int32Array;
  leafSize: number;
  /**
   * Rows for the tiles, centred on the points' mean (smaller norms, smaller Gram rounding): rows 0 … n − 1 are
   * the points by position, rows n … n + nb − 1 the blocks' ball centres.
   */
  rows: Float64Array;
  tiles: DistanceTiles;
  /** Largest squared norm of a tile row (bounds every tile's rounding band). */
  sqMax: number;
}

/** Blocks over `subset` (default: every point), at most leafSize points each. */
export function leafBlocks(space: MetricSpace, subset?: Int32Array, leafSize = 32, kernel: 'auto' | 'js' = 'auto'): LeafBlocks {
  const { d, x } = space;
  const S = subset ?? Int32Array.from({ length: space.n }, (_, i) => i);
  const n = S.length;
  // Rows centred on their mean, in subset order; the tree is built on them.
  const mean = new Float64Array(d);
  for (let p = 0; p < n; p++) for (let c = 0; c < d; c++) mean[c] += x[S[p] * d + c];
  for (let c = 0; c < d; c++) mean[c] /= Math.max(1, n);
  const centred = new Float64Array(n * d);
  for (let p = 0; p < n; p++) for (let c = 0; c < d; c++) centred[p * d + c] = x[S[p] * d + c] - mean[c];
  const leaves = ballTreeLeaves(centred, n, d, leafSize, kernel);
  const nb = leaves.start.length;
  const perm = Int32Array.from(leaves.idx, (t) => S[t]);
  const pos = new Int32Array(space.n).fill(-1);
  for (let p = 0; p < n; p++) pos[perm[p]] = p;
  const bStart = leaves.start, bEnd = leaves.end;
  const blockOf = new Int32Array(n);
  for (let b = 0; b < nb; b++) blockOf.fill(b, bStart[b], bEnd[b]);

  // Tile rows: the points by position, then each leaf's centroid; the radius is the largest exact distance from
  // the centroid to a member (a hair more, so rounding never puts a member outside its ball).
  const rows = new Float64Array((n + nb) * d);
  for (let p = 0; p < n; p++) rows.set(centred.subarray(leaves.idx[p] * d, (leaves.idx[p] + 1) * d), p * d);
  const bRadius = new Float64Array(nb);
  for (let b = 0; b < nb; b++) {
    const co = (n + b) * d;
    for (let p = bStart[b]; p < bEnd[b]; p++) for (let c = 0; c < d; c++) rows[co + c] += rows[p * d + c];
    for (let c = 0; c < d; c++) rows[co + c] /= bEnd[b] - bStart[b];
    let r2 = 0;
    for (let p = bStart[b]; p < bEnd[b]; p++) r2 = Math.max(r2, sqDistTo(rows, p * d, rows, co, d));
    bRadius[b] = Math.sqrt(r2) * (1 + 1e-12);
  }
  // Side A: the rows of many blocks (DBSCAN gathers them), or many centres; side B: one block's rows, or 64 centres.
  const maxA = Math.max(4096, 2 * leafSize), maxB = Math.max(64, leafSize);
  const tiles = distanceTiles(rows, n + nb, d, maxA, maxB, kernel);
  let sqMax = 0;
  for (let u = 0; u < n + nb; u++) sqMax = Math.max(sqMax, tiles.sq[u]);
  return { space, n, perm, pos, nb, bStart, bEnd, bRadius, blockOf, leafSize, rows, tiles, sqMax };
}

export interface NearBlocks {
  /** Blocks l ≥ b whose balls come within r of block b's ball: list[start[b], start[b + 1]), ascending. */
  start: Int32Array;
  list: Int32Array;
}

const nearCache = new WeakMap<LeafBlocks, { r: number; near: NearBlocks }>();

/**
 * Block pairs within r (ball gap ≤ r, with a relative margin so rounding never drops a pair), computed once per
 * blocks and radius: every cover set's DBSCAN in a Mapper run asks for the same eps.
 */
export function nearBlocks(blocks: LeafBlocks, r: number): NearBlocks {
  const cached = nearCache.get(blocks);
  if (cached && cached.r === r) return cached.near;
  const { n, nb, bRadius, tiles } = blocks;
  const { ia, ib, out, sq, errorScale } = tiles;
  const counts = new Int32Array(nb + 1);
  let list = new Int32Array(Math.max(16, nb));
  let len = 0;
  // Centre distances as tiles (tile rows n + b): side B takes 64 blocks l, side A every block b ≤ l. Pairs are
  // found l-major, so they are sorted by b afterwards (counting sort, stable in l).
  const pairB: number[] = [];
  for (let l0 = 0; l0 < nb; l0 += ib.length) {
    const ml = Math.min(ib.length, nb - l0);
    for (let t = 0; t < ml; t++) ib[t] = n + l0 + t;
    for (let b0 = 0; b0 < l0 + ml; b0 += ia.length) {
      const mb = Math.min(ia.length, l0 + ml - b0);
      for (let a = 0; a < mb; a++) ia[a] = n + b0 + a;
      tiles.tile(mb, ml);
      for (let a = 0; a < mb; a++) {
        const b = b0 + a;
        for (let t = Math.max(0, b - l0); t < ml; t++) {
          const reach = r * (1 + 1e-9) + bRadius[b] + bRadius[l0 + t];
          // gap ≤ reach − … ⇔ |c_b − c_l| ≤ reach; the tile's rounding band is taken off first.
          if (out[a * ml + t] - errorScale * (sq[n + b] + sq[n + l0 + t]) <= reach * reach) {
            if (len === list.length) { const grown = new Int32Array(2 * len); grown.set(list); list = grown; }
            list[len++] = l0 + t;
            pairB.push(b);
            counts[b + 1]++;
          }
        }
      }
    }
  }
  for (let b = 0; b < nb; b++) counts[b + 1] += counts[b];
  const sorted = new Int32Array(len), fill = counts.slice(0, nb);
  for (let e = 0; e < len; e++) sorted[fill[pairB[e]]++] = list[e];
  const near = { start: counts, list: sorted };
  nearCache.set(blocks, { r, near });
  return near;
}
