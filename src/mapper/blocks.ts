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
import type { MetricSpace } from './space';

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
  /** Distance tiles whose rows 0 … n − 1 are the points by position and rows n … n + nb − 1 the blocks' centres. */
  tiles: DistanceTiles;
  /** Largest squared norm of a tile row, and of a centred float32 copy (they bound every tile's rounding band). */
  sqMax: number;
  sq32Max: number;
}

/** Blocks over `subset` (default: every point), at most leafSize points each. */
export function leafBlocks(space: MetricSpace, subset?: Int32Array, leafSize = 32, kernel: 'auto' | 'js' = 'auto'): LeafBlocks {
  const { d, x } = space;
  const S = subset ?? Int32Array.from({ length: space.n }, (_, i) => i);
  const n = S.length;
  // A split halves a node of more than leafSize rows, so a leaf holds at least ⌈leafSize / 2⌉ rows.
  const maxLeaves = Math.max(1, Math.floor(n / Math.ceil(leafSize / 2)));
  // Side A: the rows of many blocks (DBSCAN gathers them), or many centres; side B: one block's rows, or 64 centres.
  const maxA = Math.max(4096, 2 * leafSize), maxB = Math.max(64, leafSize);
  const tiles = distanceTiles(n + maxLeaves, d, maxA, maxB, kernel);
  const { rows, stride, sq } = tiles;
  if (!subset && stride === d) rows.set(x.subarray(0, n * d));
  else for (let p = 0; p < n; p++) rows.set(x.subarray(S[p] * d, S[p] * d + d), p * stride);
  // The float32 copies are centred on the mean: smaller norms, smaller estimate errors.
  for (let p = 0; p < n; p++) for (let c = 0; c < d; c++) tiles.centre[c] += rows[p * stride + c];
  for (let c = 0; c < d; c++) tiles.centre[c] /= Math.max(1, n);
  tiles.commit(0, n);
  const leaves = ballTreeLeaves(tiles, n, leafSize);
  const nb = leaves.start.length;
  // Rows in leaf order ("positions"), so that a block is contiguous.
  const perm = Int32Array.from(leaves.idx, (t) => S[t]);
  const before = rows.slice(0, n * stride);
  for (let p = 0; p < n; p++) rows.set(before.subarray(leaves.idx[p] * stride, leaves.idx[p] * stride + d), p * stride);
  tiles.commit(0, n);
  const pos = new Int32Array(space.n).fill(-1);
  for (let p = 0; p < n; p++) pos[perm[p]] = p;
  const bStart = leaves.start, bEnd = leaves.end;
  const blockOf = new Int32Array(n);
  for (let b = 0; b < nb; b++) blockOf.fill(b, bStart[b], bEnd[b]);

  // Tile rows n + b: each leaf's centroid. Its radius bounds the exact distance to every member: the tile value
  // plus its rounding band (and a hair more).
  for (let b = 0; b < nb; b++) {
    const co = (n + b) * stride, w = 1 / (bEnd[b] - bStart[b]);
    for (let p = bStart[b]; p < bEnd[b]; p++) for (let c = 0; c < d; c++) rows[co + c] += rows[p * stride + c];
    for (let c = 0; c < d; c++) rows[co + c] *= w;
  }
  tiles.commit(n, n + nb);
  const bRadius = new Float64Array(nb);
  for (let b = 0; b < nb; b++) {
    let m = 0;
    for (let p = bStart[b]; p < bEnd[b]; p++) tiles.ia[m++] = p;
    tiles.ib[0] = n + b;
    tiles.tile(m, 1);
    let r2 = 0;
    for (let a = 0; a < m; a++) r2 = Math.max(r2, tiles.out[a] + tiles.errorScale * (sq[bStart[b] + a] + sq[n + b]));
    bRadius[b] = Math.sqrt(r2) * (1 + 1e-12);
  }
  let sqMax = 0, sq32Max = 0;
  for (let u = 0; u < n + nb; u++) { sqMax = Math.max(sqMax, sq[u]); sq32Max = Math.max(sq32Max, tiles.sq32[u]); }
  return { space, n, perm, pos, nb, bStart, bEnd, bRadius, blockOf, leafSize, tiles, sqMax, sq32Max };
}

export interface NearBlocks {
  /** Blocks l ≥ b whose balls come within r of block b's ball (b itself first): list[start[b], start[b + 1]), ascending. */
  start: Int32Array;
  list: Int32Array;
}

const nearCache = new WeakMap<LeafBlocks, { r: number; near: NearBlocks }>();

/**
 * Block pairs within r (ball gap ≤ r, with a relative margin so rounding never drops a pair), computed once per
 * blocks and radius: every cover set's DBSCAN in a Mapper run asks for the same eps (and worker threads get them
 * from here too).
 */
export function nearBlocks(blocks: LeafBlocks, r: number): NearBlocks {
  const cached = nearCache.get(blocks);
  if (cached && cached.r === r) return cached.near;
  const { n, nb, bRadius, tiles } = blocks;
  const { ia, ib, out, sq, errorScale } = tiles;
  // Centre distances as tiles (tile rows n + b): side B takes 64 blocks l, side A every block b ≤ l. Pairs come
  // l-major, so a stable counting sort by b leaves each list ascending.
  const pb: number[] = [], pl: number[] = [];
  const start = new Int32Array(nb + 1);
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
          // gap ≤ r ⇔ centre distance ≤ r + both radii; the tile's rounding band is taken off the distance first.
          const reach = r * (1 + 1e-9) + bRadius[b] + bRadius[l0 + t];
          if (out[a * ml + t] - errorScale * (sq[n + b] + sq[n + l0 + t]) <= reach * reach) {
            pb.push(b);
            pl.push(l0 + t);
            start[b + 1]++;
          }
        }
      }
    }
  }
  for (let b = 0; b < nb; b++) start[b + 1] += start[b];
  const list = new Int32Array(pb.length), fill = start.slice(0, nb);
  for (let e = 0; e < pb.length; e++) list[fill[pb[e]]++] = pl[e];
  const near = { start, list };
  nearCache.set(blocks, { r, near });
  return near;
}
